// Decides a session's acquisition channel from its landing URL's campaign tags and its referrer.
import { UTM_KEYS } from '../session/campaign.js';
import { channelResult, type ChannelResult } from './channel.js';
import { classifyClickIds } from './classify-click-ids.js';
import { classifyReferrer } from './classify-referrer.js';
import { classifyUtm, type UtmValues } from './classify-utm.js';
import { MAX_INPUT_LENGTH, normalizeHost, normalizeOwnHost, parseUrl } from './match-host.js';

export interface ChannelInput {
  /** UTM parameters of the landing URL (`extractCampaign(url).utm`). */
  utm: UtmValues;
  /** Ad click ids of the landing URL (`extractCampaign(url).clickIds`); other keys are ignored. */
  clickIds: Record<string, string>;
  /** The document referrer of the landing request, as sent. */
  referrer: string | null;
  /** The landing page URL: the only source of the site's own host (DESIGN L8). */
  landingUrl: string | null;
  /** Further hosts of the same site (apex, shop, checkout provider); their subdomains count too. */
  ownHosts?: string[];
}

/**
 * Classifies a landing. The first rule that decides wins:
 *
 * 1. Ad click ids. gclid, gbraid, wbraid, gad_source, msclkid, yclid: paid_search; dclid: display;
 *    ttclid, twclid, li_fat_id, epik, sccid, rdt_cid: paid_social; irclickid: affiliate;
 *    mc_cid, _kx: email. fbclid is paid_social only with a paid utm_medium, else organic_social
 *    (Meta adds it to organic shares). Click ids beat UTM tags because ad platforms add them
 *    themselves, while UTM tags are hand-typed and often copied from older campaigns.
 * 2. utm_medium / utm_source conventions (channel-table.ts): a paid medium (cpc, ppc, paid) with a
 *    social source is paid_social, otherwise paid_search; paidsearch/paidsocial, display/banner/cpm,
 *    email/newsletter, social/sm, affiliate, referral, organic each name their channel; an unknown
 *    or missing medium with a known source gets that source's unpaid channel; anything else tagged
 *    with a source or medium is `referral` ('utm_unclassified'). Tags with neither source nor
 *    medium (campaign only) fall through to the referrer, and to `referral` when that finds nothing.
 * 3. Referrer host. The site itself (the landing URL's host, any `ownHosts` entry, or a subdomain
 *    of them) is never a referral: it is `direct` with reason 'self_referral'. Otherwise search
 *    engines give organic_search, social networks organic_social, webmail email, AI assistants
 *    ai_assistant (most specific host first: mail.google.com is email, gemini.google.com an AI
 *    assistant), and any other host referral.
 * 4. No referrer: direct.
 *
 * Never throws: unparseable URLs, empty or huge strings end as direct or referral with a reason.
 */
export function classifyChannel(input: ChannelInput): ChannelResult {
  const utm = cleanUtm(input.utm);
  const byTag = classifyClickIds(cleanClickIds(input.clickIds), utm) ?? classifyUtm(utm);
  if (byTag) return byTag;
  const byReferrer = classifyReferrer(stringOrNull(input.referrer), ownHostsOf(input));
  const tagged = UTM_KEYS.some((key) => utm[key] !== undefined);
  // A campaign-only tag still says someone linked here on purpose, so it is not "direct".
  if (tagged && byReferrer.channel === 'direct') return channelResult('referral', null, 'utm_unclassified');
  return byReferrer;
}

/** The site's own hosts: the landing URL's host (never the referrer's) plus configured ones. */
function ownHostsOf(input: ChannelInput): string[] {
  const hosts: string[] = [];
  const landing = stringOrNull(input.landingUrl);
  const url = landing === null ? null : parseUrl(landing.trim());
  const landingHost = url === null ? null : normalizeHost(url.hostname);
  if (landingHost !== null) hosts.push(landingHost);
  const configured = Array.isArray(input.ownHosts) ? input.ownHosts.slice(0, 1000) : [];
  for (const raw of configured) {
    const host = typeof raw === 'string' ? normalizeOwnHost(raw) : null;
    if (host !== null) hosts.push(host);
  }
  return hosts;
}

/** Keeps non-blank string values only: callers may hand over whatever a query string held. */
function cleanUtm(utm: unknown): UtmValues {
  const clean: UtmValues = {};
  if (typeof utm !== 'object' || utm === null) return clean;
  const record = utm as Record<string, unknown>;
  for (const key of UTM_KEYS) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (typeof value === 'string' && value.trim() !== '') clean[key] = value.slice(0, MAX_INPUT_LENGTH);
  }
  return clean;
}

/** Lowercased keys with non-blank values; a Map so keys such as `__proto__` are plain data. */
function cleanClickIds(clickIds: unknown): ReadonlyMap<string, string> {
  const clean = new Map<string, string>();
  if (typeof clickIds !== 'object' || clickIds === null) return clean;
  for (const [key, value] of Object.entries(clickIds)) {
    if (typeof value === 'string' && value.trim() !== '') clean.set(key.toLowerCase(), value);
  }
  return clean;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
