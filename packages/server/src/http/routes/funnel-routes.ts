// Goals and funnels API: CRUD of the definitions (ingest scope to change, read scope to list) and a funnel's report (JSON or CSV).
import type { Storage } from '@touchline/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defineFunnel, defineGoal, removeFunnel, removeGoal, type Defined } from '../../funnels/define-funnels.js';
import { FUNNEL_UNITS, type FunnelUnit } from '../../funnels/count-funnel.js';
import { funnelJson, funnelReportCsv, funnelReportJson, goalJson } from '../../funnels/funnel-json.js';
import type { ReadPool } from '../../reads/read-pool.js';
import { requestSignal } from '../../reads/request-signal.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { toCsv } from '../csv.js';
import { parseRange } from '../parse-range.js';
import { replyError } from '../reply-error.js';

interface Deps {
  storage: Storage;
  reads: ReadPool;
  keys: KeyCache;
  now: () => number;
}

const reportSchema = z.object({
  unit: z
    .enum(FUNNEL_UNITS as unknown as [FunnelUnit, ...FunnelUnit[]], {
      error: `must be one of ${FUNNEL_UNITS.join(', ')}`,
    })
    .default('visitor'),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});

const idOf = (request: FastifyRequest): string =>
  String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);

/** Sends a definition result: the value (201 when created), or the error it names. */
function send<T>(reply: FastifyReply, done: Defined<T>, json: (v: T) => unknown, status = 200): FastifyReply {
  switch (done.kind) {
    case 'ok':
      return done.value === null ? reply.code(204).send() : reply.code(status).send(json(done.value));
    case 'invalid':
      return replyError(reply, 400, 'invalid_body', done.message);
    case 'not_found':
      return replyError(reply, 404, 'not_found', done.message);
    case 'conflict':
      return replyError(reply, 409, done.code, done.message);
  }
}

function registerGoalRoutes(app: FastifyInstance, deps: Deps): void {
  // Definitions are a few rows read and written by key, so they use the main connection: a
  // funnel saved a moment ago is always there for the next request.
  app.get('/api/v1/goals', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    return { goals: (await deps.storage.listGoals(key.accountId)).map(goalJson) };
  });
  app.get('/api/v1/goals/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const goal = (await deps.storage.listGoals(key.accountId)).find((g) => g.id === idOf(request));
    return goal === undefined
      ? replyError(reply, 404, 'not_found', `no goal ${idOf(request)} in this account`)
      : { goal: goalJson(goal) };
  });
  app.post('/api/v1/goals', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(
      reply,
      await defineGoal(deps.storage, key.accountId, null, request.body, deps.now()),
      (g) => ({ goal: goalJson(g) }),
      201,
    );
  });
  app.put('/api/v1/goals/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(reply, await defineGoal(deps.storage, key.accountId, idOf(request), request.body, deps.now()), (g) => ({
      goal: goalJson(g),
    }));
  });
  app.delete('/api/v1/goals/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(reply, await removeGoal(deps.storage, key.accountId, idOf(request)), () => null);
  });
}

function registerFunnelDefinitionRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v1/funnels', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    return { funnels: (await deps.storage.listFunnels(key.accountId)).map(funnelJson) };
  });
  app.get('/api/v1/funnels/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const funnel = (await deps.storage.listFunnels(key.accountId)).find((f) => f.id === idOf(request));
    return funnel === undefined
      ? replyError(reply, 404, 'not_found', `no funnel ${idOf(request)} in this account`)
      : { funnel: funnelJson(funnel) };
  });
  app.post('/api/v1/funnels', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(
      reply,
      await defineFunnel(deps.storage, key.accountId, null, request.body, deps.now()),
      (f) => ({ funnel: funnelJson(f) }),
      201,
    );
  });
  app.put('/api/v1/funnels/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(
      reply,
      await defineFunnel(deps.storage, key.accountId, idOf(request), request.body, deps.now()),
      (f) => ({ funnel: funnelJson(f) }),
    );
  });
  app.delete('/api/v1/funnels/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(reply, await removeFunnel(deps.storage, key.accountId, idOf(request)), () => null);
  });
}

export function registerFunnelRoutes(app: FastifyInstance, deps: Deps): void {
  registerGoalRoutes(app, deps);
  registerFunnelDefinitionRoutes(app, deps);
  app.get('/api/v1/funnels/:id/report', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const options = reportSchema.safeParse(request.query);
    if (!options.success) {
      const issue = options.error.issues[0];
      return replyError(
        reply,
        400,
        'invalid_query',
        `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const range = parseRange(request.query, reply, deps.now());
    if (range === null) return reply;
    const id = idOf(request);
    // Counting runs on a read thread: it may load and walk millions of items.
    const report = await deps.reads.run(
      'funnelReport',
      [{ accountId: key.accountId, funnelId: id, from: range.from, to: range.to, unit: options.data.unit }],
      { signal: requestSignal(reply) },
    );
    if (report === null) return replyError(reply, 404, 'not_found', `no funnel ${id} in this account`);
    if (options.data.format === 'csv') {
      const csv = funnelReportCsv(report);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="funnel-${id}.csv"`);
      return reply.send(toCsv(csv.header, csv.rows));
    }
    return funnelReportJson(report, range);
  });
}
