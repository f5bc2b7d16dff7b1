// Next.js request kinds: RSC client navigations count as navigations; router prefetches, /_next/ and static files never do.
import { classifyRequest, type RequestKind } from '@touchline/core';

/** Build output, image optimizer, HMR and data routes: never a page. */
const NEXT_INTERNAL = /^\/_next\//;
/** Files an app serves from public/ or metadata routes; a page path does not end in these. */
const STATIC_FILE =
  /\.(?:avif|bmp|css|csv|eot|gif|ico|jpe?g|js|json|map|mjs|mp3|mp4|ogg|otf|pdf|png|svg|ttf|txt|wasm|webm|webmanifest|webp|woff2?|xml|zip)$/i;
const SPECULATIVE = /\b(?:prefetch|prerender)\b/i;

/** The query parameter Next.js adds to RSC fetches to bust caches; not part of the page URL. */
export const RSC_QUERY = '_rsc';

/**
 * Order of evidence, first match wins:
 * 1. `/_next/...` or a static file extension: `asset` (no identity minted, no cookies written).
 * 2. A router prefetch (`Next-Router-Prefetch: 1`, `Next-Router-Segment-Prefetch`) or a browser
 *    speculative load (`Purpose`/`Sec-Purpose: prefetch|prerender`): `prefetch`.
 * 3. A server action (`Next-Action`): `api` (extends the session, no pageview).
 * 4. `RSC: 1` (a client-side navigation fetching the next page's payload): `navigation`, or `api`
 *    when `countRsc` is false because the navigation beacon script counts client navigations
 *    (counting both would count each twice).
 * 5. Anything else: the core rules (fetch metadata, then Accept).
 */
export function nextRequestKind(
  method: string,
  pathname: string,
  header: (name: string) => string | undefined,
  countRsc = true,
): RequestKind {
  if (NEXT_INTERNAL.test(pathname) || STATIC_FILE.test(pathname)) return 'asset';
  if (header('next-router-prefetch') !== undefined || header('next-router-segment-prefetch') !== undefined)
    return 'prefetch';
  for (const name of ['sec-purpose', 'purpose']) {
    const value = header(name);
    if (value !== undefined && SPECULATIVE.test(value)) return 'prefetch';
  }
  if (header('next-action') !== undefined) return 'api';
  if (header('rsc') === '1' && method.toUpperCase() === 'GET') return countRsc ? 'navigation' : 'api';
  return classifyRequest(method, header);
}

/** The page URL of a request: an RSC fetch's `_rsc` cache buster removed. */
export function pageUrlOf(url: string): string {
  if (!url.includes(`${RSC_QUERY}=`)) return url;
  const parsed = new URL(url);
  parsed.searchParams.delete(RSC_QUERY);
  return parsed.href;
}
