// The funnel report read operation: loads one funnel's definition and matching items, and counts its steps (on a read thread).
import type { Funnel, Goal, Storage } from '@touchline/storage';
import { countFunnel, type FunnelUnit } from './count-funnel.js';

/** Upper bound on (item, goal) rows one report loads: keeps its memory bounded; `truncated` says if it was hit. */
export const MAX_FUNNEL_ROWS = 2_000_000;

export interface FunnelReportQuery {
  accountId: string;
  funnelId: string;
  from: number;
  to: number;
  unit: FunnelUnit;
}

export interface FunnelStepReport {
  step: number;
  goal: { id: string; name: string; kind: Goal['kind']; match: string };
  count: number;
  /** count / entries (step 1), 4 decimals; null with no entries. */
  conversionRate: number | null;
  /** count / the previous step's count, 4 decimals; null when that is 0 (and for step 1). */
  stepRate: number | null;
}

export interface FunnelReport {
  funnel: { id: string; name: string; windowMs: number };
  unit: FunnelUnit;
  steps: FunnelStepReport[];
  channels: Array<{ channel: string | null; counts: number[] }>;
  truncated: boolean;
}

/** A ratio of two counts rounded to 4 decimals (a share, not money). */
export const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part * 10_000) / whole) / 10_000 : null;

function stepReports(funnel: Funnel, goals: ReadonlyMap<string, Goal>, counts: readonly number[]): FunnelStepReport[] {
  return funnel.steps.map((goalId, i) => {
    const goal = goals.get(goalId) as Goal;
    const count = counts[i] ?? 0;
    return {
      step: i + 1,
      goal: { id: goal.id, name: goal.name, kind: goal.kind, match: goal.match },
      count,
      conversionRate: ratio(count, counts[0] ?? 0),
      stepRate: i === 0 ? null : ratio(count, counts[i - 1] ?? 0),
    };
  });
}

/** The report, or null when the account has no such funnel. */
export async function funnelReport(storage: Storage, q: FunnelReportQuery): Promise<FunnelReport | null> {
  const funnel = (await storage.listFunnels(q.accountId)).find((f) => f.id === q.funnelId);
  if (funnel === undefined) return null;
  const goals = new Map((await storage.listGoals(q.accountId)).map((g) => [g.id, g]));
  // Each distinct goal is matched once, however many steps use it.
  const distinct = [...new Set(funnel.steps)];
  const { items, truncated } = await storage.funnelItems(q.accountId, {
    from: q.from,
    until: q.to + funnel.windowMs,
    maxRows: MAX_FUNNEL_ROWS,
    goals: distinct.map((id) => {
      const g = goals.get(id) as Goal;
      return { kind: g.kind, match: g.match };
    }),
  });
  const counted = countFunnel(items, {
    steps: funnel.steps.map((id) => distinct.indexOf(id)),
    windowMs: funnel.windowMs,
    from: q.from,
    to: q.to,
    unit: q.unit,
  });
  return {
    funnel: { id: funnel.id, name: funnel.name, windowMs: funnel.windowMs },
    unit: q.unit,
    steps: stepReports(funnel, goals, counted.counts),
    channels: counted.channels,
    truncated,
  };
}
