// Attribution data: channel credit under a chosen model, the conversion list, and one conversion's journey.
import { MODEL_NAMES, MODELS, type ModelName } from '@touchline/attribution';
import { attribute, buildJourneys, replyError } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { parseDashboardQuery, replyInvalid } from './dashboard-query.js';
import { iso, rowsAsObjects, sendTable, type Table } from './send-table.js';

interface Deps { storage: Storage; sessions: SessionStore; now: () => number }

const DAY = 86_400_000;
const LOOKBACK_DAYS = 30;
const CONVERSION_LIMIT = 100;
/** The per-journey models (Markov and Shapley credit a population, not one journey). */
const JOURNEY_MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based'] as const;

const journeyTableSchema = z.object({ table: z.enum(['touchpoints', 'credits'], { error: 'must be touchpoints or credits' }).default('touchpoints') });

const modelSchema = z.object({
  model: z.enum(MODEL_NAMES as unknown as [ModelName, ...ModelName[]], { error: `must be one of ${MODEL_NAMES.join(', ')}` }).default('linear'),
});

export function registerAttributionRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard/api/channels', async (request, reply) => {
    if (requireSession(deps.sessions, request, reply) === null) return reply;
    const model = modelSchema.safeParse(request.query);
    if (!model.success) return replyInvalid(reply, model.error);
    const q = await parseDashboardQuery(deps.storage, request.query, reply, deps.now());
    if (q === null) return reply;
    const answer = await attribute(deps.storage, { accountId: q.accountId, model: model.data.model, from: q.from, to: q.to, lookbackDays: LOOKBACK_DAYS });
    const table: Table = {
      columns: ['channel', 'conversions', 'revenue'],
      rows: answer.result.channels.map((c) => [c.channel, c.conversions, c.revenue]),
    };
    return sendTable(reply, q.format, `channels-${model.data.model}`, table, () => ({
      model: model.data.model, lookback_days: LOOKBACK_DAYS, conversions: answer.conversions, revenue: answer.revenue,
      truncated: answer.truncated, rows: rowsAsObjects(table),
    }));
  });

  app.get('/dashboard/api/conversions', async (request, reply) => {
    if (requireSession(deps.sessions, request, reply) === null) return reply;
    const q = await parseDashboardQuery(deps.storage, request.query, reply, deps.now());
    if (q === null) return reply;
    const list = await deps.storage.listConversions(q.accountId, { from: q.from, to: q.to, limit: CONVERSION_LIMIT });
    const table: Table = {
      columns: ['id', 'name', 'visitor_id', 'time', 'revenue', 'currency'],
      rows: list.map((c) => [c.id, c.name, c.visitorId, iso(c.timestamp), c.revenue, c.currency]),
    };
    return sendTable(reply, q.format, 'conversions', table, () => ({ rows: rowsAsObjects(table) }));
  });

  app.get('/dashboard/api/conversions/:id/journey', async (request, reply) => {
    if (requireSession(deps.sessions, request, reply) === null) return reply;
    const q = await parseDashboardQuery(deps.storage, request.query, reply, deps.now());
    if (q === null) return reply;
    const id = String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);
    const conversion = await deps.storage.findConversion(q.accountId, id);
    if (conversion === null) return replyError(reply, 404, 'not_found', `no conversion ${id} in this account`);
    const lookbackMs = LOOKBACK_DAYS * DAY;
    const facts = await deps.storage.attributionFacts(q.accountId, { from: conversion.timestamp, to: conversion.timestamp + 1, lookbackMs, maxSessions: 100_000 });
    const journey = buildJourneys({ ...facts, conversions: [conversion], lookbackMs }).journeys[0];
    const touchpoints: Table = {
      columns: ['step', 'time', 'channel', 'campaign'],
      rows: (journey?.touchpoints ?? []).map((t, i) => [i + 1, iso(t.timestamp), t.channel, t.campaign ?? null]),
    };
    const credits = creditTable(journey ? JOURNEY_MODELS.map((m) => [m, MODELS[m]([journey]).conversions.creditsAt(0)] as const) : []);
    const which = journeyTableSchema.safeParse(request.query);
    if (!which.success) return replyInvalid(reply, which.error);
    return sendTable(reply, q.format, `journey-${id}-${which.data.table}`, which.data.table === 'credits' ? credits : touchpoints, () => ({
      conversion: { id: conversion.id, visitor_id: conversion.visitorId, time: iso(conversion.timestamp), revenue: conversion.revenue },
      lookback_days: LOOKBACK_DAYS, touchpoints: rowsAsObjects(touchpoints), credits: rowsAsObjects(credits),
    }));
  });
}

/** One row per channel in the journey, one column per model: the share of the conversion each model gives it. */
function creditTable(byModel: ReadonlyArray<readonly [string, ReadonlyArray<{ channel: string; credit: number }>]>): Table {
  const channels = [...new Set(byModel.flatMap(([, credits]) => credits.map((c) => c.channel)))].sort();
  const share = (credits: ReadonlyArray<{ channel: string; credit: number }>, channel: string): number =>
    Math.round(credits.filter((c) => c.channel === channel).reduce((sum, c) => sum + c.credit, 0) * 10_000) / 10_000;
  return {
    columns: ['channel', ...JOURNEY_MODELS],
    rows: channels.map((channel) => [channel, ...byModel.map(([, credits]) => share(credits, channel))]),
  };
}
