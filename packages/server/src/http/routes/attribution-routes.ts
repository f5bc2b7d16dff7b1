// Attribution API: channel credit per model over a range, one conversion's journey, both as JSON or CSV.
import { MODEL_NAMES, type ModelName } from '@touchline/attribution';
import { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from '@touchline/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { LOOKBACK_DAYS, type LookbackDays } from '../../attribution/attribute.js';
import type { ReadPool } from '../../reads/read-pool.js';
import { requestSignal } from '../../reads/request-signal.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { toCsv } from '../csv.js';
import { replyError } from '../reply-error.js';
import { parseRange } from '../parse-range.js';

interface Deps {
  reads: ReadPool;
  keys: KeyCache;
  now: () => number;
}

const optionsSchema = z.object({
  model: z
    .enum(MODEL_NAMES as unknown as [ModelName, ...ModelName[]], { error: `must be one of ${MODEL_NAMES.join(', ')}` })
    .default('linear'),
  lookback_days: z.coerce
    .number()
    .refine((n) => (LOOKBACK_DAYS as readonly number[]).includes(n), `must be one of ${LOOKBACK_DAYS.join(', ')}`)
    .default(30),
  format: z.enum(['json', 'csv']).default('json'),
  group_by: z
    .enum(ATTRIBUTION_DIMENSIONS as unknown as [AttributionDimension, ...AttributionDimension[]], {
      error: `must be one of ${ATTRIBUTION_DIMENSIONS.join(', ')}`,
    })
    .default('channel'),
});

function parseOptions(query: unknown, reply: FastifyReply): z.infer<typeof optionsSchema> | null {
  const parsed = optionsSchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  replyError(reply, 400, 'invalid_query', `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
  return null;
}

function sendCsv(reply: FastifyReply, name: string, header: string[], rows: unknown[][]): FastifyReply {
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${name}.csv"`);
  return reply.send(toCsv(header, rows));
}

export function registerAttributionRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v1/attribution', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const options = parseOptions(request.query, reply);
    const range = options && parseRange(request.query, reply, deps.now());
    if (options === null || range === null) return reply;
    const answer = await deps.reads.run(
      'attribution',
      [
        {
          accountId: key.accountId,
          model: options.model,
          from: range.from,
          to: range.to,
          lookbackDays: options.lookback_days as LookbackDays,
          groupBy: options.group_by,
        },
      ],
      { signal: requestSignal(reply) },
    );
    const { channels } = answer;
    // A breakdown's rows are its values (null: sessions without one); without one, the channels.
    const groups = answer.groups ?? channels.map(({ channel, ...rest }) => ({ group: channel, ...rest }));
    if (options.format === 'csv') {
      const name =
        options.group_by === 'channel'
          ? `attribution-${options.model}`
          : `attribution-${options.model}-by-${options.group_by}`;
      // With imported spend, cost, ROAS and CAC columns follow (empty where a row has no spend).
      const header = [options.group_by, 'conversions', 'revenue', ...(answer.spend ? ['cost', 'roas', 'cac'] : [])];
      return sendCsv(
        reply,
        name,
        header,
        groups.map((g) => [
          g.group ?? '',
          g.conversions,
          g.revenue,
          ...(answer.spend ? [g.cost ?? '', g.roas ?? '', g.cac ?? ''] : []),
        ]),
      );
    }
    return {
      model: options.model,
      group_by: options.group_by,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      lookback_days: options.lookback_days,
      conversions: answer.conversions,
      revenue: answer.revenue,
      truncated: answer.truncated,
      ...(answer.spend ? { spend: answer.spend } : {}),
      channels,
      groups,
    };
  });

  // Every model side by side over the same journeys (issue 21, item 5); `model` is not taken here.
  app.get('/api/v1/attribution/compare', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const options = parseOptions(request.query, reply);
    const range = options && parseRange(request.query, reply, deps.now());
    if (options === null || range === null) return reply;
    const answer = await deps.reads.run(
      'compareModels',
      [
        {
          accountId: key.accountId,
          from: range.from,
          to: range.to,
          lookbackDays: options.lookback_days as LookbackDays,
          groupBy: options.group_by,
        },
      ],
      { signal: requestSignal(reply) },
    );
    if (options.format === 'csv') {
      const header = [options.group_by, ...MODEL_NAMES.flatMap((m) => [`${m}_conversions`, `${m}_revenue`])];
      return sendCsv(
        reply,
        `attribution-compare-by-${options.group_by}`,
        header,
        answer.groups.map((g) => [
          g.group ?? '',
          ...MODEL_NAMES.flatMap((m) => [g.credit[m].conversions, g.credit[m].revenue]),
        ]),
      );
    }
    return {
      group_by: options.group_by,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      lookback_days: options.lookback_days,
      conversions: answer.conversions,
      revenue: answer.revenue,
      truncated: answer.truncated,
      models: answer.models,
      groups: answer.groups,
    };
  });

  app.get('/api/v1/conversions/:id/journey', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const options = parseOptions(request.query, reply);
    if (options === null) return reply;
    const id = String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);
    const answer = await deps.reads.run(
      'journey',
      [{ accountId: key.accountId, conversionId: id, lookbackDays: options.lookback_days }],
      { signal: requestSignal(reply) },
    );
    if (answer === null) return replyError(reply, 404, 'not_found', `no conversion ${id} in this account`);
    const { conversion, credits } = answer;
    const touchpoints = answer.touchpoints.map((t) => ({
      channel: t.channel,
      timestamp: new Date(t.timestamp).toISOString(),
      campaign: t.campaign,
    }));
    if (options.format === 'csv') {
      return sendCsv(
        reply,
        `journey-${id}`,
        ['channel', 'timestamp', 'campaign'],
        touchpoints.map((t) => [t.channel, t.timestamp, t.campaign]),
      );
    }
    // Per-journey credit under the models that need no population (Markov and Shapley are population models: see /attribution).
    return {
      conversion: {
        id: conversion.id,
        visitor_id: conversion.visitorId,
        timestamp: new Date(conversion.timestamp).toISOString(),
        revenue: conversion.revenue,
      },
      lookback_days: options.lookback_days,
      touchpoints,
      credits,
    };
  });
}
