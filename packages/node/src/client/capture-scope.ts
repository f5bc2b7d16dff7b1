// Builds the per-request scope: identity plus a frozen snapshot of everything background work needs.
import {
  classifyRequest,
  cookielessIdentity,
  resolveIdentity,
  type Identity,
  type RequestContext,
} from '@touchline/core';
import type { ClientSettings } from '../client-settings.js';
import type { BeaconAnswer } from './beacon-answer.js';
import { decideConsent, type ConsentMode } from './consent.js';
import { firstForwarded, pageUrl } from './page-url.js';
import type { RequestInfo } from './request-info.js';

/**
 * One request's Touchline state. Created per request and reachable only through that request's
 * AsyncLocalStorage context or explicit passing: never stored anywhere shared (DESIGN L1).
 */
export interface RequestScope {
  readonly identity: Identity;
  /** Frozen copy of the request data items carry; safe to read after the response ended (L8). */
  readonly context: Readonly<RequestContext>;
  readonly url: URL | null;
  /**
   * Set for Touchline's own requests (the view beacon, the navigation beacon script): the adapter
   * sends this answer with the identity cookies and never passes the request to the app.
   */
  readonly answer: BeaconAnswer | null;
  /** The request's own cookie sink (see RequestInfo.appendSetCookie). */
  readonly appendSetCookie: RequestInfo['appendSetCookie'];
  /**
   * The request's consent (consent.ts): with `none` the identity is empty and nothing is recorded for
   * it; with `cookieless` no cookie is written and the collector identifies the visitor.
   */
  readonly consent: ConsentMode;
  /** Why the consent rule failed (reported by the client), or null. */
  readonly consentProblem: string | null;
  /** Current session: changes once if endSession() is called inside the request. */
  session: { id: string | null; number: number | null };
}

function clientIp(info: RequestInfo, settings: ClientSettings): string | null {
  if (!settings.captureIp) return null;
  const forwarded = settings.trustProxy ? firstForwarded(info.header('x-forwarded-for')) : undefined;
  return (forwarded ?? info.remoteAddress ?? null)?.slice(0, 64) ?? null;
}

/** Shared by every context without a campaign: frozen and empty, so it carries nothing between requests. */
const NONE: Readonly<Record<string, string>> = Object.freeze({});

const clip = (value: string | undefined, max: number): string | null =>
  value === undefined ? null : value.slice(0, max);

/** `isBot` is the client's memoized bot check (createBotCheck); without it, plain isbot. */
export function captureScope(
  info: RequestInfo,
  settings: ClientSettings,
  now: number,
  isBot?: (userAgent: string) => boolean,
  answer: BeaconAnswer | null = null,
): RequestScope {
  const url = pageUrl(info, settings.trustProxy);
  const kind = info.kind ?? classifyRequest(info.method, info.header);
  const userAgent = info.header('user-agent');
  const referrer = info.header('referer');
  const consent = decideConsent(info.header, url, settings);
  // Without consent the cookies are not even read: an identity from before a withdrawal is not used.
  // Cookieless reads none either: an old visitor cookie must not link cookieless traffic to a person.
  const identity: Identity =
    consent.mode === 'none'
      ? {
          kind,
          isBot: false,
          visitorId: null,
          sessionId: null,
          sessionNumber: null,
          started: null,
          campaign: null,
          setCookies: [],
          aliases: [],
        }
      : consent.mode === 'cookieless'
        ? cookielessIdentity({ kind, url, userAgent, ...(isBot === undefined ? {} : { isBot }) })
        : resolveIdentity({
            cookieHeader: info.header('cookie'),
            kind,
            url,
            userAgent,
            referrer,
            isBot,
            now,
            settings: settings.session,
          });
  const context: RequestContext = Object.freeze({
    url: url === null ? null : url.href.slice(0, 4096),
    referrer: clip(referrer, 4096),
    user_agent: clip(userAgent, 1024),
    ip: clientIp(info, settings),
    utm: identity.campaign === null ? NONE : Object.freeze({ ...identity.campaign.utm }),
    click_ids: identity.campaign === null ? NONE : Object.freeze({ ...identity.campaign.clickIds }),
    session_start: identity.started,
  });
  return {
    identity: Object.freeze(identity),
    context,
    url,
    answer,
    appendSetCookie: info.appendSetCookie,
    consent: consent.mode,
    consentProblem: consent.problem,
    session: { id: identity.sessionId, number: identity.sessionNumber },
  };
}
