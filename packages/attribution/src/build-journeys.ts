// Builds attribution journeys: each conversion's touchpoints across every device linked by identify, inside the lookback.
import { groupedKey } from './grouped-key.js';
import { DIRECT, type Journey, type Touchpoint } from './journey.js';
import type { PathStep } from './markov/path-step.js';

/** A conversion; sessionId is the session it was recorded in (null when unknown). */
export interface ConversionFact {
  id: string;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  revenue: number | null;
}
/** A session as a touchpoint: when it started and the channel (null: unclassified, counted as direct). */
export interface SessionFact {
  id: string;
  visitorId: string;
  startedAt: number;
  channel: string | null;
  campaign: string | null;
  /** A breakdown's value (null: the session has none); used when the input is `grouped`. */
  group?: string | null;
}
/**
 * `count` non-converting paths stepped from a session like `from` to one like `to` (null: the
 * path's start, or its end), counted by the database over people it knows never converted
 * (visitors with no identify link and no conversion in the range), instead of sending their sessions.
 */
export interface SessionStep {
  from: Pick<SessionFact, 'channel' | 'group'> | null;
  to: Pick<SessionFact, 'channel' | 'group'> | null;
  count: number;
}
/** An identify call: this visitor is this user (two visitors of one user are one person). */
export interface IdentityLink {
  userId: string;
  visitorId: string;
}

/** What journeys are built from; storage's attribution facts have this shape. */
export interface JourneyInput {
  conversions: readonly ConversionFact[];
  sessions: readonly SessionFact[];
  links: readonly IdentityLink[];
  lookbackMs: number;
  /** Key touchpoints by channel and each session's `group` (a breakdown, grouped-key.ts) instead of by channel. @default false */
  grouped?: boolean;
  /**
   * Visitors known to be one person without their links: a materialized journey's membership (its
   * converter and each visitor it touched). United like links. @default []
   */
  pairs?: ReadonlyArray<{ visitorId: string; otherId: string }>;
  /** Non-converting paths already counted step by step; none of their visitors may be among `sessions`' visitors. @default [] */
  steps?: readonly SessionStep[];
}

export interface Journeys {
  journeys: Journey[];
  /** Touchpoint paths of visitor groups that did not convert in the range (Markov needs them). */
  nonConverting: Touchpoint[][];
  /** The input's `steps` keyed as touchpoints are (channel, or channel and group), equal keys summed. */
  nonConvertingSteps: PathStep[];
}

/** Union-find over visitors: two visitors are one person when an identify call names the same user for both. */
function groupVisitors(
  links: readonly IdentityLink[],
  pairs: JourneyInput['pairs'] = [],
): (visitorId: string) => string {
  const parent = new Map<string, string>();
  const find = (v: string): string => {
    let root = v;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    let cur = v;
    while (cur !== root) {
      const next = parent.get(cur) as string;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const unite = (x: string, y: string): void => {
    const a = find(x);
    const b = find(y);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  };
  const firstVisitorOfUser = new Map<string, string>();
  for (const { userId, visitorId } of links) {
    const other = firstVisitorOfUser.get(userId);
    if (other === undefined) firstVisitorOfUser.set(userId, visitorId);
    else unite(visitorId, other);
  }
  for (const { visitorId, otherId } of pairs) unite(visitorId, otherId);
  return find;
}

/** A group's touchpoints in time order, with the session each came from (to end a journey at its conversion's session). */
interface GroupTouches {
  touchpoints: Touchpoint[];
  sessionIds: string[];
}

/** A session's touchpoint key: its channel (unclassified: direct), with the breakdown's group when asked for one. */
function touchKey(s: Pick<SessionFact, 'channel' | 'group'>, grouped: boolean): string {
  const channel = s.channel ?? DIRECT;
  return grouped ? groupedKey(channel, s.group ?? null) : channel;
}

function touchpointsByGroup(
  sessions: readonly SessionFact[],
  groupOf: (v: string) => string,
  grouped: boolean,
): Map<string, GroupTouches> {
  const byGroup = new Map<string, SessionFact[]>();
  for (const s of sessions) {
    const group = groupOf(s.visitorId);
    const list = byGroup.get(group) ?? [];
    list.push(s);
    byGroup.set(group, list);
  }
  const out = new Map<string, GroupTouches>();
  for (const [group, list] of byGroup) {
    list.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    out.set(group, {
      touchpoints: list.map((s) => ({ channel: touchKey(s, grouped), timestamp: s.startedAt, campaign: s.campaign })),
      sessionIds: list.map((s) => s.id),
    });
  }
  return out;
}

/**
 * Touchpoints in [convertedAt - lookback, convertedAt], by binary search over the sorted list.
 * A session that starts in the very millisecond of the conversion counts only if it is the
 * conversion's own session: a purchase and the next visit's landing can share a millisecond, and
 * the next visit did not lead to the purchase. Without a known session, the bound stays inclusive.
 */
function window(group: GroupTouches, from: number, to: number, ownSession: string | null): Touchpoint[] {
  const list = group.touchpoints;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Touchpoint).timestamp < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && (list[end] as Touchpoint).timestamp < to) end++;
  const out = list.slice(lo, end);
  // Sessions starting exactly at `to` (rare: looked at only when present).
  const ties: number[] = [];
  for (let i = end; i < list.length && (list[i] as Touchpoint).timestamp === to; i++) ties.push(i);
  if (ties.length === 0) return out;
  const own = ownSession === null ? -1 : (ties.find((i) => group.sessionIds[i] === ownSession) ?? -1);
  const ownInGroup = own !== -1 || (ownSession !== null && group.sessionIds.includes(ownSession));
  for (const i of ties) if (!ownInGroup || i === own) out.push(list[i] as Touchpoint);
  return out;
}

const NO_TOUCHES: GroupTouches = { touchpoints: [], sessionIds: [] };

/**
 * Pure and recomputed on every query, so a later identify call that links two devices changes
 * the next answer with no re-attribution job at all: nothing to flood, nothing to get stale.
 */
export function buildJourneys(input: JourneyInput): Journeys {
  const groupOf = groupVisitors(input.links, input.pairs);
  const byGroup = touchpointsByGroup(input.sessions, groupOf, input.grouped === true);
  const converted = new Set<string>();
  const journeys = [...input.conversions]
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((c) => {
      const group = groupOf(c.visitorId);
      converted.add(group);
      return {
        conversionId: c.id,
        revenue: c.revenue ?? 0,
        convertedAt: c.timestamp,
        touchpoints: window(byGroup.get(group) ?? NO_TOUCHES, c.timestamp - input.lookbackMs, c.timestamp, c.sessionId),
      };
    });
  const nonConverting: Touchpoint[][] = [];
  for (const [group, touches] of byGroup) if (!converted.has(group)) nonConverting.push(touches.touchpoints);
  return { journeys, nonConverting, nonConvertingSteps: keyedSteps(input.steps ?? [], input.grouped === true) };
}

/** Steps keyed like touchpoints; two sessions' values may share a key (a breakdown parsed from different JSON texts), so counts are summed. */
function keyedSteps(steps: readonly SessionStep[], grouped: boolean): PathStep[] {
  const byFrom = new Map<string | null, Map<string | null, number>>();
  for (const step of steps) {
    const from = step.from === null ? null : touchKey(step.from, grouped);
    const to = step.to === null ? null : touchKey(step.to, grouped);
    const row = byFrom.get(from) ?? new Map<string | null, number>();
    row.set(to, (row.get(to) ?? 0) + step.count);
    byFrom.set(from, row);
  }
  const out: PathStep[] = [];
  for (const [from, row] of byFrom) for (const [to, count] of row) out.push({ from, to, count });
  return out;
}
