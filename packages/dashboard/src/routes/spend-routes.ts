// Dashboard spend upload (admins only): a signed-in admin posts a CSV file's text for one account; stored whole or not at all, bad rows named by line.
import { importSpend, parseSpendCsv, replyError } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../auth/access.js';
import { requireCsrf, requireSameOrigin, requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { replyInvalid } from './dashboard-query.js';

interface Deps {
  storage: Storage;
  sessions: SessionStore;
  now: () => number;
}

const bodySchema = z.object({
  account: z.string().min(1).max(64),
  csv: z.string().max(1024 * 1024, 'must be at most 1 MiB'),
});

export function registerSpendRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/dashboard/api/spend', { bodyLimit: 2 * 1024 * 1024 }, async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireCsrf(signedIn, request, reply) || !requireAdmin(signedIn, 'import spend', reply))
      return reply;
    const body = bodySchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    const accounts = await deps.storage.listAccounts();
    if (!accounts.some((a) => a.id === body.data.account))
      return replyError(reply, 404, 'unknown_account', `no account with id ${body.data.account}`);
    const done = await importSpend(deps.storage, body.data.account, parseSpendCsv(body.data.csv), deps.now());
    if (done.kind === 'refused')
      return reply.code(400).send({
        error: { code: done.code, message: done.message },
        ...(done.errors.length > 0 ? { errors: done.errors } : {}),
      });
    return { written: done.written, currency: done.currency };
  });
}
