// The visitor/session protocol: a pure function of (cookies, request kind, URL, UA, clock, settings).
import { isbot } from 'isbot';
import { deriveSessionId, newId } from '../ids.js';
import { extractCampaign, type Campaign } from './campaign.js';
import {
  activityCookie,
  aliasKey,
  aliasSentCookie,
  expiredSessionNumberCookie,
  mintedCookie,
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

/**
 * A visitor minted in this browser by a racing first navigation that is not the canonical one: its
 * items (sent with `visitorId`) belong to the canonical visitor, and its first session `sessionId`
 * to the canonical visitor's first session `into` (every mint starts at number 1: racing mints
 * began the same browser session). The SDK sends it as an `alias` item.
 */
export interface GhostVisitor {
  visitorId: string;
  sessionId: string;
  into: string;
}

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
  /** Ghost visitors to alias to `visitorId` (racing first navigations, DESIGN.md L10); usually none. */
  aliases: readonly GhostVisitor[];
}

/**
 * Logout moves the session number this far ahead. Requests already in flight at logout time can
 * allocate at most one number each past what they saw, so none of them can reach the post-logout
 * session: pre-logout traffic never joins the next user's session on a shared browser.
 */
export const LOGOUT_JUMP = 2 ** 20;

const NO_FINGERPRINT = '-';
const NO_ALIASES: readonly GhostVisitor[] = Object.freeze([]);
const NO_TAGS: readonly string[] = Object.freeze([]);

function anonymous(kind: RequestKind, isBot: boolean, campaign: Campaign | null): Identity {
  return {
    kind,
    isBot,
    visitorId: null,
    sessionId: null,
    sessionNumber: null,
    started: null,
    campaign,
    setCookies: [],
    aliases: NO_ALIASES,
  };
}

function cookieContext(input: IdentityInput): CookieContext {
  const secure =
    input.settings.cookieSecure === 'auto' ? input.url?.protocol === 'https:' : input.settings.cookieSecure;
  return { settings: input.settings, secure };
}

/**
 * The session number for a request of the jar's visitor (whose tag `owner` computes on demand): pure, so requests that
 * race with the same jar agree. The newest number in the jar is the browser's current one, whoever
 * allocated it; but when another visitor's cookie holds it (the loser of two racing first
 * navigations left its logout floor or campaign start behind), this visitor was never in that
 * session. Continuing it would enter a session nobody started, possibly after a racing campaign
 * landing had already started the next one: traffic would go new -> older -> new (flapping). So
 * this visitor starts a session above it instead, which also keeps that visitor's logout floor.
 * One exception: number 1, when a ghost (a visitor minted by a racing first navigation, aliased to
 * this one) holds it. Every mint starts at 1, so racing mints all began the browser's session 1 and
 * their first sessions merge into this visitor's (see GhostVisitor); `ghosts` holds their tags.
 * A ghost's later numbers (its logout floor, a campaign start) are still started above.
 */
function chooseSessionNumber(
  jar: IdentityJar,
  owner: () => string,
  ghosts: readonly string[],
  source: LandingSource | null,
): { sessionNumber: number; started: StartReason | null } {
  const allocated = Math.max(0, ...jar.numbers.keys());
  if (jar.active === null) return { sessionNumber: allocated + 1, started: 'expired' };
  const current = Math.max(allocated, jar.active);
  const currentOwner = jar.owners.get(current);
  if (currentOwner !== undefined && currentOwner !== owner() && !(current === 1 && ghosts.includes(currentOwner))) {
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
  const source =
    kind === 'navigation'
      ? landingSource({
          convention: settings.convention,
          campaign,
          url: input.url,
          referrer: input.referrer,
          cookieDomain: settings.cookieDomain,
          ownHosts: settings.ownHosts,
        })
      : null;
  const fingerprint = source === null ? NO_FINGERPRINT : source.fingerprint;

  // `<p>vid` can be gone while minted ids remain (a user or extension deleting one cookie).
  const known = jar.visitorId ?? smallest(jar.minted.keys());
  if (known === null) {
    if (kind !== 'navigation') return anonymous(kind, false, campaign);
    const visitorId = newId(input.now);
    return {
      kind,
      isBot,
      visitorId,
      sessionId: deriveSessionId(visitorId, 1),
      sessionNumber: 1,
      started: 'new_visitor',
      campaign,
      aliases: NO_ALIASES,
      setCookies: [
        visitorCookie(ctx, visitorId),
        mintedCookie(ctx, visitorId),
        sessionNumberCookie(ctx, 1, fingerprint, visitorTag(visitorId)),
        activityCookie(ctx, 1),
      ],
    };
  }

  const { canonical, ghosts } = canonicalVisitor(jar, known);
  const tagOf = (id: string): string => jar.minted.get(id) ?? visitorTag(id);
  // Tags are hashes: computed once per ghost (a browser that raced carries its ghosts for good),
  // and the visitor's own only when a decision or a cookie needs it (most requests: neither).
  let ownTag: string | undefined;
  const owner = (): string => (ownTag ??= tagOf(canonical));
  const ghostTags = ghosts.length === 0 ? NO_TAGS : ghosts.map(tagOf);
  const { sessionNumber, started } = chooseSessionNumber(jar, owner, ghostTags, source);

  const setCookies: string[] = [];
  const aliases: GhostVisitor[] = [];
  if (writes) {
    for (const [i, ghost] of ghosts.entries()) {
      const ghostTag = ghostTags[i] as string;
      if (jar.aliased.has(aliasKey(ghostTag, owner()))) continue;
      aliases.push({ visitorId: ghost, sessionId: deriveSessionId(ghost, 1), into: deriveSessionId(canonical, 1) });
      setCookies.push(aliasSentCookie(ctx, ghostTag, owner()));
      // An id that reached this jar only as `<p>vid` (minted before minted-id cookies existed) is kept too.
      if (!jar.minted.has(ghost)) setCookies.push(mintedCookie(ctx, ghost));
    }
    if (ghosts.length > 0 && !jar.minted.has(canonical)) setCookies.push(mintedCookie(ctx, canonical));
    // `<p>vid` is left as it is: rewriting it to the canonical id would set it back to an older value.
    if (started !== null) setCookies.push(sessionNumberCookie(ctx, sessionNumber, fingerprint, owner()));
    setCookies.push(activityCookie(ctx, sessionNumber));
    for (const n of jar.numbers.keys()) {
      if (n < sessionNumber) setCookies.push(expiredSessionNumberCookie(ctx, n));
    }
  }
  return {
    kind,
    isBot,
    visitorId: canonical,
    sessionId: deriveSessionId(canonical, sessionNumber),
    sessionNumber,
    started: writes ? started : null,
    campaign,
    setCookies,
    aliases: aliases.length === 0 ? NO_ALIASES : aliases,
  };
}

function smallest(ids: Iterable<string>): string | null {
  let min: string | null = null;
  for (const id of ids) if (min === null || id < min) min = id;
  return min;
}

/**
 * The browser's visitor: of every id minted in it (racing first navigations each mint one, and
 * `<p>vid` keeps only the last to arrive), the earliest minted, i.e. the smallest UUIDv7. The set of
 * minted ids only grows, so the canonical id only ever moves to an earlier one, and every request
 * that sees the same ids picks the same one. The others are ghosts, aliased to it.
 */
function canonicalVisitor(jar: IdentityJar, visitorId: string): { canonical: string; ghosts: string[] } {
  if (jar.minted.size === 0 || (jar.minted.size === 1 && jar.minted.has(visitorId)))
    return { canonical: visitorId, ghosts: [] };
  let canonical = visitorId;
  for (const id of jar.minted.keys()) if (id < canonical) canonical = id;
  const ghosts: string[] = [];
  if (visitorId !== canonical) ghosts.push(visitorId);
  for (const id of jar.minted.keys()) if (id !== canonical && id !== visitorId) ghosts.push(id);
  return { canonical, ghosts };
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
export function endSessionCookies(
  identity: Identity,
  input: Pick<IdentityInput, 'url' | 'settings'>,
): LoggedOut | null {
  if (identity.visitorId === null || identity.sessionNumber === null) return null;
  const ctx = cookieContext({ ...input, cookieHeader: undefined, kind: 'navigation', userAgent: undefined, now: 0 });
  const next = identity.sessionNumber + LOGOUT_JUMP;
  return {
    sessionId: deriveSessionId(identity.visitorId, next),
    sessionNumber: next,
    setCookies: [
      sessionNumberCookie(ctx, next, NO_FINGERPRINT, visitorTag(identity.visitorId)),
      activityCookie(ctx, next),
    ],
  };
}
