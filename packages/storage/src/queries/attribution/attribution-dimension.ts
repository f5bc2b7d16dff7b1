// The session value an attribution breakdown groups by (group_by): the columns to read (identifiers from this allowlist only) and the value in code.
import { CLICK_PLATFORMS } from '@touchline/core';
import { pgUrlPath, sqlUrlPath } from '../dashboard/url-parts.js';
import { storedJsonObject } from '../stored-json-object.js';

export const ATTRIBUTION_DIMENSIONS = [
  'channel',
  'source',
  'medium',
  'campaign',
  'content',
  'term',
  'landing_page',
  'click_platform',
] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

const UTM_KEY = {
  source: 'utm_source',
  medium: 'utm_medium',
  campaign: 'utm_campaign',
  content: 'utm_content',
  term: 'utm_term',
} as const;

/** The raw columns a session row brings for its breakdown value: JSON text is parsed in code (a malformed value reads as {}). */
export interface DimensionRow {
  utm: unknown;
  click_ids: unknown;
  landing_path: string | null;
}

/**
 * The extra select list for `dimension`: the click ids' JSON text for click_platform, the landing
 * URL's path (text functions only, which no stored value can make fail) for landing_page, NULLs otherwise.
 * `table` qualifies the columns (`s.`) where a join makes them ambiguous.
 */
export function dimensionColumns(dialect: 'sqlite' | 'postgres', dimension: AttributionDimension, table = ''): string {
  const url = `${table}landing_url`;
  const path = dialect === 'sqlite' ? sqlUrlPath(url) : pgUrlPath(url);
  const landing = dimension === 'landing_page' ? `CASE WHEN ${url} IS NULL THEN NULL ELSE ${path} END` : 'NULL';
  return `${dimension === 'click_platform' ? `${table}click_ids` : 'NULL'} AS click_ids, ${landing} AS landing_path`;
}

/** A session's value of `dimension` (null: none; always null for channel, whose value is the channel itself). */
export function dimensionValue(
  dimension: AttributionDimension,
  row: { utm: Record<string, unknown>; click_ids: unknown; landing_path: string | null },
): string | null {
  switch (dimension) {
    case 'channel':
      return null;
    case 'landing_page':
      return row.landing_path;
    case 'click_platform': {
      const ids = storedJsonObject(row.click_ids);
      return (
        CLICK_PLATFORMS.find((p) => ids[p.key] !== undefined && ids[p.key] !== null && ids[p.key] !== '')?.platform ??
        null
      );
    }
    default: {
      const value = row.utm[UTM_KEY[dimension]];
      return value === undefined || value === null || value === '' ? null : String(value);
    }
  }
}
