// The session conventions: which change of traffic source, besides inactivity, starts a new session.
import { isOwnHost, normalizeHost, normalizeOwnHost, parseUrl } from '../channels/match-host.js';
import { campaignFingerprint, shortHash, type Campaign } from './campaign.js';

/**
 * - `inactivity`: only the inactivity timeout (and logout) ends a session (GA4).
 * - `inactivity+campaign`: also a navigation landing with new utm_* or click-id parameters.
 * - `inactivity+campaign+referrer`: also a navigation from a new external referrer (Multibuzz).
 */
export const SESSION_CONVENTIONS = ['inactivity', 'inactivity+campaign', 'inactivity+campaign+referrer'] as const;
export type SessionConvention = (typeof SESSION_CONVENTIONS)[number];

export interface SourceInput {
  convention: SessionConvention;
  /** The navigation's campaign (`extractCampaign` of its URL). */
  campaign: Campaign | null;
  /** The page URL: its host is the site's own, never a new source. */
  url: URL | null;
  /** The raw `Referer` header. */
  referrer: string | undefined;
  /** `cookieDomain` and `ownHosts` of the session settings. */
  cookieDomain: string | undefined;
  ownHosts: readonly string[];
}

/** What a navigation names as its source; `reason` is the start reason when it is a new one. */
export interface LandingSource {
  fingerprint: string;
  reason: 'campaign' | 'referrer';
}

/**
 * The source this navigation names under the convention, or null when it names none (it then
 * continues the current session). The session-number cookie keeps the fingerprint of the source
 * that started the session, so a reload of the same landing, or a second click on the same ad or
 * search result, stays in it while a different source starts the next one. Under
 * `inactivity+campaign` the fingerprint is exactly `campaignFingerprint`, as before conventions
 * existed, so cookies written by older versions keep their meaning.
 */
export function landingSource(input: SourceInput): LandingSource | null {
  if (input.convention === 'inactivity') return null;
  const campaign = input.campaign === null ? null : campaignFingerprint(input.campaign);
  const host = input.convention === 'inactivity+campaign+referrer' ? externalReferrerHost(input) : null;
  if (host === null) return campaign === null ? null : { fingerprint: campaign, reason: 'campaign' };
  return {
    fingerprint: shortHash(`${campaign ?? ''}&ref=${host}`),
    reason: campaign === null ? 'referrer' : 'campaign',
  };
}

/**
 * The referrer's host when it is another site: an http(s) referrer whose host is neither the page's,
 * nor the cookie domain, nor a configured own host, nor a subdomain of one (`www.`/`m.` ignored).
 */
function externalReferrerHost(input: SourceInput): string | null {
  if (input.referrer === undefined || input.referrer === '') return null;
  const ref = parseUrl(input.referrer.trim());
  if (ref === null || (ref.protocol !== 'https:' && ref.protocol !== 'http:')) return null;
  const host = normalizeHost(ref.hostname);
  if (host === null) return null;
  const own: string[] = [];
  const page = input.url === null ? null : normalizeHost(input.url.hostname);
  if (page !== null) own.push(page);
  for (const raw of input.cookieDomain === undefined
    ? input.ownHosts
    : [input.cookieDomain.replace(/^\./, ''), ...input.ownHosts]) {
    const normalized = normalizeOwnHost(raw);
    if (normalized !== null) own.push(normalized);
  }
  return isOwnHost(host, own) ? null : host;
}
