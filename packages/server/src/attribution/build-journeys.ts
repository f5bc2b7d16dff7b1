// Builds attribution journeys: each conversion's touchpoints across every device linked by identify, inside the lookback.
import type { Journey, Touchpoint } from '@touchline/attribution';
import type { ConversionFact, IdentityLink, SessionFact } from '@touchline/storage';

export interface JourneyInput {
  conversions: readonly ConversionFact[];
  sessions: readonly SessionFact[];
  links: readonly IdentityLink[];
  lookbackMs: number;
}

export interface Journeys {
  journeys: Journey[];
  /** Touchpoint paths of visitor groups that did not convert in the range (Markov needs them). */
  nonConverting: Touchpoint[][];
}

/** Union-find over visitors: two visitors are one person when an identify call names the same user for both. */
function groupVisitors(links: readonly IdentityLink[]): (visitorId: string) => string {
  const parent = new Map<string, string>();
  const find = (v: string): string => {
    let root = v;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    let cur = v;
    while (cur !== root) { const next = parent.get(cur) as string; parent.set(cur, root); cur = next; }
    return root;
  };
  const firstVisitorOfUser = new Map<string, string>();
  for (const { userId, visitorId } of links) {
    const other = firstVisitorOfUser.get(userId);
    if (other === undefined) { firstVisitorOfUser.set(userId, visitorId); continue; }
    const a = find(visitorId);
    const b = find(other);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  return find;
}

function touchpointsByGroup(sessions: readonly SessionFact[], groupOf: (v: string) => string): Map<string, Touchpoint[]> {
  const byGroup = new Map<string, Touchpoint[]>();
  for (const s of sessions) {
    const group = groupOf(s.visitorId);
    const list = byGroup.get(group) ?? [];
    list.push({ channel: s.channel ?? 'direct', timestamp: s.startedAt, campaign: s.campaign });
    byGroup.set(group, list);
  }
  for (const list of byGroup.values()) list.sort((a, b) => a.timestamp - b.timestamp);
  return byGroup;
}

/** Touchpoints in [convertedAt - lookback, convertedAt], by binary search over the sorted list. */
function window(list: readonly Touchpoint[], from: number, to: number): Touchpoint[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if ((list[mid] as Touchpoint).timestamp < from) lo = mid + 1; else hi = mid; }
  const out: Touchpoint[] = [];
  for (let i = lo; i < list.length && (list[i] as Touchpoint).timestamp <= to; i++) out.push(list[i] as Touchpoint);
  return out;
}

/**
 * Pure and recomputed on every query, so a later identify call that links two devices changes
 * the next answer with no re-attribution job at all: nothing to flood, nothing to get stale.
 */
export function buildJourneys(input: JourneyInput): Journeys {
  const groupOf = groupVisitors(input.links);
  const byGroup = touchpointsByGroup(input.sessions, groupOf);
  const converted = new Set<string>();
  const journeys = [...input.conversions].sort((a, b) => a.timestamp - b.timestamp).map((c) => {
    const group = groupOf(c.visitorId);
    converted.add(group);
    return {
      conversionId: c.id, revenue: c.revenue ?? 0, convertedAt: c.timestamp,
      touchpoints: window(byGroup.get(group) ?? [], c.timestamp - input.lookbackMs, c.timestamp),
    };
  });
  const nonConverting: Touchpoint[][] = [];
  for (const [group, list] of byGroup) if (!converted.has(group)) nonConverting.push(list);
  return { journeys, nonConverting };
}
