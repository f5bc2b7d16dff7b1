// Markov's aggregated path steps as a read model: each session's step from its visitor's previous session, and whether a next one follows, counted per start day.
import type { SessionShape } from './rollup-deltas.js';

export const DAY_MS = 86_400_000;
/** A start day (UTC day number); stored times are never before 1970, so SQL's integer division agrees. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
/** prev_day / next_day of a session with no previous / next session of its visitor. */
export const NONE = -1;

/** A session as a visitor's path sees it: '' for no channel (channels are never empty strings). */
export interface PathSession {
  id: string;
  startedAt: number;
  channel: string;
}

/** A change of one path_steps row: sessions started on `day` whose visitor's previous session started on `prevDay` in `prevChannel`. */
export interface PathStepDelta {
  accountKey: number;
  day: number;
  prevDay: number;
  prevChannel: string;
  channel: string;
  sessions: number;
}

/** A change of one path_ends row: sessions started on `day` whose visitor's next session starts on `nextDay`. */
export interface PathEndDelta {
  accountKey: number;
  day: number;
  nextDay: number;
  channel: string;
  sessions: number;
}

/** One visitor's sessions that a write inserted, removed, or moved in start or channel: as they were, and as they are. */
export interface PathChange {
  accountKey: number;
  visitorId: string;
  before: PathSession[];
  after: PathSession[];
}

/** Path order: start, then id in code-unit order (as buildJourneys, and PostgreSQL's "C" collation). */
export function byPathOrder(
  a: Pick<PathSession, 'startedAt' | 'id'>,
  b: Pick<PathSession, 'startedAt' | 'id'>,
): number {
  if (a.startedAt !== b.startedAt) return a.startedAt - b.startedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const visitorKey = (accountKey: number, visitorId: string): string => `${accountKey}\u0000${visitorId}`;
const toPath = (s: SessionShape): PathSession => ({ id: s.id, startedAt: s.startedAt, channel: s.channel });

/**
 * The visitors whose paths a write changed, with the changed sessions before and after. A session
 * that only gained items or a later last-seen time changes no path (its start and channel decide
 * every step), so most writes of an existing session change nothing here.
 */
export function pathChanges(before: readonly SessionShape[], after: readonly SessionShape[]): PathChange[] {
  const key = (s: SessionShape): string => `${visitorKey(s.accountKey, s.visitorId)}\u0000${s.id}`;
  const old = new Map(before.map((s) => [key(s), s]));
  const now = new Map(after.map((s) => [key(s), s]));
  const changes = new Map<string, PathChange>();
  const changeOf = (s: SessionShape): PathChange => {
    const k = visitorKey(s.accountKey, s.visitorId);
    let c = changes.get(k);
    if (c === undefined) {
      c = { accountKey: s.accountKey, visitorId: s.visitorId, before: [], after: [] };
      changes.set(k, c);
    }
    return c;
  };
  for (const [k, s] of now) {
    const was = old.get(k);
    if (was !== undefined && was.startedAt === s.startedAt && was.channel === s.channel) continue;
    const c = changeOf(s);
    c.after.push(toPath(s));
    if (was !== undefined) c.before.push(toPath(was));
  }
  for (const [k, s] of old) if (!now.has(k)) changeOf(s).before.push(toPath(s));
  return [...changes.values()].sort((a, b) => {
    const x = visitorKey(a.accountKey, a.visitorId);
    const y = visitorKey(b.accountKey, b.visitorId);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Adds one path's rows (times n) to the maps: each session's step from its previous session, and its next session's day. */
function countPath(
  accountKey: number,
  path: readonly PathSession[],
  n: number,
  steps: Map<string, PathStepDelta>,
  ends: Map<string, PathEndDelta>,
): void {
  const sorted = [...path].sort(byPathOrder);
  for (const [i, s] of sorted.entries()) {
    const prev = sorted[i - 1];
    const next = sorted[i + 1];
    const day = dayOf(s.startedAt);
    const prevDay = prev === undefined ? NONE : dayOf(prev.startedAt);
    const prevChannel = prev?.channel ?? '';
    const stepKey = `${accountKey}\u0000${day}\u0000${prevDay}\u0000${prevChannel}\u0000${s.channel}`;
    const step = steps.get(stepKey) ?? { accountKey, day, prevDay, prevChannel, channel: s.channel, sessions: 0 };
    step.sessions += n;
    steps.set(stepKey, step);
    const nextDay = next === undefined ? NONE : dayOf(next.startedAt);
    const endKey = `${accountKey}\u0000${day}\u0000${nextDay}\u0000${s.channel}`;
    const end = ends.get(endKey) ?? { accountKey, day, nextDay, channel: s.channel, sessions: 0 };
    end.sessions += n;
    ends.set(endKey, end);
  }
}

/**
 * The rows a change moves, from the visitor's sessions as stored now (`current`, before or after
 * the write: the changed sessions are taken out and put back in both versions, so either works):
 * the whole path after, minus the whole path before. A visitor has a handful of sessions.
 */
export function pathStepDeltas(
  changes: readonly PathChange[],
  current: ReadonlyMap<string, readonly PathSession[]>,
): { steps: PathStepDelta[]; ends: PathEndDelta[] } {
  const steps = new Map<string, PathStepDelta>();
  const ends = new Map<string, PathEndDelta>();
  for (const c of changes) {
    const changed = new Set([...c.before, ...c.after].map((s) => s.id));
    const rest = (current.get(visitorKey(c.accountKey, c.visitorId)) ?? []).filter((s) => !changed.has(s.id));
    countPath(c.accountKey, [...rest, ...c.before], -1, steps, ends);
    countPath(c.accountKey, [...rest, ...c.after], 1, steps, ends);
  }
  const sorted = <T extends { sessions: number }>(m: Map<string, T>): T[] =>
    [...m.entries()]
      .filter(([, d]) => d.sessions !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, d]) => d);
  return { steps: sorted(steps), ends: sorted(ends) };
}

/**
 * A person's correction rows (docs/read-model.md, "Person paths"): its merged path's rows minus each
 * of its visitors' own paths' rows, so that path_steps (every visitor's own path) plus these rows
 * count the person's path as one. Zero for a person of one visitor.
 */
export function personPathRows(
  accountKey: number,
  visitorPaths: ReadonlyArray<readonly PathSession[]>,
): { steps: PathStepDelta[]; ends: PathEndDelta[] } {
  const steps = new Map<string, PathStepDelta>();
  const ends = new Map<string, PathEndDelta>();
  if (visitorPaths.length > 1) {
    countPath(accountKey, visitorPaths.flat(), 1, steps, ends);
    for (const path of visitorPaths) countPath(accountKey, path, -1, steps, ends);
  }
  const nonZero = <T extends { sessions: number }>(m: Map<string, T>): T[] =>
    [...m.values()].filter((d) => d.sessions !== 0);
  return { steps: nonZero(steps), ends: nonZero(ends) };
}

/** The key current sessions are grouped by for pathStepDeltas. */
export const pathVisitorKey = visitorKey;
