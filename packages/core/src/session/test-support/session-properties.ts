// The five required session-protocol properties (DESIGN.md), checked over one simulated run.
import type { SessionConvention } from '../session-convention.js';
import type { RequestSpec, Run, SentRequest } from './browser-sim.js';

/** Referrers of the simulated site itself: never a new source under any convention. */
const OWN = /^https?:\/\/(?:[a-z0-9-]+\.)*shop\.example(?:[:/]|$)/;

/**
 * Whether a request may start a session by naming a new source under `convention`: a navigation
 * with campaign parameters, or, under the referrer convention, with an external referrer.
 * Continuity is owed to every other request. Under `inactivity` nothing may.
 */
export function namesSource(convention: SessionConvention, r: RequestSpec): boolean {
  return sourceKey(convention, r) !== null;
}

/** The source a request names under `convention` (campaign query, and external referrer), or null. */
function sourceKey(convention: SessionConvention, r: RequestSpec): string | null {
  if (r.kind !== 'navigation' || convention === 'inactivity') return null;
  const external =
    convention === 'inactivity+campaign+referrer' &&
    r.referrer !== undefined &&
    r.referrer !== '' &&
    !OWN.test(r.referrer)
      ? new URL(r.referrer).hostname
      : '';
  return r.query === '' && external === '' ? null : `${r.query}|${external}`;
}

/**
 * P6, the converse of continuity: with every earlier response arrived and the session alive, a
 * navigation naming a source other than the one(s) that started the current session starts a new
 * session. "Current" is the session of the last writing response to arrive; its sources are those
 * of every request that started it (racing starters may disagree; any of them may own the cookie).
 */
export function newSource(run: Run, convention: SessionConvention): string[] {
  const out: string[] = [];
  const { visitor, session } = aliasView(run);
  for (const r of run.requests) {
    const key = sourceKey(convention, r);
    if (key === null || r.bot || r.logout || !r.hadVisitorCookie || r.outcome.visitorId === null) continue;
    const earlier = run.requests.filter((q) => q.sendSeq < r.sendSeq);
    if (earlier.some((q) => !delivered(q, r.sendSeq))) continue;
    if (r.sendTime - lastActivity(run, r.sendSeq) >= run.timeoutMs) continue;
    const last = earlier
      .filter((q) => writes(q) && visitor(q.outcome.visitorId) === visitor(r.outcome.visitorId))
      .sort((a, b) => (b.deliverSeq ?? 0) - (a.deliverSeq ?? 0))[0];
    if (last === undefined) continue;
    const current = session(
      last.logout && last.outcome.afterLogoutSessionId !== undefined
        ? last.outcome.afterLogoutSessionId
        : last.outcome.sessionId,
    );
    if (earlier.some((q) => q.logout && session(q.outcome.afterLogoutSessionId) === current)) continue; // a logout's session names no source
    // Racing first navigations' sessions merge (DESIGN.md L10): their starters all started the merged one.
    const starters = earlier.filter((q) => session(q.outcome.sessionId) === current && q.outcome.started);
    if (starters.length === 0 || starters.some((q) => sourceKey(convention, q) === key)) continue;
    if (session(r.outcome.sessionId) === current)
      out.push(`P6 new source ignored: #${r.index} (${key}) stayed in ${current}`);
  }
  return out;
}

/** The collector's view after the run's aliases (DESIGN.md L10): ghost visitors and first sessions renamed. */
function aliasView(run: Run): {
  visitor: (id: string | null) => string | null;
  session: (id: string | null | undefined) => string | null;
} {
  const visitors = new Map<string, string>();
  const sessions = new Map<string, string>();
  for (const r of run.requests) {
    for (const a of r.outcome.aliases ?? []) {
      if (r.outcome.visitorId !== null) visitors.set(a.visitorId, r.outcome.visitorId);
      sessions.set(a.sessionId, a.into);
    }
  }
  const follow = (map: Map<string, string>, id: string | null | undefined): string | null => {
    let at = id ?? null;
    for (let hops = 0; at !== null && map.has(at) && hops < 16; hops++) at = map.get(at) ?? null;
    return at;
  };
  return { visitor: (id) => follow(visitors, id), session: (id) => follow(sessions, id) };
}

/*
 * Definitions used below (the browser's point of view):
 * - a request "writes" if it is a non-bot navigation or API call: those are the responses that
 *   may carry identity cookies; assets and prefetches are read-only;
 * - a session is "seen" once a response of a writing request assigned to it has arrived;
 * - "activity" is the arrival of a writing request's response; the session is alive while the
 *   last activity is less than the timeout ago.
 * Sessions are ranked by first appearance: the first request sent in them, or, for the session a
 * logout sets up, the arrival of that logout's response. (One that no request ever used, e.g.
 * behind a second, concurrent logout, is left out: the browser never was in it.)
 */

const writes = (r: SentRequest): boolean =>
  !r.bot && r.outcome.visitorId !== null && (r.kind === 'navigation' || r.kind === 'api');
const delivered = (r: SentRequest, beforeSeq: number): boolean => r.deliverSeq !== null && r.deliverSeq < beforeSeq;

function sessionRanks(run: Run): Map<string, number> {
  const rank = new Map<string, number>();
  const note = (id: string | null | undefined, seq: number | null): void => {
    if (id == null || seq === null) return;
    rank.set(id, Math.min(rank.get(id) ?? Number.POSITIVE_INFINITY, seq));
  };
  for (const r of run.requests) note(r.outcome.sessionId, r.sendSeq);
  for (const r of run.requests) {
    if (r.logout && rank.has(r.outcome.afterLogoutSessionId ?? '')) note(r.outcome.afterLogoutSessionId, r.deliverSeq);
  }
  return rank;
}

/** Sessions of visitor `v` the browser had received before sequence point `seq`. */
function seenSessions(run: Run, v: string, seq: number): string[] {
  const seen: string[] = [];
  for (const q of run.requests) {
    if (!writes(q) || q.outcome.visitorId !== v || !delivered(q, seq)) continue;
    if (q.outcome.sessionId) seen.push(q.outcome.sessionId);
  }
  return seen;
}

/** Time of the last activity (writing response arrival) before `seq`, or -Infinity. */
function lastActivity(run: Run, seq: number): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const q of run.requests) {
    if (writes(q) && delivered(q, seq) && q.deliverTime !== null && q.deliverTime > last) last = q.deliverTime;
  }
  return last;
}

/** Was the session continuously alive from sequence point `fromSeq` (time `fromTime`) to `to`? */
function aliveThroughout(run: Run, fromSeq: number, fromTime: number, to: SentRequest): boolean {
  let last = lastActivity(run, fromSeq + 1);
  if (fromTime - last >= run.timeoutMs) return false;
  const arrivals = run.requests
    .filter((q) => writes(q) && q.deliverSeq !== null && q.deliverSeq > fromSeq && q.deliverSeq < to.sendSeq)
    .sort((a, b) => (a.deliverSeq ?? 0) - (b.deliverSeq ?? 0));
  for (const q of arrivals) {
    if ((q.deliverTime ?? 0) - last >= run.timeoutMs) return false;
    last = q.deliverTime ?? last;
  }
  return to.sendTime - last < run.timeoutMs;
}

export function noFlapping(run: Run): string[] {
  const rank = sessionRanks(run);
  const out: string[] = [];
  for (const r of run.requests) {
    const v = r.outcome.visitorId;
    const s = r.outcome.sessionId;
    if (v === null || s === null) continue;
    for (const seen of seenSessions(run, v, r.sendSeq)) {
      if ((rank.get(s) ?? 0) < (rank.get(seen) ?? 0)) {
        out.push(`P1 flapping: request #${r.index} went back to session ${s} after ${seen} had been seen`);
      }
    }
  }
  return out;
}

export function agreement(run: Run): string[] {
  const out: string[] = [];
  const starters = run.requests.filter((r) => writes(r) && r.hadVisitorCookie && r.outcome.started);
  for (let i = 0; i < starters.length; i++) {
    for (let j = i + 1; j < starters.length; j++) {
      const a = starters[i] as SentRequest;
      const b = starters[j] as SentRequest;
      if (a.outcome.visitorId !== b.outcome.visitorId) continue;
      const cookieArrivedBetween = run.requests.some(
        (q) =>
          q.outcome.setCookies.length > 0 &&
          q.deliverSeq !== null &&
          q.deliverSeq > a.sendSeq &&
          q.deliverSeq < b.sendSeq,
      );
      if (!cookieArrivedBetween && a.outcome.sessionId !== b.outcome.sessionId) {
        out.push(
          `P2 disagreement: concurrent starts #${a.index} and #${b.index} got ${a.outcome.sessionId} and ${b.outcome.sessionId}`,
        );
      }
    }
  }
  return out;
}

function quietBetween(run: Run, r1: SentRequest, r2: SentRequest): boolean {
  for (const q of run.requests) {
    if (q.sendSeq >= r2.sendSeq) continue;
    const settledBeforeR1 = q.deliverSeq !== null && q.deliverSeq < r1.sendSeq;
    if (q.logout && !settledBeforeR1) return false;
    if (q.outcome.started && q !== r1 && !settledBeforeR1) return false;
  }
  return !r1.outcome.started || delivered(r1, r2.sendSeq);
}

/** P3, owed to every request that names no new source under `convention`. */
export function continuity(run: Run, convention: SessionConvention = 'inactivity+campaign'): string[] {
  const out: string[] = [];
  for (let i = 1; i < run.requests.length; i++) {
    const r1 = run.requests[i - 1] as SentRequest;
    const r2 = run.requests[i] as SentRequest;
    if (r1.bot || r2.bot || r1.logout || namesSource(convention, r2) || !r2.hadVisitorCookie) continue;
    if (r1.outcome.visitorId === null || r1.outcome.visitorId !== r2.outcome.visitorId) continue;
    if (!quietBetween(run, r1, r2)) continue;
    const from = r1.outcome.started
      ? { seq: r1.deliverSeq ?? 0, time: r1.deliverTime ?? 0 }
      : { seq: r1.sendSeq, time: r1.sendTime };
    if (!aliveThroughout(run, from.seq, from.time, r2)) continue;
    if (r1.outcome.sessionId !== r2.outcome.sessionId) {
      out.push(
        `P3 broken continuity: #${r1.index} (${r1.outcome.sessionId}) and #${r2.index} (${r2.outcome.sessionId}) were < timeout apart`,
      );
    }
  }
  return out;
}

export function expiry(run: Run): string[] {
  const out: string[] = [];
  for (const r of run.requests) {
    const v = r.outcome.visitorId;
    if (r.bot || !r.hadVisitorCookie || v === null) continue;
    if (
      r.sendTime - lastActivity(run, r.sendSeq) >= run.timeoutMs &&
      seenSessions(run, v, r.sendSeq).includes(r.outcome.sessionId ?? '')
    ) {
      out.push(`P4 no expiry: #${r.index} came after the timeout but stayed in ${r.outcome.sessionId}`);
    }
  }
  for (const logout of run.requests.filter((r) => r.logout && r.outcome.visitorId !== null)) {
    const before = new Set(
      run.requests
        .filter((q) => q.sendSeq <= logout.sendSeq && q.outcome.visitorId === logout.outcome.visitorId)
        .map((q) => q.outcome.sessionId),
    );
    for (const r of run.requests) {
      if (
        r.outcome.visitorId === logout.outcome.visitorId &&
        delivered(logout, r.sendSeq) &&
        before.has(r.outcome.sessionId)
      ) {
        out.push(
          `P4 logout undone: #${r.index}, sent after logout #${logout.index} arrived, is back in ${r.outcome.sessionId}`,
        );
      }
    }
  }
  return out;
}

export function navigationOnlyIdentity(run: Run): string[] {
  const out: string[] = [];
  for (const r of run.requests) {
    const mayMint = r.kind === 'navigation' && !r.bot;
    const readOnly = r.bot || r.kind === 'asset' || r.kind === 'prefetch';
    if (!r.hadVisitorCookie && !mayMint && (r.outcome.visitorId !== null || r.outcome.setCookies.length > 0)) {
      out.push(`P5 identity minted by a ${r.bot ? 'bot ' : ''}${r.kind} request #${r.index}`);
    } else if (readOnly && r.outcome.setCookies.length > 0) {
      out.push(`P5 read-only ${r.bot ? 'bot ' : ''}${r.kind} request #${r.index} wrote cookies`);
    }
  }
  return out;
}

/**
 * Every violation of the five properties in `run`, and of P6. The convention decides which requests
 * are owed continuity (under `inactivity` a campaign landing must not split a session either) and
 * which must start a session (P6).
 */
export function allViolations(run: Run, convention: SessionConvention = 'inactivity+campaign'): string[] {
  return [
    ...noFlapping(run),
    ...agreement(run),
    ...continuity(run, convention),
    ...expiry(run),
    ...navigationOnlyIdentity(run),
    ...newSource(run, convention),
  ];
}
