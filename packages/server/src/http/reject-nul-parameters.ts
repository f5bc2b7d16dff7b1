// Path and query parameters obey the same text rule as items: a NUL (U+0000) is a 400 naming the parameter, never a query that fails with 500.
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { findNul } from '../ingest/find-nul.js';
import { replyError } from './reply-error.js';

/**
 * Every route of the app (API and dashboard alike): a NUL in `/api/v1/visitors/%00` or `?visitor_id=%00`
 * reached PostgreSQL, which cannot compare text holding one, and answered 500.
 */
export function registerRejectNulParameters(app: FastifyInstance): void {
  const rejectNul: preValidationHookHandler = (request, reply, done) => {
    for (const [where, values] of [
      ['path', request.params],
      ['query', request.query],
    ] as const) {
      const found = findNul(values);
      if (found !== null) {
        void replyError(
          reply,
          400,
          'invalid_parameter',
          `${where} parameter ${found}: contains a NUL character (U+0000), which no text may hold`,
        );
        return;
      }
    }
    done();
  };
  app.addHook('preValidation', rejectNul);
}
