// The identity of a request tracked without cookies: the nil visitor for the collector to identify, and nothing written.
import { isbot } from 'isbot';
import { COOKIELESS_ID } from '../wire/cookieless.js';
import { extractCampaign } from './campaign.js';
import type { RequestKind } from './request-kind.js';
import type { Identity } from './resolve-identity.js';

export interface CookielessInput {
  kind: RequestKind;
  url: URL | null;
  userAgent: string | undefined;
  /** Bot detection for the user agent. @default isbot */
  isBot?: (userAgent: string) => boolean;
}

/**
 * No cookie is read or written, so the request alone says nothing about who sent it: navigations
 * and API calls carry the nil visitor and session (COOKIELESS_ID) and the collector computes both
 * from the request context the items carry (docs/privacy.md). Assets and prefetches stay read-only
 * and record nothing, as in the cookie protocol (DESIGN.md property 5); bots get no identity.
 * There is no session start to report: the collector decides sessions by inactivity.
 */
export function cookielessIdentity(input: CookielessInput): Identity {
  const { kind } = input;
  const isBot = input.userAgent !== undefined && (input.isBot ?? isbot)(input.userAgent);
  const campaign = kind === 'navigation' ? extractCampaign(input.url) : null;
  const tracked = !isBot && (kind === 'navigation' || kind === 'api');
  return {
    kind,
    isBot,
    visitorId: tracked ? COOKIELESS_ID : null,
    sessionId: tracked ? COOKIELESS_ID : null,
    sessionNumber: null,
    started: null,
    campaign,
    setCookies: [],
    aliases: [],
  };
}
