// Ingest API: POST /api/v1/batch and the single-item /events, /conversions, /identify.
import { batchResponseSchema, type ItemError } from '@touchline/core';
import { z } from 'zod';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest, type onRequestHookHandler } from 'fastify';
import type { InboxItem } from '@touchline/storage';
import type { CollectorMetrics } from '../../metrics/collector-metrics.js';
import type { BatchParser } from '../../ingest/batch-parser.js';
import type { InboxWriter } from '../../ingest/inbox-writer.js';
import { validateItems, type ItemRules } from '../../ingest/validate-items.js';
import type { SdkHealthRecorder } from '../../integrity/sdk-health-recorder.js';
import type { ServerSettings } from '../../server-settings.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';

interface Deps {
  inbox: InboxWriter; keys: KeyCache; settings: ServerSettings; metrics: CollectorMetrics; now: () => number;
  /** Parses POST /api/v1/batch bodies (on its thread when it has one). */
  batchParser: BatchParser;
  /** Notes the SDK delivery health a batch carries (sdk.health) for the integrity checks. */
  sdkHealth?: SdkHealthRecorder;
}

const SINGLE = { events: 'event', conversions: 'conversion', identify: 'identify' } as const;

/**
 * The 202 body's schema (the wire schema's JSON form, without its $schema tag): fastify compiles a
 * serializer for it, cheaper per request than JSON.stringify, and only the documented fields go out.
 */
const ACCEPTED_BODY: Record<string, unknown> = { ...z.toJSONSchema(batchResponseSchema) };
delete ACCEPTED_BODY.$schema;
const ACCEPTED = { response: { 202: ACCEPTED_BODY } };

const itemRules = ({ settings, now }: Deps): ItemRules => ({
  now: now(), maxFutureSkewMs: settings.maxFutureSkewMs, maxPastAgeMs: settings.maxPastAgeMs, storeFullIp: settings.storeFullIp,
});

/**
 * The single-item routes: validates synchronously, drops the parsed body, then waits for the commit
 * in `store`, which holds only the encoded items (as the batch route does, see below).
 */
function ingest(deps: Deps, request: FastifyRequest, reply: FastifyReply, accountId: string, batchId: string, rawItems: unknown[]): Promise<FastifyReply> {
  const { accepted, errors } = validateItems(rawItems, itemRules(deps));
  request.body = undefined;
  return store(deps, reply, accountId, batchId, accepted, errors);
}

async function store(deps: Deps, reply: FastifyReply, accountId: string, batchId: string, accepted: InboxItem[], errors: ItemError[]): Promise<FastifyReply> {
  const { metrics } = deps;
  for (const e of errors) metrics.rejected.inc({ reason: e.code });
  if (accepted.length === 0) {
    return reply.code(400).send({
      error: { code: 'invalid_items', message: errors[0]?.message ?? 'no valid items' }, batch_id: batchId,
      accepted: 0, duplicates: 0, errors,
    });
  }
  // Written durably before the 202: an acknowledged item survives a crash right after.
  const { inserted, duplicates } = await deps.inbox.write(accountId, accepted);
  // One counter update per item type, not per item.
  const byType = new Map<string, number>();
  for (const item of accepted) byType.set(item.type, (byType.get(item.type) ?? 0) + 1);
  for (const [type, count] of byType) metrics.countIngested(type, count);
  metrics.duplicates.inc(duplicates);
  return reply.code(202).send({ batch_id: batchId, accepted: inserted, duplicates, errors });
}

export function registerIngestRoutes(app: FastifyInstance, deps: Deps): void {
  // From the moment an ingest request arrives until its response is done (or the connection
  // closes), the inbox worker starts no new write transaction: see workers/write-gate.ts.
  const announce: onRequestHookHandler = (_request, reply, done) => {
    reply.raw.once('close', deps.inbox.announce());
    done();
  };

  // The batch route reads its body as bytes, in a scope of its own (the other routes keep fastify's
  // JSON parser): the batch parser decodes, parses and validates it, on its thread when it has one,
  // and only after the key is authorized.
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
      if (body.length === 0) done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
      else done(null, body);
    });
    scope.post('/api/v1/batch', { onRequest: announce, schema: ACCEPTED }, async (request, reply) => {
      const key = authorize(deps.keys, request, reply, 'ingest');
      if (key === null) return reply;
      const parsed = await deps.batchParser.parse(request.body as Buffer, itemRules(deps));
      // Nothing below needs the body: released before the commit wait, so the young-generation GC
      // frees it instead of copying and promoting it while up to several requests wait their turn.
      request.body = undefined;
      if (parsed.kind === 'invalid_json') {
        deps.metrics.rejected.inc({ reason: 'invalid_json' });
        return replyError(reply, 400, 'invalid_json', `body: ${parsed.message}`);
      }
      if (parsed.kind === 'invalid_batch') {
        deps.metrics.rejected.inc({ reason: 'invalid_batch' });
        return replyError(reply, 400, 'invalid_batch', parsed.message, parsed.batchId === null ? {} : { batchId: parsed.batchId });
      }
      const { sdk } = parsed;
      if (sdk.health !== undefined) deps.sdkHealth?.record(key.accountId, sdk, sdk.health);
      return store(deps, reply, key.accountId, parsed.batchId, parsed.accepted, parsed.errors);
    });
  });

  for (const [path, type] of Object.entries(SINGLE)) {
    app.post(`/api/v1/${path}`, { onRequest: announce, schema: ACCEPTED }, async (request, reply) => {
      const key = authorize(deps.keys, request, reply, 'ingest');
      if (key === null) return reply;
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return replyError(reply, 400, 'invalid_item', 'body: expected one JSON object');
      }
      const { batch_id: batchId, ...item } = body as Record<string, unknown>;
      return ingest(deps, request, reply, key.accountId, typeof batchId === 'string' ? batchId.slice(0, 64) : '', [{ type, ...item }]);
    });
  }
}
