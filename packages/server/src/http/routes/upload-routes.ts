// Conversion uploads API: destinations (ingest scope to change, read scope to list), their delivery log and file exports.
import { UPLOAD_DELIVERY_STATUSES, type Storage, type UploadDeliveryStatus } from '@touchline/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Defined } from '../../funnels/define-funnels.js';
import type { ReadPool } from '../../reads/read-pool.js';
import { requestSignal } from '../../reads/request-signal.js';
import { defineDestination, removeDestination } from '../../uploads/define-uploads.js';
import { uploadFile } from '../../uploads/upload-export.js';
import { deliveryJson, destinationJson } from '../../uploads/upload-json.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { parseRange } from '../parse-range.js';
import { replyError } from '../reply-error.js';

interface Deps {
  storage: Storage;
  reads: ReadPool;
  keys: KeyCache;
  now: () => number;
}

const BASE = '/api/v1/conversion-uploads';
/** An export reads at most this many conversions (each one journey lookup). */
export const MAX_EXPORT_CONVERSIONS = 50_000;

const logSchema = z.object({
  status: z
    .enum(UPLOAD_DELIVERY_STATUSES as unknown as [UploadDeliveryStatus, ...UploadDeliveryStatus[]], {
      error: `must be one of ${UPLOAD_DELIVERY_STATUSES.join(', ')}`,
    })
    .optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(100),
});
const exportSchema = z
  .object({
    conversion_name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .optional(),
    from: z.string().optional(),
    to: z.string().optional(),
  })
  .strict();

const idOf = (request: FastifyRequest): string =>
  String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);

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

function invalidQuery(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const issue = error.issues[0];
  const message =
    issue?.code === 'unrecognized_keys'
      ? `query: unknown parameter(s) ${issue.keys.join(', ')}`
      : `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`;
  return replyError(reply, 400, 'invalid_query', message);
}

function registerDestinationRoutes(app: FastifyInstance, deps: Deps): void {
  // Destinations are a few rows read and written by key, on the main connection (like goals and funnels).
  app.get(BASE, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const [destinations, counts] = await Promise.all([
      deps.storage.listUploadDestinations(key.accountId),
      deps.storage.uploadDeliveryCounts(key.accountId),
    ]);
    return { destinations: destinations.map((d) => destinationJson(d, counts)) };
  });
  app.get(`${BASE}/:id`, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const d = (await deps.storage.listUploadDestinations(key.accountId)).find((x) => x.id === idOf(request));
    if (d === undefined)
      return replyError(reply, 404, 'not_found', `no conversion upload destination ${idOf(request)} in this account`);
    return { destination: destinationJson(d, await deps.storage.uploadDeliveryCounts(key.accountId)) };
  });
  app.post(BASE, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(
      reply,
      await defineDestination(deps.storage, key.accountId, null, request.body, deps.now()),
      (d) => ({ destination: destinationJson(d) }),
      201,
    );
  });
  app.put(`${BASE}/:id`, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    const done = await defineDestination(deps.storage, key.accountId, idOf(request), request.body, deps.now());
    return send(reply, done, (d) => ({ destination: destinationJson(d) }));
  });
  app.delete(`${BASE}/:id`, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'ingest');
    if (key === null) return reply;
    return send(reply, await removeDestination(deps.storage, key.accountId, idOf(request)), () => null);
  });
}

export function registerUploadRoutes(app: FastifyInstance, deps: Deps): void {
  registerDestinationRoutes(app, deps);
  app.get(`${BASE}/:id/deliveries`, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const q = logSchema.safeParse(request.query);
    if (!q.success) return invalidQuery(reply, q.error);
    const id = idOf(request);
    if (!(await deps.storage.listUploadDestinations(key.accountId)).some((d) => d.id === id)) {
      return replyError(reply, 404, 'not_found', `no conversion upload destination ${id} in this account`);
    }
    const rows = await deps.storage.uploadDeliveries(key.accountId, {
      destinationId: id,
      limit: q.data.limit,
      ...(q.data.status === undefined ? {} : { status: q.data.status }),
    });
    return { deliveries: rows.map(deliveryJson) };
  });
  app.get(`${BASE}/:id/export`, async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const q = exportSchema.safeParse(request.query);
    if (!q.success) return invalidQuery(reply, q.error);
    const range = parseRange(request.query, reply, deps.now());
    if (range === null) return reply;
    const id = idOf(request);
    const found = (await deps.storage.listUploadDestinations(key.accountId)).find((d) => d.id === id);
    if (found === undefined)
      return replyError(reply, 404, 'not_found', `no conversion upload destination ${id} in this account`);
    const { accountId, ...destination } = found;
    // Building an export reads a journey per conversion: on a read thread, like every long read.
    const gathered = await deps.reads.run(
      'uploadCandidates',
      [{ accountId, destination, from: range.from, to: range.to, limit: MAX_EXPORT_CONVERSIONS, unqueued: false }],
      { signal: requestSignal(reply) },
    );
    const file = uploadFile(destination, gathered, q.data.conversion_name ?? null);
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="conversion-uploads-${id}.${file.extension}"`);
    return reply.send(file.body);
  });
}
