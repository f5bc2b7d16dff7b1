// Ad spend import: POST /api/v1/spend takes CSV or JSON rows, stores all of them or none, and names every bad row's line.
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { parseSpendCsv, parseSpendJson } from '../../spend/parse-spend.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { errorBody, replyError } from '../reply-error.js';

interface Deps { storage: Storage; keys: KeyCache; now: () => number }

/** An import is small (a day's or a month's rows); a year of campaigns goes through `touchline spend import`. */
const BODY_LIMIT = 1024 * 1024;

export function registerSpendRoutes(app: FastifyInstance, deps: Deps): void {
  // Encapsulated, so text/csv bodies are accepted on this route only.
  void app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post('/api/v1/spend', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const key = authorize(deps.keys, request, reply, 'ingest');
      if (key === null) return reply;
      const parsed = typeof request.body === 'string' ? parseSpendCsv(request.body) : parseSpendJson(request.body);
      if (parsed.kind === 'invalid') {
        const first = parsed.errors[0];
        return reply.code(400).send({
          ...errorBody('invalid_spend', `${parsed.errors.length} problem(s); nothing was stored. First: line ${first?.line}: ${first?.message}`),
          errors: parsed.errors,
        });
      }
      const result = await deps.storage.upsertSpend(key.accountId, parsed.rows, deps.now());
      if (result.kind === 'mixed_currencies') {
        return replyError(reply, 400, 'mixed_currencies', `ad spend is kept in one currency per account (stored: ${result.stored.join(', ')}); this import has ${result.currencies.filter((c) => !result.stored.includes(c)).join(', ')}; nothing was stored`);
      }
      return { written: result.written, currency: parsed.rows[0]?.currency ?? null };
    });
  });
}
