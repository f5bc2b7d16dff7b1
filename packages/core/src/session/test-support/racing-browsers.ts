// Simulated browsers that open several pages at once with empty jars (racing first navigations), for the L10 property test.
import { deriveSessionId } from '../../ids.js';
import { resolveIdentity } from '../resolve-identity.js';
import type { SessionSettings } from '../session-settings.js';
import { CookieJar, type RequestSpec } from './browser-sim.js';

/** One request as a browser sent it, with what the protocol decided for it. */
export interface RacingRequest {
  browser: number;
  kind: RequestSpec['kind'];
  visitorId: string | null;
  sessionId: string | null;
  /** True when this request minted its visitor (it was sent with an empty jar). */
  minted: boolean;
  /** ghost visitor -> [ghost session, canonical session], as the SDK's alias items carry them */
  aliases: Array<{ ghost: string; ghostSession: string; into: string; canonical: string }>;
  setCookies: string[];
}

export type RacingAction =
  | { t: 'send'; browser: number; kind: RequestSpec['kind'] }
  | { t: 'deliver'; browser: number; pick: number }
  | { t: 'wait'; ms: number };

// Both browsers share one IP and one user agent (a NAT pair): nothing below may tell them apart but their jars.
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

/**
 * Plays `opening` cookieless navigations per browser sent at once, then `actions`, then delivers
 * whatever is pending and has each browser send one more navigation (the race has settled).
 * Returns every request in send order.
 */
export function playRacing(
  settings: SessionSettings,
  browsers: number,
  opening: readonly number[],
  actions: readonly RacingAction[],
): RacingRequest[] {
  const jars = Array.from({ length: browsers }, () => new CookieJar());
  const pending: RacingRequest[][] = Array.from({ length: browsers }, () => []);
  const sent: RacingRequest[] = [];
  let now = 1_700_000_000_000;
  const send = (browser: number, kind: RequestSpec['kind']): void => {
    const jar = jars[browser] as CookieJar;
    const identity = resolveIdentity({
      cookieHeader: jar.header(now),
      kind,
      url: new URL('https://shop.example/page'),
      userAgent: UA,
      now,
      settings,
    });
    const r: RacingRequest = {
      browser,
      kind,
      visitorId: identity.visitorId,
      sessionId: identity.sessionId,
      setCookies: identity.setCookies,
      minted: identity.started === 'new_visitor',
      aliases: identity.aliases.map((g) => ({
        ghost: g.visitorId,
        ghostSession: g.sessionId,
        into: g.into,
        canonical: identity.visitorId ?? '',
      })),
    };
    sent.push(r);
    (pending[browser] as RacingRequest[]).push(r);
    now += 1; // ids minted in one millisecond still differ; a millisecond apart they are ordered by time
  };
  const deliver = (browser: number, pick: number): void => {
    const queue = pending[browser] as RacingRequest[];
    if (queue.length === 0) return;
    const [r] = queue.splice(pick % queue.length, 1);
    for (const c of r?.setCookies ?? []) (jars[browser] as CookieJar).apply(c, now);
  };
  opening.forEach((count, browser) => {
    for (let i = 0; i < count; i++) send(browser, 'navigation');
  });
  for (const a of actions) {
    if (a.t === 'wait') now += a.ms;
    else if (a.t === 'send') send(a.browser % browsers, a.kind);
    else deliver(a.browser % browsers, a.pick);
  }
  for (let b = 0; b < browsers; b++) while ((pending[b] as RacingRequest[]).length > 0) deliver(b, 0);
  for (let b = 0; b < browsers; b++) send(b, 'navigation');
  return sent;
}

/**
 * The collector's view of the aliases (what applying them stores): each ghost's visitor follows
 * its alias edges to the end, and its first session joins the canonical's first session.
 */
export function collectorView(requests: readonly RacingRequest[]): {
  visitor: (id: string) => string;
  session: (visitorId: string, sessionId: string) => string;
} {
  const edges = new Map<string, { canonical: string; ghostSession: string; into: string }>();
  for (const r of requests) {
    for (const a of r.aliases) {
      const seen = edges.get(a.ghost);
      // A later alias of the same ghost names an earlier canonical (the canonical only moves earlier).
      if (seen === undefined || a.canonical < seen.canonical) edges.set(a.ghost, a);
    }
  }
  const visitor = (id: string): string => {
    let v = id;
    for (let hops = 0; hops < 16; hops++) {
      const e = edges.get(v);
      if (e === undefined) return v;
      v = e.canonical;
    }
    throw new Error(`alias chain from ${id} does not end`);
  };
  const session = (visitorId: string, sessionId: string): string => {
    let v = visitorId;
    let s = sessionId;
    for (let hops = 0; hops < 16; hops++) {
      const e = edges.get(v);
      if (e === undefined) return s;
      if (s === e.ghostSession) s = e.into;
      v = e.canonical;
    }
    throw new Error(`alias chain from ${visitorId} does not end`);
  };
  return { visitor, session };
}

/** Every violation of the racing properties in one run of `browsers` browsers. */
export function racingViolations(requests: readonly RacingRequest[], browsers: number): string[] {
  const out: string[] = [];
  const view = collectorView(requests);
  const roots: string[] = [];
  for (let b = 0; b < browsers; b++) {
    const mine = requests.filter((r) => r.browser === b && r.visitorId !== null && r.sessionId !== null);
    const last = mine[mine.length - 1];
    if (last === undefined) {
      out.push(`browser ${b} has no identified request`);
      continue;
    }
    const root = view.visitor(last.visitorId ?? '');
    roots.push(root);
    if (root !== last.visitorId)
      out.push(`browser ${b}: its settled visitor ${last.visitorId} is aliased away to ${root}`);
    // One visitor and one session per browser once aliases are applied (no wait reached the timeout).
    const rootSession = deriveSessionId(root, 1);
    // No flapping: requests sent with ids in the jar move only to an earlier minted id, never back.
    let previous: string | null = null;
    for (const r of mine) {
      const v = r.visitorId ?? '';
      if (view.visitor(v) !== root)
        out.push(`browser ${b}: visitor ${v} never joins ${root} (two visitors after the race)`);
      const s = view.session(v, r.sessionId ?? '');
      if (s !== rootSession)
        out.push(`browser ${b}: request in ${v}/${r.sessionId} lands in session ${s}, not ${rootSession}`);
      if (r.minted) continue;
      if (previous !== null && v > previous) out.push(`browser ${b}: visitor flapped from ${previous} back to ${v}`);
      previous = v;
    }
  }
  // NAT pairs stay apart: no browser's visitor is merged with another's.
  if (new Set(roots).size !== roots.length) out.push(`two browsers share a visitor: ${roots.join(', ')}`);
  const owner = new Map<string, number>();
  for (const r of requests) {
    for (const id of [r.visitorId, ...r.aliases.map((a) => a.ghost)]) {
      if (id === null) continue;
      const b = owner.get(id);
      if (b !== undefined && b !== r.browser) out.push(`visitor ${id} appears in browsers ${b} and ${r.browser}`);
      owner.set(id, r.browser);
    }
  }
  return out;
}
