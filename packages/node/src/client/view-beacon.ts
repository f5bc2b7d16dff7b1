// The view beacon: how a prefetched or prerendered page, once the user actually opens it, gets its pageview.
import { pageUrl } from './page-url.js';
import type { RequestInfo } from './request-info.js';

/** Headers that would make the beacon's stand-in navigation look speculative or like an API call. */
const MASKED = new Set(['sec-purpose', 'purpose', 'x-purpose', 'x-moz', 'x-requested-with']);

/**
 * The navigation a view beacon stands for, or null when `info` is not a beacon (`GET <path>?u=<page
 * URL>&r=<document.referrer>`) or names a page of another origin. A speculative load records
 * nothing (it may never be shown) and, once shown, never reaches the server again; the page's
 * script (viewBeaconScript) sends this beacon then, and only then, so the view counts once.
 * The stand-in carries the beacon's cookies, user agent and address, the page URL and referrer
 * from the query, and navigation fetch metadata: it mints or continues identity as the
 * navigation would have.
 */
export function viewBeaconNavigation(info: RequestInfo, path: string, trustProxy: boolean): RequestInfo | null {
  if (info.method !== 'GET' || !info.url.includes(path)) return null;
  const beaconUrl = pageUrl(info, trustProxy);
  if (beaconUrl === null || beaconUrl.pathname !== path) return null;
  const page = parseHttpUrl(beaconUrl.searchParams.get('u'));
  if (page === null || page.origin !== beaconUrl.origin) return null;
  const referrer = beaconUrl.searchParams.get('r') || undefined;
  return {
    ...info,
    // Absolute, of the beacon's own origin (checked above, forwarded headers included).
    url: page.href,
    // Whatever the adapter made of the beacon request itself (an API fetch), it stands for a navigation.
    kind: 'navigation',
    header(name) {
      if (name === 'referer') return referrer;
      if (name === 'sec-fetch-mode') return 'navigate';
      if (name === 'sec-fetch-dest') return 'document';
      if (name === 'accept') return 'text/html';
      return MASKED.has(name) ? undefined : info.header(name);
    },
  };
}

function parseHttpUrl(raw: string | null): URL | null {
  if (raw === null) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The inline script to put in the `<head>` of pages that speculation rules may prefetch or
 * prerender. It does nothing on an ordinary load (the server saw that navigation); on a prerendered
 * page it waits until the page is shown (`prerenderingchange`), and on a page served from a
 * prefetch (`deliveryType` 'navigational-prefetch') it reports the view as it runs.
 *
 * @example
 * res.send(`<head><script>${viewBeaconScript(touchline.settings.viewBeaconPath)}</script>...`);
 */
export function viewBeaconScript(path: string): string {
  return (
    `(function(){var p=${JSON.stringify(path)};function s(){try{fetch(p+'?u='+encodeURIComponent(location.href)+'&r='+` +
    `encodeURIComponent(document.referrer),{credentials:'same-origin',keepalive:true,cache:'no-store'})}catch(e){}}` +
    `if(document.prerendering){document.addEventListener('prerenderingchange',s,{once:true});return}` +
    `var n=performance.getEntriesByType&&performance.getEntriesByType('navigation')[0];` +
    `if(n&&(n.deliveryType==='navigational-prefetch'||n.activationStart>0))s()})();`
  );
}
