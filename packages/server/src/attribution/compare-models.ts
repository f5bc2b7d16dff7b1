// Model comparison: one account's conversions credited under all eight models from one load of the facts, side by side per group.
import {
  buildJourneys,
  MicroTotals,
  MODEL_EXPLANATIONS,
  MODEL_NAMES,
  MODELS,
  splitGroupedKey,
  toMicros,
  type ModelName,
} from '@touchline/attribution';
import type { AttributionDimension, Storage } from '@touchline/storage';
import { MAX_SESSIONS_PER_QUERY, type LookbackDays } from './attribute.js';
import { sumBy } from './sum-credits.js';

const DAY = 86_400_000;

export interface ModelComparisonQuery {
  accountId: string;
  from: number;
  to: number;
  lookbackDays: LookbackDays;
  groupBy: AttributionDimension;
}

export interface ModelComparison {
  models: Array<{ model: ModelName; explanation: string }>;
  /** One row per group (channel, or the breakdown's value; null: sessions without one); every model's credit in it. */
  groups: Array<{ group: string | null; credit: Record<ModelName, { conversions: number; revenue: number }> }>;
  conversions: number;
  revenue: number;
  truncated: boolean;
}

/**
 * The journeys are built once and every model runs over the same ones, so differences between
 * columns come from the models alone. Groups are ordered by their largest revenue under any model.
 */
export async function compareModels(storage: Storage, q: ModelComparisonQuery): Promise<ModelComparison> {
  const lookbackMs = q.lookbackDays * DAY;
  // Markov's facts hold every model's journeys; non-converting paths come mostly as counted steps.
  // No model reads a touchpoint's campaign, so the utm column is left out unless it is the breakdown.
  const facts = await storage.markovFacts(q.accountId, {
    from: q.from,
    to: q.to,
    lookbackMs,
    maxSessions: MAX_SESSIONS_PER_QUERY,
    dimension: q.groupBy,
    campaigns: false,
  });
  const grouped = q.groupBy !== 'channel';
  const { journeys, nonConverting, nonConvertingSteps } = buildJourneys({ ...facts, lookbackMs, grouped });
  const rows = new Map<string | null, ModelComparison['groups'][number]>();
  for (const model of MODEL_NAMES) {
    const result = MODELS[model](journeys, { nonConverting, nonConvertingSteps });
    for (const t of sumBy(result.channels, (key) => (grouped ? splitGroupedKey(key).group : key))) {
      let row = rows.get(t.key);
      if (row === undefined) {
        row = {
          group: t.key,
          credit: Object.fromEntries(
            MODEL_NAMES.map((m) => [m, { conversions: 0, revenue: 0 }]),
          ) as ModelComparison['groups'][number]['credit'],
        };
        rows.set(t.key, row);
      }
      row.credit[model] = { conversions: t.conversions, revenue: t.revenue };
    }
  }
  const revenue = new MicroTotals();
  for (const j of journeys) revenue.add(0, toMicros(j.revenue));
  const top = (r: ModelComparison['groups'][number]): number =>
    Math.max(...MODEL_NAMES.map((m) => r.credit[m].revenue));
  return {
    models: MODEL_NAMES.map((model) => ({ model, explanation: MODEL_EXPLANATIONS[model] })),
    groups: [...rows.values()].sort((a, b) => top(b) - top(a) || String(a.group).localeCompare(String(b.group))),
    conversions: journeys.length,
    revenue: revenue.amount(0),
    truncated: facts.truncated,
  };
}
