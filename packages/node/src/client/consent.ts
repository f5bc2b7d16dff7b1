// Consent per request: the host's rule (and, when asked, the browser's Sec-GPC / DNT signals) decides whether Touchline tracks it.
//
// Before consent no Touchline cookie may be written, and an existing one may not be read to track:
// the decision is made before identity is resolved, from the request alone (a pure function of
// it, like identity itself: nothing is remembered between requests, DESIGN L1).
import type { HeaderGetter } from '@touchline/core';
import { readPrefixedCookies } from '@touchline/core';

/**
 * - `full`: visitor and session cookies, as without a consent setting (cookieless with `mode: 'cookieless'`);
 * - `cookieless`: no Touchline cookie is set or read; items go with the nil visitor id and the
 *   collector identifies the visitor by a keyed daily hash of truncated IP, user agent and site
 *   (cookieless-identity.ts, docs/privacy.md);
 * - `none`: no Touchline cookie is set or read, no pageview, and events of the request are dropped
 *   (counted as `dropped` with reason `no_consent`). Calls with an explicit `{ visitorId }` are the
 *   app's own decision and still go.
 */
export type ConsentMode = 'full' | 'cookieless' | 'none';
export const CONSENT_MODES: readonly ConsentMode[] = ['full', 'cookieless', 'none'];

/** What the host's consent rule sees of a request. */
export interface ConsentRequest {
  /** Header lookup by lower-case name. */
  header: HeaderGetter;
  /** One cookie of the request by name (the site's own consent cookie, typically). */
  cookie(name: string): string | undefined;
  /** The page URL, when it can be built. */
  url: URL | null;
}

export type ConsentRule = (request: ConsentRequest) => ConsentMode;

/** True when the request carries Global Privacy Control (`Sec-GPC: 1`) or Do Not Track (`DNT: 1`). */
export function hasPrivacySignal(header: HeaderGetter): boolean {
  return header('sec-gpc')?.trim() === '1' || header('dnt')?.trim() === '1';
}

export interface ConsentSettings {
  consent?: ConsentRule | undefined;
  /** 'cookieless': a request the rule allows fully is tracked cookieless. */
  mode: 'cookies' | 'cookieless';
  /** 'ignore' (default) or 'none': a request with Sec-GPC: 1 or DNT: 1 is not tracked. */
  privacySignals: 'ignore' | 'none';
}

/** The request's mode, or why the rule could not say (then `none`: never track on a broken rule). */
export function decideConsent(
  header: HeaderGetter,
  url: URL | null,
  settings: ConsentSettings,
): { mode: ConsentMode; problem: string | null } {
  if (settings.privacySignals === 'none' && hasPrivacySignal(header)) return { mode: 'none', problem: null };
  const decided = ruleMode(header, url, settings);
  // The global mode caps the rule: with mode 'cookieless' no answer can set a Touchline cookie.
  return decided.mode === 'full' && settings.mode === 'cookieless' ? { mode: 'cookieless', problem: null } : decided;
}

function ruleMode(
  header: HeaderGetter,
  url: URL | null,
  settings: ConsentSettings,
): { mode: ConsentMode; problem: string | null } {
  if (settings.consent === undefined) return { mode: 'full', problem: null };
  let cookies: Map<string, string> | null = null;
  const request: ConsentRequest = {
    header,
    url,
    cookie(name) {
      cookies ??= readPrefixedCookies(header('cookie') ?? '', '');
      return cookies.get(name);
    },
  };
  try {
    const mode = settings.consent(request);
    if ((CONSENT_MODES as readonly unknown[]).includes(mode)) return { mode, problem: null };
    return {
      mode: 'none',
      problem: `consent rule returned ${JSON.stringify(mode)}; expected 'full', 'cookieless' or 'none' (the request was not tracked)`,
    };
  } catch (error) {
    return {
      mode: 'none',
      problem: `consent rule threw: ${error instanceof Error ? error.message : String(error)} (the request was not tracked)`,
    };
  }
}
