// Protocols under test: Touchline's, and a naive single-cookie design that must fail the properties.
import { randomUUID } from 'node:crypto';
import { endSessionCookies, resolveIdentity } from '../resolve-identity.js';
import type { SessionSettings } from '../session-settings.js';
import type { Protocol, ProtocolOutcome, RequestSpec } from './browser-sim.js';

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export function touchlineProtocol(settings: SessionSettings): Protocol {
  return {
    name: 'touchline',
    decide(cookieHeader, spec, now) {
      const url = new URL(`https://shop.example/page${spec.query}`);
      const identity = resolveIdentity({
        cookieHeader,
        kind: spec.kind,
        url,
        referrer: spec.referrer,
        userAgent: spec.bot ? BOT_UA : BROWSER_UA,
        now,
        settings,
      });
      const outcome: ProtocolOutcome = {
        visitorId: identity.visitorId,
        sessionId: identity.sessionId,
        started: identity.started !== null,
        setCookies: identity.setCookies,
        aliases: identity.aliases,
      };
      if (!spec.logout) return outcome;
      const next = endSessionCookies(identity, { url, settings });
      if (next === null) return outcome;
      return {
        ...outcome,
        setCookies: [...identity.setCookies, ...next.setCookies],
        afterLogoutSessionId: next.sessionId,
      };
    },
  };
}

/** The classic design: one random session id cookie with a sliding Max-Age, minted whenever it is missing. */
export function naiveSingleCookieProtocol(timeoutMs: number): Protocol {
  const read = (header: string, name: string): string | undefined =>
    header
      .split('; ')
      .find((c) => c.startsWith(`${name}=`))
      ?.slice(name.length + 1);
  return {
    name: 'naive',
    decide(cookieHeader, spec: RequestSpec) {
      if (spec.bot) return { visitorId: null, sessionId: null, started: false, setCookies: [] };
      let visitorId = read(cookieHeader, 'vid') ?? null;
      const setCookies: string[] = [];
      if (visitorId === null) {
        if (spec.kind !== 'navigation') return { visitorId: null, sessionId: null, started: false, setCookies: [] };
        visitorId = randomUUID();
        setCookies.push(`vid=${visitorId}; Max-Age=34560000`);
      }
      const existing = read(cookieHeader, 'sid');
      const sessionId = existing ?? randomUUID();
      setCookies.push(spec.logout ? 'sid=; Max-Age=0' : `sid=${sessionId}; Max-Age=${timeoutMs / 1000}`);
      return { visitorId, sessionId, started: existing === undefined, setCookies };
    },
  };
}
