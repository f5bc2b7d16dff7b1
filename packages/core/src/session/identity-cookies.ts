// Reads and writes the identity cookies: visitor id, session-number markers and the activity cookie.
import { isUuid } from '../ids.js';
import { murmur3x86128Text } from '../murmur3-128.js';
import { readPrefixedCookies } from './prefixed-cookies.js';
import type { SessionSettings } from './session-settings.js';

/**
 * The cookie design:
 * - `<p>vid`: the visitor id, written once, when minted; after racing mints, the last one's (the
 *   visitor is then the earliest id of the `<p>m` cookies, see resolve-identity.ts).
 * - `<p>s<N>`: "session number N was allocated"; value = `<campaign fingerprint or ->.<owner tag>`.
 *   One cookie per number, so a late response can add an old number but never erase a newer one:
 *   the current number is the maximum present, and it only grows. The owner tag names the visitor
 *   that allocated N: two first navigations racing in one browser each mint a visitor, the last
 *   `<p>vid` to arrive wins, and the loser's numbers (a logout floor, a campaign start) stay in the
 *   jar. They still bound the next number, but their sessions are not the winner's to continue.
 *   Values written before tags existed (no `.`) count as the current visitor's.
 * - `<p>act`: the session number last active, Max-Age = the inactivity timeout. Its absence
 *   means the session expired.
 * - `<p>m<tag>`: "visitor id V was minted in this browser"; value `V`, written once. One cookie per
 *   minted id, so when two cookieless navigations race and `<p>vid` keeps only the last, the other
 *   id still reaches every later request (DESIGN.md L10; see racing-first-navigations.md).
 * - `<p>x<ghost tag>_<canonical tag>`: "the alias of that ghost to that canonical visitor was sent";
 *   value `1`, written once. A cookie per pair rather than a mark in the ghost's cookie: no cookie's
 *   value ever changes, so a late response cannot bring an older value back.
 */
export interface IdentityJar {
  visitorId: string | null;
  /** session number -> campaign fingerprint ('-' for none) */
  numbers: ReadonlyMap<number, string>;
  /** session number -> owner tag (see `visitorTag`), for numbers whose cookie carries one */
  owners: ReadonlyMap<number, string>;
  active: number | null;
  /**
   * Every visitor minted in this browser (the `<p>m<tag>` cookies), id -> the tag in the cookie's
   * name: read from the name rather than hashed again on every request (a forged name only
   * confuses its own browser's identity).
   */
  minted: ReadonlyMap<string, string>;
  /** `<ghost tag>_<canonical tag>` of every alias this browser has sent (the `<p>x` cookies). */
  aliased: ReadonlySet<string>;
}

/** Beyond this many session-number cookies the rest are ignored (and cleaned up). */
const MAX_NUMBER_COOKIES = 32;
const NUMBER_PATTERN = /^\d{1,15}$/;
const NUMBER_VALUE_PATTERN = /^([-0-9a-z]{1,16})(?:\.([0-9a-z]{1,16}))?$/;
const TAG_SEED = 0x746c7476; // 'tltv'
/** Beyond this many minted-id cookies the rest are ignored: a browser races a handful of tabs at most. */
const MAX_MINTED_COOKIES = 8;
const MINTED_NAME_PATTERN = /^[0-9a-z]{1,7}$/;
const MINTED_VALUE_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIASED_NAME_PATTERN = /^[0-9a-z]{1,7}_[0-9a-z]{1,7}$/;

/**
 * A short tag of a visitor id, stored with each session number so a visitor can tell its own
 * numbers from those a concurrently minted visitor left in the same jar. 32 bits of MurmurHash3:
 * a collision only costs the rare race this guards against.
 */
export function visitorTag(visitorId: string): string {
  return (murmur3x86128Text(visitorId, TAG_SEED)[0] >>> 0).toString(36);
}

/** Refuses every change: the shared empty collections below must stay empty. */
function refuse(): never {
  throw new TypeError('an identity jar is read-only');
}

/**
 * Shared by every jar without such cookies (most requests: only the owners, minted ids and sent
 * aliases of browsers that raced are ever present). Four collections per request were a large
 * part of the SDK's garbage; these hold nothing and refuse changes, so no request can leave
 * anything in them for another.
 */
const NO_NUMBERS: ReadonlyMap<number, string> = Object.freeze(
  Object.assign(new Map<number, string>(), { set: refuse, delete: refuse, clear: refuse }),
);
const NO_MINTED: ReadonlyMap<string, string> = Object.freeze(
  Object.assign(new Map<string, string>(), { set: refuse, delete: refuse, clear: refuse }),
);
const NO_ALIASES: ReadonlySet<string> = Object.freeze(
  Object.assign(new Set<string>(), { add: refuse, delete: refuse, clear: refuse }),
);

const EMPTY_JAR: IdentityJar = Object.freeze({
  visitorId: null,
  numbers: NO_NUMBERS,
  owners: NO_NUMBERS,
  active: null,
  minted: NO_MINTED,
  aliased: NO_ALIASES,
});

export function readIdentityJar(cookieHeader: string | undefined, prefix: string): IdentityJar {
  if (!cookieHeader) return EMPTY_JAR;
  const ours = readPrefixedCookies(cookieHeader, prefix);
  const vid = ours.get(`${prefix}vid`);
  const act = ours.get(`${prefix}act`);
  let numbers: Map<number, string> | undefined;
  let owners: Map<number, string> | undefined;
  let minted: Map<string, string> | undefined;
  let aliased: Set<string> | undefined;
  const sessionPrefix = `${prefix}s`;
  const mintedPrefix = `${prefix}m`;
  const aliasedPrefix = `${prefix}x`;
  for (const [name, value] of ours) {
    if (name.startsWith(mintedPrefix)) {
      const tag = name.slice(mintedPrefix.length);
      minted ??= new Map();
      if (minted.size < MAX_MINTED_COOKIES && MINTED_VALUE_PATTERN.test(value) && MINTED_NAME_PATTERN.test(tag))
        minted.set(value, tag);
      continue;
    }
    if (name.startsWith(aliasedPrefix)) {
      const pair = name.slice(aliasedPrefix.length);
      aliased ??= new Set();
      if (aliased.size < MAX_MINTED_COOKIES * MAX_MINTED_COOKIES && ALIASED_NAME_PATTERN.test(pair)) aliased.add(pair);
      continue;
    }
    if (!name.startsWith(sessionPrefix)) continue;
    const digits = name.slice(sessionPrefix.length);
    numbers ??= new Map();
    if (!NUMBER_PATTERN.test(digits) || numbers.size >= MAX_NUMBER_COOKIES) continue;
    const parts = NUMBER_VALUE_PATTERN.exec(value);
    numbers.set(Number(digits), parts?.[1] ?? '-');
    if (parts?.[2] !== undefined) (owners ??= new Map()).set(Number(digits), parts[2]);
  }
  return {
    visitorId: vid !== undefined && isUuid(vid) ? vid : null,
    numbers: numbers ?? NO_NUMBERS,
    owners: owners ?? NO_NUMBERS,
    active: act !== undefined && NUMBER_PATTERN.test(act) ? Number(act) : null,
    minted: minted ?? NO_MINTED,
    aliased: aliased ?? NO_ALIASES,
  };
}

export interface CookieContext {
  settings: SessionSettings;
  secure: boolean;
  /** Memo of the attribute suffix, filled on first write (per request: never shared). */
  attributes?: string;
}

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

/** The attributes after Max-Age; the domain was checked against a strict pattern by the settings schema. */
function attributes(ctx: CookieContext): string {
  const { settings } = ctx;
  const domain = settings.cookieDomain === undefined ? '' : `; Domain=${settings.cookieDomain}`;
  const secure = ctx.secure || settings.cookieSameSite === 'none' ? '; Secure' : '';
  return `${domain}; Path=/; HttpOnly${secure}; SameSite=${SAME_SITE[settings.cookieSameSite]}`;
}

const SAFE_VALUE = /^[-.0-9a-z]*$/;

/**
 * Hot path (every navigation): names and values here are our own (prefix checked by the settings
 * schema, values are UUIDs, digits or tagged fingerprints), so concatenation is exact and cheap.
 */
function write(ctx: CookieContext, name: string, value: string, maxAgeSeconds: number): string {
  if (!SAFE_VALUE.test(value)) throw new TypeError(`identity cookie value ${JSON.stringify(value)} is not cookie-safe`);
  ctx.attributes ??= attributes(ctx);
  return `${ctx.settings.cookiePrefix}${name}=${value}; Max-Age=${maxAgeSeconds}${ctx.attributes}`;
}

const longLived = (ctx: CookieContext): number => ctx.settings.visitorDays * 24 * 60 * 60;

export function visitorCookie(ctx: CookieContext, visitorId: string): string {
  return write(ctx, 'vid', visitorId, longLived(ctx));
}

/** `owner` is the allocating visitor's `visitorTag`. */
export function sessionNumberCookie(ctx: CookieContext, n: number, fingerprint: string, owner: string): string {
  return write(ctx, `s${n}`, `${fingerprint}.${owner}`, longLived(ctx));
}

export function activityCookie(ctx: CookieContext, n: number): string {
  return write(ctx, 'act', String(n), Math.round(ctx.settings.timeoutMinutes * 60));
}

export function expiredSessionNumberCookie(ctx: CookieContext, n: number): string {
  return write(ctx, `s${n}`, '', 0);
}

/** `<p>m<tag>`: records that `visitorId` was minted in this browser. */
export function mintedCookie(ctx: CookieContext, visitorId: string): string {
  return write(ctx, `m${visitorTag(visitorId)}`, visitorId, longLived(ctx));
}

/** The `aliased` key (and cookie name suffix) of the alias of `ghostTag` to `canonicalTag`. */
export const aliasKey = (ghostTag: string, canonicalTag: string): string => `${ghostTag}_${canonicalTag}`;

/** `<p>x<ghost tag>_<canonical tag>`: the alias of that pair was sent, so it is sent once. */
export function aliasSentCookie(ctx: CookieContext, ghostTag: string, canonicalTag: string): string {
  return write(ctx, `x${aliasKey(ghostTag, canonicalTag)}`, '1', longLived(ctx));
}
