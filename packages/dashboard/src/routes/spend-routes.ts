// Dashboard spend upload: a signed-in admin posts a CSV file's text for one account; stored whole or not at all, bad rows named by line.
import { parseSpendCsv, replyError } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireCsrf, requireSameOrigin, requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { replyInvalid } from './dashboard-query.js';

interface Deps { storage: Storage; sessions: SessionStore; now: () => number }

const bodySchema = z.object({ account: z.string().min(1).max(64), csv: z.string().max(1024 * 1024, 'must be at most 1 MiB') });

export function registerSpendRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/dashboard/api/spend', { bodyLimit: 2 * 1024 * 1024 }, async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireCsrf(signedIn, request, reply)) return reply;
    const body = bodySchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    const accounts = await deps.storage.listAccounts();
    if (!accounts.some((a) => a.id === body.data.account)) return replyError(reply, 404, 'unknown_account', `no account with id ${body.data.account}`);
    const parsed = parseSpendCsv(body.data.csv);
    if (parsed.kind === 'invalid') {
      const first = parsed.errors[0];
      const message = `${parsed.errors.length} problem(s); nothing was stored. First: line ${first?.line}: ${first?.message}`;
      return reply.code(400).send({ error: { code: 'invalid_spend', message }, errors: parsed.errors });
    }
    const result = await deps.storage.upsertSpend(body.data.account, parsed.rows, deps.now());
    if (result.kind === 'mixed_currencies') {
      return replyError(reply, 400, 'mixed_currencies', `ad spend is kept in one currency per account (stored: ${result.stored.join(', ')}); nothing was stored`);
    }
    return { written: result.written, currency: parsed.rows[0]?.currency ?? null };
  });
}
