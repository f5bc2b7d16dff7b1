// The wire shapes of goals, funnels and funnel reports (snake_case, ISO times), shared by the API and the dashboard.
import type { Funnel, Goal } from '@touchline/storage';
import { ratio, type FunnelReport } from './funnel-report.js';
import { formatWindow } from './funnel-input.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const goalJson = (g: Goal) => ({
  id: g.id,
  name: g.name,
  kind: g.kind,
  match: g.match,
  created_at: iso(g.createdAt),
  updated_at: iso(g.updatedAt),
});

export const funnelJson = (f: Funnel) => ({
  id: f.id,
  name: f.name,
  steps: f.steps,
  window: formatWindow(f.windowMs),
  window_ms: f.windowMs,
  created_at: iso(f.createdAt),
  updated_at: iso(f.updatedAt),
});

export function funnelReportJson(r: FunnelReport, range: { from: number; to: number }) {
  return {
    funnel: {
      id: r.funnel.id,
      name: r.funnel.name,
      window: formatWindow(r.funnel.windowMs),
      window_ms: r.funnel.windowMs,
    },
    unit: r.unit,
    from: iso(range.from),
    to: iso(range.to),
    truncated: r.truncated,
    steps: r.steps.map((s) => ({
      step: s.step,
      goal: s.goal,
      count: s.count,
      conversion_rate: s.conversionRate,
      step_rate: s.stepRate,
    })),
    channels: r.channels.map((c) => ({ channel: c.channel, counts: c.counts })),
  };
}

/** CSV: one row per (channel, step), the totals first under channel "all"; rates against the same channel's entries. */
export function funnelReportCsv(r: FunnelReport): { header: string[]; rows: unknown[][] } {
  const rows: unknown[][] = [];
  const add = (channel: string, counts: readonly number[]): void => {
    r.steps.forEach((s, i) => {
      const count = counts[i] ?? 0;
      const stepRate = i === 0 ? null : ratio(count, counts[i - 1] ?? 0);
      rows.push([channel, s.step, s.goal.name, count, ratio(count, counts[0] ?? 0) ?? '', stepRate ?? '']);
    });
  };
  add(
    'all',
    r.steps.map((s) => s.count),
  );
  for (const c of r.channels) add(c.channel ?? '(none)', c.counts);
  return { header: ['channel', 'step', 'goal', 'count', 'conversion_rate', 'step_rate'], rows };
}
