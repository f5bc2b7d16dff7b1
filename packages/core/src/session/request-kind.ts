// Classifies a request as a navigation, API call, asset or speculative load from its headers alone.

/**
 * - `navigation`: a top-level document load the user asked for. Only these mint identity.
 * - `api`: fetch/XHR from a page. Extends an existing session, never mints a visitor.
 * - `asset`: images, scripts, styles, fonts, iframes... Read-only: no cookies written.
 * - `prefetch`: prefetch or prerender the user may never see. Read-only.
 */
export type RequestKind = 'navigation' | 'api' | 'asset' | 'prefetch';

/** Header lookup, case-insensitive by contract: adapters pass lower-case names. */
export type HeaderGetter = (lowerCaseName: string) => string | undefined;

const SPECULATIVE = /\b(prefetch|prerender|preview)\b/i;
const ASSET_DESTS = new Set([
  'audio',
  'audioworklet',
  'font',
  'image',
  'manifest',
  'paintworklet',
  'report',
  'script',
  'serviceworker',
  'sharedworker',
  'style',
  'track',
  'video',
  'worker',
  'xslt',
  'embed',
  'object',
  'iframe',
  'frame',
]);

/**
 * Order of evidence:
 * 1. `Sec-Purpose` / `Purpose` / `X-Purpose` / `X-Moz` naming prefetch, prerender or preview: `prefetch`.
 * 2. Fetch metadata (all current browsers): `Sec-Fetch-Mode: navigate` with `Sec-Fetch-Dest: document`
 *    is a navigation; `Sec-Fetch-Dest: empty` is an API call; any other destination is an asset.
 * 3. Fallback for clients that send no fetch metadata (old browsers, curl, some proxies):
 *    `X-Requested-With` or a JSON-first `Accept` is an API call; a GET/HEAD/POST whose `Accept`
 *    lists `text/html` is a navigation; anything else is an asset. A client that sends neither
 *    metadata nor `Accept: text/html` therefore never gets identity cookies.
 */
export function classifyRequest(method: string, header: HeaderGetter): RequestKind {
  for (const name of ['sec-purpose', 'purpose', 'x-purpose', 'x-moz']) {
    const value = header(name);
    if (value !== undefined && SPECULATIVE.test(value)) return 'prefetch';
  }
  const mode = header('sec-fetch-mode')?.toLowerCase();
  const dest = header('sec-fetch-dest')?.toLowerCase();
  if (mode !== undefined || dest !== undefined) {
    if (mode === 'navigate' && (dest === undefined || dest === 'document')) return 'navigation';
    if (dest === 'empty' || (dest === undefined && mode !== 'navigate')) return 'api';
    if (dest !== undefined && ASSET_DESTS.has(dest)) return 'asset';
    return mode === 'navigate' ? 'asset' : 'api';
  }
  const verb = method.toUpperCase();
  const accept = (header('accept') ?? '').toLowerCase();
  if (header('x-requested-with') !== undefined) return 'api';
  if (/^\s*application\/(?:[\w.+-]*\+)?json/.test(accept)) return 'api';
  if ((verb === 'GET' || verb === 'HEAD' || verb === 'POST') && accept.includes('text/html')) {
    return 'navigation';
  }
  return 'asset';
}
