// Dashboard conversion uploads (admins only): the account's destinations (tokens masked) with their recent delivery log, a form to add one, and an on/off switch.
import {
  defineDestination,
  deliveryJson,
  destinationJson,
  replyError,
  setDestinationEnabled,
  type Defined,
} from '@touchline/server';
import type { Storage, UploadDestination } from '@touchline/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../auth/access.js';
import { requireCsrf, requireSameOrigin, requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { parseDashboardQuery, replyInvalid } from './dashboard-query.js';

interface Deps {
  storage: Storage;
  sessions: SessionStore;
  now: () => number;
}

/** The log rows the panel shows: the latest changes across the account's destinations. */
const LOG_ROWS = 50;
const accountSchema = z.object({ account: z.string().min(1).max(64) });
const createSchema = accountSchema.extend({ destination: z.unknown() });
const enableSchema = accountSchema.extend({ enabled: z.boolean({ error: 'must be true or false' }) });

function send(reply: FastifyReply, done: Defined<UploadDestination>): FastifyReply {
  if (done.kind === 'ok') return reply.send({ destination: destinationJson(done.value) });
  const [status, code] =
    done.kind === 'invalid' ? [400, 'invalid_body'] : done.kind === 'not_found' ? [404, 'not_found'] : [409, done.code];
  return replyError(reply, status, code, done.message);
}

async function knownAccount(storage: Storage, reply: FastifyReply, account: string): Promise<boolean> {
  if ((await storage.listAccounts()).some((a) => a.id === account)) return true;
  replyError(reply, 404, 'unknown_account', `no account with id ${account}`);
  return false;
}

export function registerUploadRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard/api/conversion-uploads', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireAdmin(signedIn, 'see or manage conversion uploads', reply)) return reply;
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const [destinations, counts, log] = await Promise.all([
      deps.storage.listUploadDestinations(q.accountId),
      deps.storage.uploadDeliveryCounts(q.accountId),
      deps.storage.uploadDeliveries(q.accountId, { limit: LOG_ROWS }),
    ]);
    return {
      destinations: destinations.map((d) => destinationJson(d, counts)),
      deliveries: log.map((r) => ({ ...deliveryJson(r), payload: undefined })),
    };
  });

  // Changes: same origin, signed in, CSRF token, like every dashboard change; validated by the API's own code.
  app.post('/dashboard/api/conversion-uploads', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (
      signedIn === null ||
      !requireCsrf(signedIn, request, reply) ||
      !requireAdmin(signedIn, 'manage conversion uploads', reply)
    )
      return reply;
    const body = createSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    if (!(await knownAccount(deps.storage, reply, body.data.account))) return reply;
    return send(
      reply,
      await defineDestination(deps.storage, body.data.account, null, body.data.destination, deps.now()),
    );
  });

  app.post('/dashboard/api/conversion-uploads/:id/enabled', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (
      signedIn === null ||
      !requireCsrf(signedIn, request, reply) ||
      !requireAdmin(signedIn, 'manage conversion uploads', reply)
    )
      return reply;
    const body = enableSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    if (!(await knownAccount(deps.storage, reply, body.data.account))) return reply;
    const id = String((request.params as Record<string, unknown>).id ?? '').slice(0, 64);
    return send(reply, await setDestinationEnabled(deps.storage, body.data.account, id, body.data.enabled, deps.now()));
  });
}
