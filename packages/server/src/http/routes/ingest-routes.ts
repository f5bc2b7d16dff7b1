// Ingest API: POST /api/v1/batch and the single-item /events, /conversions, /identify.
import { batchResponseSchema } from '@touchline/core';
import { z } from 'zod';
import { errorCodes, type FastifyInstance, type FastifyReply, type onRequestHookHandler } from 'fastify';
import {
  acceptSingleItem,
  itemRules,
  SINGLE_ITEM_ROUTES,
  storeItems,
  type AcceptDeps,
  type IngestAnswer,
  type SingleItemRoute,
} from '../../ingest/accept-items.js';
import type { BatchParser } from '../../ingest/batch-parser.js';
import type { SdkHealthRecorder } from '../../integrity/sdk-health-recorder.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';

interface Deps extends AcceptDeps {
  keys: KeyCache;
  /** Parses POST /api/v1/batch bodies (on its thread when it has one). */
  batchParser: BatchParser;
  /** Notes the SDK delivery health a batch carries (sdk.health) for the integrity checks. */
  sdkHealth?: SdkHealthRecorder;
}

/**
 * The 202 body's schema (the wire schema's JSON form, without its $schema tag): fastify compiles a
 * serializer for it, cheaper per request than JSON.stringify, and only the documented fields go out.
 */
const ACCEPTED_BODY: Record<string, unknown> = { ...z.toJSONSchema(batchResponseSchema) };
delete ACCEPTED_BODY.$schema;
const ACCEPTED = { response: { 202: ACCEPTED_BODY } };

function send(reply: FastifyReply, answer: IngestAnswer): FastifyReply {
  if (answer.status === 503) reply.header('retry-after', String(answer.retryAfterSeconds));
  return reply.code(answer.status).send(answer.body);
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
      const result = await deps.batchParser.parse(request.body as Buffer, itemRules(deps));
      // Nothing below needs the body: released before the commit wait, so the young-generation GC
      // frees it instead of copying and promoting it while up to several requests wait their turn.
      request.body = undefined;
      if (result.kind === 'err') {
        const problem = result.error;
        deps.metrics.rejected.inc({ reason: problem.code });
        if (problem.code === 'invalid_json') return replyError(reply, 400, 'invalid_json', `body: ${problem.message}`);
        return replyError(
          reply,
          400,
          'invalid_batch',
          problem.message,
          problem.batchId === null ? {} : { batchId: problem.batchId },
        );
      }
      const parsed = result.value;
      const { sdk } = parsed;
      if (sdk.health !== undefined) deps.sdkHealth?.record(key.accountId, sdk, sdk.health, parsed.clock.offsetMs);
      if (parsed.clock.kind !== 'in_sync')
        deps.metrics.senderClock(parsed.clock.kind, parsed.accepted.length + parsed.errors.length);
      return send(
        reply,
        await storeItems(deps, key.accountId, parsed.batchId, parsed.accepted, parsed.errors, parsed.repeats),
      );
    });
  });

  // Single items (the raw API; the SDK posts /batch). A node:http path ahead of fastify answered these
  // until its same-run A/B showed no gain on /batch (docs/hand-written.md).
  for (const path of Object.keys(SINGLE_ITEM_ROUTES) as SingleItemRoute[]) {
    app.post(path, { onRequest: announce, schema: ACCEPTED }, async (request, reply) => {
      const key = authorize(deps.keys, request, reply, 'ingest');
      if (key === null) return reply;
      const answer = acceptSingleItem(deps, key.accountId, path, request.body);
      // Validated synchronously: the body is released before the commit wait (see the batch route).
      request.body = undefined;
      return send(reply, await answer);
    });
  }
}
