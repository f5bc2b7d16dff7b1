// The navigation beacon: a small same-origin script that reports the page views a server never sees (client-side routing, bfcache restores, speculative loads).

/**
 * The script the adapters serve at `beaconScriptPath`. It sends `GET <viewPath>?u=<page URL>&r=<referrer>`
 * (the view beacon, view-beacon.ts) exactly when a page is shown without a request the server counted:
 *
 * - a client-side route change: `history.pushState`/`replaceState` or `popstate` that changes the
 *   path or query (a hash change is a scroll, not a page; a replaceState of the same URL, which
 *   routers do on load, is nothing), with the previous URL as referrer;
 * - a back/forward restore from the bfcache (`pageshow` with `persisted`), or a document the
 *   browser took from its HTTP cache (`transferSize` 0): the server saw neither;
 * - a prerendered page when it is shown (`prerenderingchange`), or a page served from a prefetch.
 *
 * An ordinary document load sends nothing: the server already counted it. No key, no cookie
 * access (identity is resolved from the HttpOnly cookies the beacon request carries), and nothing
 * from another origin. Kept small on purpose: its gzipped size is checked by a test (<= 1 KB).
 */
export function navigationBeaconScript(viewPath: string): string {
  // history.__tl: a page that includes the script twice must not patch (and count) twice.
  return (
    `(function(){var p=${JSON.stringify(viewPath)},l=location,h=history,d=document,u=l.href;if(h.__tl)return;h.__tl=1;` +
    'function s(r){try{fetch(p+"?u="+encodeURIComponent(l.href)+"&r="+encodeURIComponent(r),' +
    '{credentials:"same-origin",keepalive:true,cache:"no-store"})}catch(e){}}' +
    'function b(x){return x.split("#")[0]}' +
    'function c(){var n=l.href,r=u;u=n;if(b(n)!==b(r))s(r)}' +
    '["pushState","replaceState"].forEach(function(m){var o=h[m];h[m]=function(){var x=o.apply(this,arguments);c();return x}});' +
    'addEventListener("popstate",c);' +
    'addEventListener("pageshow",function(e){if(e.persisted){u=l.href;s("")}});' +
    'if(d.prerendering){d.addEventListener("prerenderingchange",function(){s(d.referrer)},{once:true});return}' +
    'var n=performance.getEntriesByType&&performance.getEntriesByType("navigation")[0];' +
    'if(n&&(n.deliveryType==="navigational-prefetch"||n.activationStart>0||n.transferSize===0))s(d.referrer)})();\n'
  );
}

/**
 * True when `info` asks for the script at `path` (GET or HEAD, exactly that path, any query).
 * The substring test comes first so other requests pay one `includes` and nothing more.
 */
export function isNavigationBeaconRequest(method: string, url: string, path: string): boolean {
  if (!url.includes(path) || (method !== 'GET' && method !== 'HEAD')) return false;
  let target = url;
  if (!target.startsWith('/')) {
    try {
      target = new URL(url).pathname;
    } catch {
      return false;
    }
  }
  const end = target.indexOf('?');
  return (end === -1 ? target : target.slice(0, end)) === path;
}
