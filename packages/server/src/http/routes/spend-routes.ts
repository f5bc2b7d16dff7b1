// Ad spend import: POST /api/v1/spend takes CSV or JSON rows, stores all of them or none, and names every bad row's line.
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { importSpend } from '../../spend/import-spend.js';
import { parseSpendCsv, parseSpendJson } from '../../spend/parse-spend.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { errorBody } from '../reply-error.js';

interface Deps {
  storage: Storage;
  keys: KeyCache;
  now: () => number;
}

/** An import is small (a day's or a month's rows); a year of campaigns goes through `touchline spend import`. */
const BODY_LIMIT = 1024 * 1024;

export function registerSpendRoutes(app: FastifyInstance, deps: Deps): void {
  // Encapsulated, so text/csv bodies are accepted on this route only.
  void app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post('/api/v1/spend', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const key = authorize(deps.keys, request, reply, 'ingest');
      if (key === null) return reply;
      const parsed = typeof request.body === 'string' ? parseSpendCsv(request.body) : parseSpendJson(request.body);
      const done = await importSpend(deps.storage, key.accountId, parsed, deps.now());
      if (done.kind === 'refused')
        return reply
          .code(400)
          .send({ ...errorBody(done.code, done.message), ...(done.errors.length > 0 ? { errors: done.errors } : {}) });
      return { written: done.written, currency: done.currency };
    });
  });
}
