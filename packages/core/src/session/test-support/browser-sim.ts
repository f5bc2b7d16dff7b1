// A simulated browser for protocol tests: a cookie jar plus requests whose responses arrive in any order.

/** What a session protocol under test computes for one request. */
export interface ProtocolOutcome {
  visitorId: string | null;
  sessionId: string | null;
  /** True when this request began a new session (or visitor). */
  started: boolean;
  setCookies: string[];
  /** For a logout request: the session the browser is in once the response arrives. */
  afterLogoutSessionId?: string;
  /** Ghost visitors (racing first navigations) this request aliased to its visitor (DESIGN.md L10). */
  aliases?: ReadonlyArray<{ visitorId: string; sessionId: string; into: string }>;
}

export interface RequestSpec {
  kind: 'navigation' | 'api' | 'asset' | 'prefetch';
  /** Query string of the page URL, e.g. '?utm_source=x'; '' for none. */
  query: string;
  /** The Referer header sent; absent for none. */
  referrer?: string;
  logout: boolean;
  bot: boolean;
}

export interface Protocol {
  name: string;
  decide(cookieHeader: string, spec: RequestSpec, now: number): ProtocolOutcome;
}

interface StoredCookie {
  value: string;
  expiresAt: number;
}

/** Cookie jar semantics that matter here: last Set-Cookie wins per name; Max-Age expiry; Max-Age=0 deletes. */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  header(now: number): string {
    const parts: string[] = [];
    for (const [name, c] of this.cookies) if (c.expiresAt > now) parts.push(`${name}=${c.value}`);
    return parts.join('; ');
  }

  has(name: string, now: number): boolean {
    const c = this.cookies.get(name);
    return c !== undefined && c.expiresAt > now;
  }

  apply(setCookie: string, now: number): void {
    const [pair = '', ...attrs] = setCookie.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let expiresAt = Number.POSITIVE_INFINITY;
    for (const attr of attrs) {
      const [k = '', v = ''] = attr.trim().split('=');
      if (k.toLowerCase() === 'max-age') expiresAt = now + Number(v) * 1000;
    }
    if (expiresAt <= now) this.cookies.delete(name);
    else this.cookies.set(name, { value, expiresAt });
  }
}

export interface SentRequest extends RequestSpec {
  index: number;
  sendSeq: number;
  sendTime: number;
  hadVisitorCookie: boolean;
  outcome: ProtocolOutcome;
  deliverSeq: number | null;
  deliverTime: number | null;
}

export type Action = { t: 'send'; spec: RequestSpec } | { t: 'deliver'; pick: number } | { t: 'wait'; ms: number };

export interface Run {
  requests: SentRequest[];
  timeoutMs: number;
}

/**
 * Plays the actions against the protocol: sends compute an outcome from the jar at that instant;
 * deliveries apply a pending response's Set-Cookie headers at that instant. Pending responses left
 * at the end are delivered in order, so every run ends with a settled jar.
 */
export function play(protocol: Protocol, actions: readonly Action[], timeoutMs: number, visitorCookie: string): Run {
  const jar = new CookieJar();
  const requests: SentRequest[] = [];
  const pending: SentRequest[] = [];
  let now = 1_700_000_000_000;
  let seq = 0;
  const deliver = (r: SentRequest): void => {
    for (const c of r.outcome.setCookies) jar.apply(c, now);
    r.deliverSeq = seq++;
    r.deliverTime = now;
  };
  for (const action of actions) {
    if (action.t === 'wait') now += action.ms;
    else if (action.t === 'deliver') {
      if (pending.length > 0) deliver(pending.splice(action.pick % pending.length, 1)[0] as SentRequest);
    } else {
      const header = jar.header(now);
      const r: SentRequest = {
        ...action.spec,
        index: requests.length,
        sendSeq: seq++,
        sendTime: now,
        hadVisitorCookie: jar.has(visitorCookie, now),
        outcome: protocol.decide(header, action.spec, now),
        deliverSeq: null,
        deliverTime: null,
      };
      requests.push(r);
      pending.push(r);
    }
  }
  for (const r of pending.splice(0)) deliver(r);
  return { requests, timeoutMs };
}
