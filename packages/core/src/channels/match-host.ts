// Host normalisation and suffix matching against the channel table, including the own-host (self-referral) test.
import {
  GENERIC_SECOND_LEVEL_LABELS,
  IGNORED_HOST_PREFIXES,
  SOURCE_TABLE,
  type SourceEntry,
  type SourceKind,
} from './channel-table.js';

export interface SourceMatch {
  readonly kind: SourceKind;
  readonly source: string;
}

/** Longer than any real host or URL worth classifying; longer input is cut, never parsed whole. */
export const MAX_INPUT_LENGTH = 2048;

/** DNS names are at most 253 characters; anything longer is not a host. */
const MAX_HOST_LENGTH = 253;

/** No listed host has more labels than this, so deeper subdomains need not be walked. */
const MAX_LISTED_LABELS = 6;

const SECOND_LEVEL = new Set(GENERIC_SECOND_LEVEL_LABELS);
const PREFIXES = new Set(IGNORED_HOST_PREFIXES);

const toMatch = (e: SourceEntry): SourceMatch => ({ kind: e.kind, source: e.source });

/** Built once from the frozen table and never written after: a lookup index, not state. */
const HOST_INDEX: ReadonlyMap<string, SourceMatch> = new Map(
  SOURCE_TABLE.flatMap((e) => e.hosts.map((h) => [h, toMatch(e)] as const)),
);
const APP_INDEX: ReadonlyMap<string, SourceMatch> = new Map(
  SOURCE_TABLE.flatMap((e) => (e.apps ?? []).map((a) => [a, toMatch(e)] as const)),
);
const NAME_INDEX: ReadonlyMap<string, SourceMatch> = new Map(
  SOURCE_TABLE.flatMap((e) => [e.source, ...(e.aliases ?? [])].map((n) => [n, toMatch(e)] as const)).reverse(),
);

/** Parses without throwing; `null` for anything the WHATWG URL parser rejects. */
export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw.slice(0, MAX_INPUT_LENGTH));
  } catch {
    return null;
  }
}

/**
 * Lowercases, drops a trailing dot and the `www.`/`m.`/`l.`/`lm.` prefixes (while a dot remains),
 * so `www.Example.com.` and `example.com` are one site. Returns `null` for an empty or over-long host.
 */
export function normalizeHost(hostname: string): string | null {
  let host = hostname.trim().toLowerCase();
  while (host.endsWith('.')) host = host.slice(0, -1);
  for (;;) {
    const dot = host.indexOf('.');
    if (dot < 0 || !PREFIXES.has(host.slice(0, dot)) || !host.slice(dot + 1).includes('.')) break;
    host = host.slice(dot + 1);
  }
  return host === '' || host.length > MAX_HOST_LENGTH ? null : host;
}

/** Labels that form the public suffix: 2 for co.uk-style suffixes, else 1. */
function suffixLength(labels: readonly string[]): number {
  const last = labels[labels.length - 1] ?? '';
  const second = labels[labels.length - 2];
  return labels.length >= 2 && last.length === 2 && second !== undefined && SECOND_LEVEL.has(second) ? 2 : 1;
}

/**
 * Finds the service a host belongs to: the most specific listed suffix wins, and at each level an
 * exact entry (`mail.google.com`) beats a wildcard one (`google.*`).
 */
export function lookupHost(host: string): SourceMatch | null {
  const labels = host.split('.');
  const suffix = suffixLength(labels);
  const last = Math.max(labels.length - suffix, 1);
  for (let i = Math.max(0, labels.length - MAX_LISTED_LABELS); i < last; i++) {
    const exact = HOST_INDEX.get(labels.slice(i).join('.'));
    if (exact) return exact;
    const wildcard = HOST_INDEX.get(`${labels.slice(i, labels.length - suffix).join('.')}.*`);
    if (wildcard && labels.length - i > suffix) return wildcard;
  }
  return null;
}

/** The service an `android-app://<package>` referrer names, if we list it. */
export function lookupApp(packageId: string): SourceMatch | null {
  return APP_INDEX.get(packageId.toLowerCase()) ?? null;
}

/**
 * The service a utm_source names: a host (`chatgpt.com`, `l.facebook.com`), a listed name or alias
 * (`ig`, `google`), or a name of two letters or more followed by a qualifier (`google-ads`, `fb-paid`,
 * as normalised from `Google_Ads`); `x-mas` is not X.
 */
export function lookupSourceName(token: string): SourceMatch | null {
  const named = NAME_INDEX.get(token);
  if (named) return named;
  const hostname = token.includes('://') ? (parseUrl(token)?.hostname ?? '') : token;
  if (/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(hostname)) {
    const host = normalizeHost(hostname);
    const byHost = host === null ? null : lookupHost(host);
    if (byHost) return byHost;
  }
  const head = token.split('-', 1)[0] ?? '';
  return head.length >= 2 && head !== token ? (NAME_INDEX.get(head) ?? null) : null;
}

/** Normalises an own-host setting (`Shop.Example.com:8443`, `https://example.com/`) to a host. */
export function normalizeOwnHost(raw: string): string | null {
  const text = raw.trim();
  if (text === '') return null;
  const url = parseUrl(text.includes('://') ? text : `http://${text}`);
  return url === null ? null : normalizeHost(url.hostname);
}

/**
 * True when `host` is one of `ownHosts` or a subdomain of one (DESIGN L8: such a referrer is never
 * a referral). An own host that is only a public suffix (`com`, `co.uk`) matches itself alone:
 * as a parent it would turn every referrer into a self-referral.
 */
export function isOwnHost(host: string, ownHosts: readonly string[]): boolean {
  return ownHosts.some((own) => host === own || (hasRegistrableLabel(own) && host.endsWith(`.${own}`)));
}

function hasRegistrableLabel(host: string): boolean {
  const labels = host.split('.');
  return labels.length > suffixLength(labels);
}
