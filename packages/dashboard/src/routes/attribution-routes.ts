// Attribution data: channel credit under a chosen model, the conversion list, and one conversion's journey.
import { JOURNEY_MODELS, MODEL_NAMES, type ModelName } from '@touchline/attribution';
import { replyError, requestSignal, type ReadPool } from '@touchline/server';
import { ATTRIBUTION_DIMENSIONS, type AttributionDimension, type Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { parseDashboardQuery, replyInvalid } from './dashboard-query.js';
import { iso, rowsAsObjects, sendTable, type Table } from './send-table.js';

interface Deps {
  storage: Storage;
  reads: ReadPool;
  sessions: SessionStore;
  now: () => number;
}

const LOOKBACK_DAYS = 30;
const CONVERSION_LIMIT = 100;

const journeyTableSchema = z.object({
  table: z.enum(['touchpoints', 'credits'], { error: 'must be touchpoints or credits' }).default('touchpoints'),
});

const modelSchema = z.object({
  model: z
    .enum(MODEL_NAMES as unknown as [ModelName, ...ModelName[]], { error: `must be one of ${MODEL_NAMES.join(', ')}` })
    .default('linear'),
  group_by: z
    .enum(ATTRIBUTION_DIMENSIONS as unknown as [AttributionDimension, ...AttributionDimension[]], {
      error: `must be one of ${ATTRIBUTION_DIMENSIONS.join(', ')}`,
    })
    .default('channel'),
});

export function registerAttributionRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard/api/channels', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const model = modelSchema.safeParse(request.query);
    if (!model.success) return replyInvalid(reply, model.error);
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const { model: name, group_by: groupBy } = model.data;
    const answer = await deps.reads.run(
      'attribution',
      [{ accountId: q.accountId, model: name, from: q.from, to: q.to, lookbackDays: LOOKBACK_DAYS, groupBy }],
      { signal: requestSignal(reply) },
    );
    // By channel, or by the breakdown's values (null: sessions without one).
    // With imported spend, cost, ROAS and CAC columns follow (null where a row has no spend).
    const costs = answer.spend === undefined ? [] : ['cost', 'roas', 'cac'];
    const rows = answer.groups ?? answer.channels.map(({ channel, ...rest }) => ({ group: channel, ...rest }));
    const table: Table = {
      columns: [groupBy, 'conversions', 'revenue', ...costs],
      rows: rows.map((g) => [
        g.group,
        g.conversions,
        g.revenue,
        ...(costs.length === 0 ? [] : [g.cost ?? null, g.roas ?? null, g.cac ?? null]),
      ]),
    };
    return sendTable(reply, q.format, groupBy === 'channel' ? `channels-${name}` : `${groupBy}-${name}`, table, () => ({
      model: name,
      group_by: groupBy,
      lookback_days: LOOKBACK_DAYS,
      conversions: answer.conversions,
      revenue: answer.revenue,
      truncated: answer.truncated,
      spend: answer.spend ?? null,
      rows: rowsAsObjects(table),
    }));
  });

  app.get('/dashboard/api/conversions', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const list = await deps.reads.run(
      'listConversions',
      [q.accountId, { from: q.from, to: q.to, limit: CONVERSION_LIMIT }],
      { signal: requestSignal(reply) },
    );
    const table: Table = {
      columns: ['id', 'name', 'visitor_id', 'time', 'revenue', 'currency'],
      rows: list.map((c) => [c.id, c.name, c.visitorId, iso(c.timestamp), c.revenue, c.currency]),
    };
    return sendTable(reply, q.format, 'conversions', table, () => ({ rows: rowsAsObjects(table) }));
  });

  app.get('/dashboard/api/conversions/:id/journey', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const id = String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);
    const answer = await deps.reads.run(
      'journey',
      [{ accountId: q.accountId, conversionId: id, lookbackDays: LOOKBACK_DAYS }],
      { signal: requestSignal(reply) },
    );
    if (answer === null) return replyError(reply, 404, 'not_found', `no conversion ${id} in this account`);
    const { conversion } = answer;
    const touchpoints: Table = {
      columns: ['step', 'time', 'channel', 'campaign'],
      rows: answer.touchpoints.map((t, i) => [i + 1, iso(t.timestamp), t.channel, t.campaign]),
    };
    const credits = creditTable(
      answer.touchpoints.length === 0 ? [] : JOURNEY_MODELS.map((m) => [m, answer.credits[m]] as const),
    );
    const which = journeyTableSchema.safeParse(request.query);
    if (!which.success) return replyInvalid(reply, which.error);
    return sendTable(
      reply,
      q.format,
      `journey-${id}-${which.data.table}`,
      which.data.table === 'credits' ? credits : touchpoints,
      () => ({
        conversion: {
          id: conversion.id,
          visitor_id: conversion.visitorId,
          time: iso(conversion.timestamp),
          revenue: conversion.revenue,
        },
        lookback_days: LOOKBACK_DAYS,
        touchpoints: rowsAsObjects(touchpoints),
        credits: rowsAsObjects(credits),
      }),
    );
  });
}

/** One row per channel in the journey, one column per model: the share of the conversion each model gives it. */
function creditTable(
  byModel: ReadonlyArray<readonly [string, ReadonlyArray<{ channel: string; credit: number }>]>,
): Table {
  const channels = [...new Set(byModel.flatMap(([, credits]) => credits.map((c) => c.channel)))].sort();
  const share = (credits: ReadonlyArray<{ channel: string; credit: number }>, channel: string): number =>
    Math.round(credits.filter((c) => c.channel === channel).reduce((sum, c) => sum + c.credit, 0) * 10_000) / 10_000;
  return {
    columns: ['channel', ...JOURNEY_MODELS],
    rows: channels.map((channel) => [channel, ...byModel.map(([, credits]) => share(credits, channel))]),
  };
}
