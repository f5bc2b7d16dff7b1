// The session value an attribution breakdown groups by (group_by), as SQL in both dialects; identifiers come only from this allowlist.
import { CLICK_PLATFORMS } from '@touchline/core';
import { pgUrlPath, sqlUrlPath } from '../dashboard/url-parts.js';

export const ATTRIBUTION_DIMENSIONS = ['channel', 'source', 'medium', 'campaign', 'content', 'term', 'landing_page', 'click_platform'] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

const UTM_KEY = { source: 'utm_source', medium: 'utm_medium', campaign: 'utm_campaign', content: 'utm_content', term: 'utm_term' } as const;

// Platform names and click id keys are fixed ASCII words from CLICK_PLATFORMS, never user input.
const sqliteClickPlatform = `CASE ${CLICK_PLATFORMS.map((p) => `WHEN json_extract(click_ids, '$.${p.key}') IS NOT NULL THEN '${p.platform}'`).join(' ')} END`;
const pgClickPlatform = `CASE ${CLICK_PLATFORMS.map((p) => `WHEN click_ids::jsonb ? '${p.key}' THEN '${p.platform}'`).join(' ')} END`;

/** The grouping value of a sessions row, NULL when the session has none (channel: no group, the channel is the key). */
export const DIMENSION_SQL: Record<AttributionDimension, { sqlite: string; postgres: string }> = {
  channel: { sqlite: 'NULL', postgres: 'NULL::text' },
  ...(Object.fromEntries(Object.entries(UTM_KEY).map(([dim, key]) => [dim, {
    sqlite: `nullif(json_extract(utm, '$.${key}'), '')`,
    postgres: `nullif(utm::jsonb ->> '${key}', '')`,
  }])) as Record<keyof typeof UTM_KEY, { sqlite: string; postgres: string }>),
  landing_page: {
    sqlite: `CASE WHEN landing_url IS NULL THEN NULL ELSE ${sqlUrlPath('landing_url')} END`,
    postgres: `CASE WHEN landing_url IS NULL THEN NULL ELSE ${pgUrlPath('landing_url')} END`,
  },
  click_platform: { sqlite: sqliteClickPlatform, postgres: pgClickPlatform },
};
