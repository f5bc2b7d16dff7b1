// Extracts campaign parameters (UTM and ad click ids) from a landing URL.

export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'] as const;

/** Click ids of the ad platforms people ask about most; any of them marks a paid landing. */
export const CLICK_ID_KEYS = [
  'gclid',
  'gbraid',
  'wbraid',
  'dclid',
  'gad_source', // Google Ads / DV360
  'fbclid', // Meta
  'msclkid', // Microsoft Advertising
  'ttclid', // TikTok
  'twclid', // X / Twitter
  'li_fat_id', // LinkedIn
  'epik', // Pinterest
  'sccid', // Snapchat
  'rdt_cid', // Reddit
  'yclid', // Yandex
  'irclickid', // impact.com affiliates
  'mc_cid', // Mailchimp
  '_kx', // Klaviyo
] as const;

export type UtmKey = (typeof UTM_KEYS)[number];
export type ClickIdKey = (typeof CLICK_ID_KEYS)[number];

export interface Campaign {
  utm: Partial<Record<UtmKey, string>>;
  clickIds: Partial<Record<ClickIdKey, string>>;
}

const MAX_VALUE_LENGTH = 500;

const CAMPAIGN_KEYS: ReadonlySet<string> = new Set([...UTM_KEYS, ...CLICK_ID_KEYS]);
/**
 * Matches every raw query that may hold a campaign key: a decoded key equals one of ours only if
 * its raw text is that key or holds a `%` escape (`+` decodes to a space, which no key contains).
 */
const MAY_HOLD_CAMPAIGN = new RegExp([...CAMPAIGN_KEYS, '%'].join('|'));

/**
 * Returns null when the URL carries no campaign parameter (or cannot be parsed). For each key
 * only its first occurrence counts, as `searchParams.get` would; an empty one counts as absent.
 * One pass over the query: most navigations carry no campaign, and 23 `get` calls (each a scan
 * of every parameter) cost more than the rest of the campaign logic.
 */
export function extractCampaign(url: URL | null): Campaign | null {
  if (url === null || url.search.length < 2) return null;
  // Most queries name no campaign: one scan of the raw text instead of parsing it into parameters.
  if (!MAY_HOLD_CAMPAIGN.test(url.search)) return null;
  let firsts: Map<string, string> | null = null;
  for (const [key, value] of url.searchParams) {
    if (!CAMPAIGN_KEYS.has(key)) continue;
    firsts ??= new Map();
    if (!firsts.has(key)) firsts.set(key, value);
  }
  if (firsts === null) return null;
  const utm: Partial<Record<UtmKey, string>> = {};
  const clickIds: Partial<Record<ClickIdKey, string>> = {};
  let found = false;
  for (const key of UTM_KEYS) {
    const value = firsts.get(key)?.trim();
    if (value) {
      utm[key] = value.slice(0, MAX_VALUE_LENGTH);
      found = true;
    }
  }
  for (const key of CLICK_ID_KEYS) {
    const value = firsts.get(key)?.trim();
    if (value) {
      clickIds[key] = value.slice(0, MAX_VALUE_LENGTH);
      found = true;
    }
  }
  return found ? { utm, clickIds } : null;
}

/** The campaign fields of a wire request context (`RequestContext`), as any sender may fill them. */
export interface CampaignContext {
  url: string | null;
  utm?: Readonly<Record<string, string | undefined>> | undefined;
  click_ids?: Readonly<Record<string, string>> | undefined;
}

const hasValue = (record: Readonly<Record<string, string | undefined>> | undefined): boolean =>
  record !== undefined && Object.values(record).some((v) => typeof v === 'string' && v.trim() !== '');

/**
 * The campaign an item's request context stands for. A sender that filled `utm` or `click_ids`
 * (the Node SDK does, from the same URL) is taken at its word, whole: its values are never mixed
 * with the URL's. A sender that filled neither (curl, a Python or Ruby shop posting JSON) gets
 * the campaign of `context.url`, read by the same `extractCampaign` the SDK uses, so both land in
 * the same channel. An empty campaign when there is nothing to read.
 */
export function campaignOfContext(ctx: CampaignContext): Campaign {
  if (hasValue(ctx.utm) || hasValue(ctx.click_ids)) {
    return { utm: { ...ctx.utm } as Campaign['utm'], clickIds: { ...ctx.click_ids } };
  }
  return extractCampaign(parseUrl(ctx.url)) ?? { utm: {}, clickIds: {} };
}

function parseUrl(url: string | null): URL | null {
  if (url === null || !url.includes('?')) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * A short, cookie-safe fingerprint of a campaign, so a reload of the same landing URL does not
 * start another session while a landing with different parameters does. FNV-1a, 32-bit, base36.
 */
export function campaignFingerprint(campaign: Campaign): string {
  const parts: string[] = [];
  for (const key of UTM_KEYS) if (campaign.utm[key] !== undefined) parts.push(`${key}=${campaign.utm[key]}`);
  for (const key of CLICK_ID_KEYS) {
    if (campaign.clickIds[key] !== undefined) parts.push(`${key}=${campaign.clickIds[key]}`);
  }
  return shortHash(parts.join('&'));
}

/** FNV-1a, 32-bit, base36 of `text`: short and cookie-safe. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const ch of text) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
