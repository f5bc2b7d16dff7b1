// Dashboard funnels and model comparison: the account's funnels, one funnel's report by entry channel, all eight models side by side.
import { MODEL_NAMES } from '@touchline/attribution';
import {
  defineFunnel,
  defineGoal,
  describeIssue,
  formatWindow,
  FUNNEL_UNITS,
  goalInputSchema,
  replyError,
  requestSignal,
  type FunnelUnit,
  type ReadPool,
} from '@touchline/server';
import { ATTRIBUTION_DIMENSIONS, type AttributionDimension, type Storage } from '@touchline/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../auth/access.js';
import { requireCsrf, requireSameOrigin, requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { parseDashboardQuery, replyInvalid } from './dashboard-query.js';
import { rowsAsObjects, sendTable, type Table } from './send-table.js';

interface Deps {
  storage: Storage;
  reads: ReadPool;
  sessions: SessionStore;
  now: () => number;
}

const LOOKBACK_DAYS = 30;
const reportSchema = z.object({
  unit: z
    .enum(FUNNEL_UNITS as unknown as [FunnelUnit, ...FunnelUnit[]], {
      error: `must be one of ${FUNNEL_UNITS.join(', ')}`,
    })
    .default('visitor'),
});
const compareSchema = z.object({
  group_by: z
    .enum(ATTRIBUTION_DIMENSIONS as unknown as [AttributionDimension, ...AttributionDimension[]], {
      error: `must be one of ${ATTRIBUTION_DIMENSIONS.join(', ')}`,
    })
    .default('channel'),
});

const newFunnelSchema = z.object({
  account: z.string().min(1).max(64),
  name: z.unknown(),
  window: z.unknown().optional(),
  steps: z
    .array(z.object({ kind: z.unknown(), match: z.unknown() }), { error: 'is required (one step per line)' })
    .max(10, 'a funnel has at most 10 steps'),
});

/**
 * "New funnel" in the dashboard: steps given as (kind, match) pairs. Every step is checked before
 * anything is stored; each step reuses the account's goal of the same kind and match, or creates it.
 */
async function createFunnelOfSteps(
  deps: Deps,
  reply: FastifyReply,
  body: z.infer<typeof newFunnelSchema>,
): Promise<FastifyReply> {
  for (const [i, step] of body.steps.entries()) {
    const parsed = goalInputSchema.safeParse({
      name: `${String(step.kind)} ${String(step.match)}`.slice(0, 200),
      kind: step.kind,
      match: step.match,
    });
    if (!parsed.success) return replyError(reply, 400, 'invalid_body', `step ${i + 1}: ${describeIssue(parsed.error)}`);
  }
  const goals = await deps.storage.listGoals(body.account);
  const ids: string[] = [];
  for (const step of body.steps) {
    const existing = goals.find((g) => g.kind === step.kind && g.match === step.match);
    if (existing !== undefined) {
      ids.push(existing.id);
      continue;
    }
    const created = await defineGoal(
      deps.storage,
      body.account,
      null,
      { name: `${String(step.kind)} ${String(step.match)}`.slice(0, 200), kind: step.kind, match: step.match },
      deps.now(),
    );
    if (created.kind !== 'ok')
      return replyError(
        reply,
        created.kind === 'conflict' ? 409 : 400,
        created.kind === 'conflict' ? created.code : 'invalid_body',
        created.message,
      );
    goals.push(created.value);
    ids.push(created.value.id);
  }
  const done = await defineFunnel(
    deps.storage,
    body.account,
    null,
    {
      name: body.name,
      steps: ids,
      ...(body.window === undefined || body.window === '' ? {} : { window: body.window }),
    },
    deps.now(),
  );
  if (done.kind === 'ok') return reply.send({ id: done.value.id });
  return replyError(
    reply,
    done.kind === 'conflict' ? 409 : 400,
    done.kind === 'conflict' ? done.code : 'invalid_body',
    done.message,
  );
}

/** A rate for a table cell: 4 decimals, null when there is nothing to divide by. */
const rate = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part * 10_000) / whole) / 10_000 : null;

export function registerFunnelRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/dashboard/api/funnels', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (
      signedIn === null ||
      !requireCsrf(signedIn, request, reply) ||
      !requireAdmin(signedIn, 'define funnels and goals', reply)
    )
      return reply;
    const body = newFunnelSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    if (!(await deps.storage.listAccounts()).some((a) => a.id === body.data.account))
      return replyError(reply, 404, 'unknown_account', `no account with id ${body.data.account}`);
    return createFunnelOfSteps(deps, reply, body.data);
  });

  app.get('/dashboard/api/funnels', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const [funnels, goals] = await Promise.all([
      deps.storage.listFunnels(q.accountId),
      deps.storage.listGoals(q.accountId),
    ]);
    return {
      funnels: funnels.map((f) => ({ id: f.id, name: f.name, window: formatWindow(f.windowMs), steps: f.steps })),
      goals: goals.map((g) => ({ id: g.id, name: g.name, kind: g.kind, match: g.match })),
    };
  });

  app.get('/dashboard/api/funnels/:id/report', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const options = reportSchema.safeParse(request.query);
    if (!options.success) return replyInvalid(reply, options.error);
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const id = String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);
    const report = await deps.reads.run(
      'funnelReport',
      [{ accountId: q.accountId, funnelId: id, from: q.from, to: q.to, unit: options.data.unit }],
      { signal: requestSignal(reply) },
    );
    if (report === null) return replyError(reply, 404, 'not_found', `no funnel ${id} in this account`);
    // One row per step; after the totals, one count column per entry channel.
    const channels = report.channels.map((c) => c.channel ?? '(none)');
    const table: Table = {
      columns: ['step', 'goal', 'count', 'conversion_rate', 'step_rate', ...channels],
      rows: report.steps.map((s, i) => [
        s.step,
        s.goal.name,
        s.count,
        s.conversionRate,
        s.stepRate,
        ...report.channels.map((c) => c.counts[i] ?? 0),
      ]),
    };
    return sendTable(reply, q.format, `funnel-${report.funnel.name}`, table, () => ({
      funnel: { id: report.funnel.id, name: report.funnel.name, window: formatWindow(report.funnel.windowMs) },
      unit: report.unit,
      truncated: report.truncated,
      channels: report.channels.map((c) => ({
        channel: c.channel,
        counts: c.counts,
        conversion_rate: rate(c.counts[c.counts.length - 1] ?? 0, c.counts[0] ?? 0),
      })),
      rows: rowsAsObjects(table),
    }));
  });

  app.get('/dashboard/api/compare', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const options = compareSchema.safeParse(request.query);
    if (!options.success) return replyInvalid(reply, options.error);
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const groupBy = options.data.group_by;
    const answer = await deps.reads.run(
      'compareModels',
      [{ accountId: q.accountId, from: q.from, to: q.to, lookbackDays: LOOKBACK_DAYS, groupBy }],
      { signal: requestSignal(reply) },
    );
    const table: Table = {
      columns: [groupBy, ...MODEL_NAMES.flatMap((m) => [`${m}_conversions`, `${m}_revenue`])],
      rows: answer.groups.map((g) => [
        g.group,
        ...MODEL_NAMES.flatMap((m) => [g.credit[m].conversions, g.credit[m].revenue]),
      ]),
    };
    return sendTable(reply, q.format, `compare-models-by-${groupBy}`, table, () => ({
      group_by: groupBy,
      lookback_days: LOOKBACK_DAYS,
      conversions: answer.conversions,
      revenue: answer.revenue,
      truncated: answer.truncated,
      models: answer.models,
      groups: answer.groups,
    }));
  });
}
