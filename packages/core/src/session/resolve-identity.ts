// The visitor/session protocol: a pure function of (cookies, request kind, URL, UA, clock, settings).
import { isbot } from 'isbot';
import { deriveSessionId, newId } from '../ids.js';
import { extractCampaign, type Campaign } from './campaign.js';
import {
  activityCookie,
  expiredSessionNumberCookie,
  readIdentityJar,
  sessionNumberCookie,
  visitorCookie,
  visitorTag,
  type CookieContext,
  type IdentityJar,
} from './identity-cookies.js';
import type { RequestKind } from './request-kind.js';
import { landingSource, type LandingSource } from './session-convention.js';
import type { SessionSettings } from './session-settings.js';

export interface IdentityInput {
  /** The raw `Cookie` request header. */
  cookieHeader: string | undefined;
  kind: RequestKind;
  /** Absolute page URL (for navigations, the landing URL), or null if it cannot be built. */
  url: URL | null;
  userAgent: string | undefined;
  /** The raw `Referer` header; only the `inactivity+campaign+referrer` convention reads it. */
  referrer?: string | undefined;
  /** Bot detection for the user agent. @default isbot (clients pass a memoized one, see createBotCheck) */
  isBot?: (userAgent: string) => boolean;
  /** Epoch milliseconds; only used to time-order minted visitor ids. */
  now: number;
  settings: SessionSettings;
}

/** Why this request began a new session; null when it continues one (or has no identity). */
export type StartReason = 'new_visitor' | 'expired' | 'logout' | 'campaign' | 'referrer';

export interface Identity {
  kind: RequestKind;
  isBot: boolean;
  visitorId: string | null;
  sessionId: string | null;
  sessionNumber: number | null;
  started: StartReason | null;
  campaign: Campaign | null;
  /** Serialized `Set-Cookie` values to add to the response, in order. */
  setCookies: string[];
}

/**
 * Logout moves the session number this far ahead. Requests already in flight at logout time can
 * allocate at most one number each past what they saw, so none of them can reach the post-logout
 * session: pre-logout traffic never joins the next user's session on a shared browser.
 */
export const LOGOUT_JUMP = 2 ** 20;

const NO_FINGERPRINT = '-';

function anonymous(kind: RequestKind, isBot: boolean, campaign: Campaign | null): Identity {
  return { kind, isBot, visitorId: null, sessionId: null, sessionNumber: null, started: null, campaign, setCookies: [] };
}

function cookieContext(input: IdentityInput): CookieContext {
  const secure = input.settings.cookieSecure === 'auto'
    ? input.url?.protocol === 'https:'
    : input.settings.cookieSecure;
  return { settings: input.settings, secure };
}

/**
 * The session number for a request of the jar's visitor (tagged `owner`): pure, so requests that
 * race with the same jar agree. The newest number in the jar is the browser's current one, whoever
 * allocated it; but when another visitor's cookie holds it (the loser of two racing first
 * navigations left its logout floor or campaign start behind), this visitor was never in that
 * session. Continuing it would enter a session nobody started, possibly after a racing campaign
 * landing had already started the next one: traffic would go new -> older -> new (flapping). So
 * this visitor starts a session above it instead, which also keeps that visitor's logout floor.
 */
function chooseSessionNumber(
  jar: IdentityJar, owner: string, source: LandingSource | null,
): { sessionNumber: number; started: StartReason | null } {
  const allocated = Math.max(0, ...jar.numbers.keys());
  if (jar.active === null) return { sessionNumber: allocated + 1, started: 'expired' };
  const current = Math.max(allocated, jar.active);
  const currentOwner = jar.owners.get(current);
  if (currentOwner !== undefined && currentOwner !== owner) {
    return { sessionNumber: current + 1, started: source === null ? 'expired' : source.reason };
  }
  const currentFingerprint = jar.numbers.get(current) ?? NO_FINGERPRINT;
  if (source !== null && source.fingerprint !== currentFingerprint) {
    return { sessionNumber: current + 1, started: source.reason };
  }
  return { sessionNumber: current, started: null };
}

/**
 * Decides this request's visitor and session. No shared state: every input is an argument, so
 * concurrent requests cannot see each other's identity, and requests racing at a session boundary
 * compute the same next number (max allocated + 1) and therefore the same session id.
 *
 * Only navigations mint a visitor; navigations and API calls write cookies; assets and
 * prefetches are read-only. Bots get no identity at all. Besides inactivity and logout, a
 * navigation starts a new session when it names a new source under `settings.convention`
 * (session-convention.ts): new campaign parameters, or, with the referrer convention, also a new
 * external referrer.
 */
export function resolveIdentity(input: IdentityInput): Identity {
  const { kind } = input;
  const isBot = input.userAgent !== undefined && (input.isBot ?? isbot)(input.userAgent);
  const campaign = kind === 'navigation' ? extractCampaign(input.url) : null;
  if (isBot) return anonymous(kind, true, campaign);

  const jar = readIdentityJar(input.cookieHeader, input.settings.cookiePrefix);
  const writes = kind === 'navigation' || kind === 'api';
  const ctx = cookieContext(input);
  const { settings } = input;
  // Which source this navigation names under the session convention; null continues the session.
  const source = kind === 'navigation' ? landingSource({
    convention: settings.convention, campaign, url: input.url, referrer: input.referrer,
    cookieDomain: settings.cookieDomain, ownHosts: settings.ownHosts,
  }) : null;
  const fingerprint = source === null ? NO_FINGERPRINT : source.fingerprint;

  if (jar.visitorId === null) {
    if (kind !== 'navigation') return anonymous(kind, false, campaign);
    const visitorId = newId(input.now);
    return {
      kind, isBot, visitorId, sessionId: deriveSessionId(visitorId, 1), sessionNumber: 1,
      started: 'new_visitor', campaign,
      setCookies: [visitorCookie(ctx, visitorId), sessionNumberCookie(ctx, 1, fingerprint, visitorTag(visitorId)), activityCookie(ctx, 1)],
    };
  }

  const owner = visitorTag(jar.visitorId);
  const { sessionNumber, started } = chooseSessionNumber(jar, owner, source);

  const setCookies: string[] = [];
  if (writes) {
    if (started !== null) setCookies.push(sessionNumberCookie(ctx, sessionNumber, fingerprint, owner));
    setCookies.push(activityCookie(ctx, sessionNumber));
    for (const n of jar.numbers.keys()) {
      if (n < sessionNumber) setCookies.push(expiredSessionNumberCookie(ctx, n));
    }
  }
  return {
    kind, isBot, visitorId: jar.visitorId,
    sessionId: deriveSessionId(jar.visitorId, sessionNumber), sessionNumber,
    started: writes ? started : null, campaign, setCookies,
  };
}

export interface LoggedOut {
  /** The session that begins after the logout. */
  sessionId: string;
  sessionNumber: number;
  setCookies: string[];
}

/**
 * Ends `identity`'s session (logout): allocates a number far ahead and marks it active, so the
 * next request is in a new session and no late response from before the logout can restore the
 * old one (the old number is below the new maximum for good).
 */
export function endSessionCookies(identity: Identity, input: Pick<IdentityInput, 'url' | 'settings'>): LoggedOut | null {
  if (identity.visitorId === null || identity.sessionNumber === null) return null;
  const ctx = cookieContext({ ...input, cookieHeader: undefined, kind: 'navigation', userAgent: undefined, now: 0 });
  const next = identity.sessionNumber + LOGOUT_JUMP;
  return {
    sessionId: deriveSessionId(identity.visitorId, next),
    sessionNumber: next,
    setCookies: [sessionNumberCookie(ctx, next, NO_FINGERPRINT, visitorTag(identity.visitorId)), activityCookie(ctx, next)],
  };
}
