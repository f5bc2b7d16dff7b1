// Data-subject requests (admin scope): erase or export a visitor or a user with everything linked to them (docs/privacy.md).
import type { ErasureResult, Storage, SubjectKind } from '@touchline/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';
import type { ReadPool } from '../../reads/read-pool.js';
import { requestSignal } from '../../reads/request-signal.js';
import { personExportJson } from '../../privacy/person-export-json.js';
import type { ErasureOrder } from '../../workers/inbox-thread-protocol.js';

/** Runs an erasure on the inbox worker thread; null when no thread can (then it runs inline). */
export type ThreadEraser = (order: ErasureOrder) => Promise<ErasureResult | null>;

interface Deps {
  storage: Storage;
  reads: ReadPool;
  keys: KeyCache;
  now: () => number;
  tombstoneMs: number;
  /**
   * On SQLite with the inbox worker on a thread: the erasure's write transactions (10-50 ms each
   * at 20,000 inbox rows) run there, off the ingest event loop (docs/privacy.md).
   */
  erase?: ThreadEraser;
}

/** Visitor ids are the SDK's UUIDs (but raw API senders may use up to 64 characters); user ids are the wire's 1-256. */
const ID_RULES: Record<SubjectKind, { schema: z.ZodString; rule: string }> = {
  visitor: { schema: z.string().min(1).max(64), rule: '1-64 characters' },
  user: { schema: z.string().min(1).max(256), rule: '1-256 characters' },
};

/** The erasure's answer: what the person covered and how many rows of each kind went; never the ids. */
export function erasureJson(r: ErasureResult) {
  const { removed } = r;
  return {
    erased: true,
    audit_id: r.auditId,
    visitor_ids: r.visitorIds,
    user_ids: r.userIds,
    removed: {
      visitors: removed.visitors,
      sessions: removed.sessions,
      events: removed.events,
      conversions: removed.conversions,
      identities: removed.identities,
      inbox_items: removed.inbox,
      rollup_sessions: removed.rollupSessions,
      rollup_hours: removed.rollupHours,
    },
  };
}

/** The subject id from the path, or null after a 400 naming the parameter. */
function subjectId(kind: SubjectKind, param: string, request: FastifyRequest, reply: FastifyReply): string | null {
  const parsed = ID_RULES[kind].schema.safeParse((request.params as Record<string, unknown>)[param]);
  if (parsed.success) return parsed.data;
  replyError(reply, 400, 'invalid_path', `${param}: ${ID_RULES[kind].rule}`);
  return null;
}

export function registerPrivacyRoutes(app: FastifyInstance, deps: Deps): void {
  const erase = (kind: SubjectKind, param: string) =>
    async function eraseSubject(request: FastifyRequest, reply: FastifyReply) {
      const key = authorize(deps.keys, request, reply, 'admin');
      if (key === null) return reply;
      const id = subjectId(kind, param, request, reply);
      if (id === null) return reply;
      const now = deps.now();
      const order = { accountId: key.accountId, subject: { kind, id }, requestedBy: `key:${key.id}`, now };
      const onThread = (await deps.erase?.({ ...order, tombstoneMs: deps.tombstoneMs })) ?? null;
      if (onThread !== null) return erasureJson(onThread);
      // Here: PostgreSQL (pool connections, async I/O), an inline worker, or a failed thread.
      const result = await deps.storage.erasePerson({
        ...order,
        tombstoneMs: deps.tombstoneMs,
        // The person's cookieless items still in the inbox (stored without a visitor id) go too, while
        // their day's secret exists. Recomputing every cookieless row's hash takes ~0.15 s per 5,000
        // rows, so it runs on a read thread (internal: an erasure half done must not fail for a busy queue).
        cookielessItems: (q) => deps.reads.run('cookielessInboxSeqs', [q, now], { internal: true }),
      });
      return erasureJson(result);
    };
  app.delete('/api/v1/visitors/:id', erase('visitor', 'id'));
  app.delete('/api/v1/users/:user_id', erase('user', 'user_id'));

  // Reads: on the read threads like every query (DESIGN.md L9), never on the ingest event loop.
  const exportOf = (kind: SubjectKind, param: string) =>
    async function exportSubject(request: FastifyRequest, reply: FastifyReply) {
      const key = authorize(deps.keys, request, reply, 'admin');
      if (key === null) return reply;
      const id = subjectId(kind, param, request, reply);
      if (id === null) return reply;
      const data = await deps.reads.run('exportPerson', [key.accountId, { kind, id }, deps.now()], {
        signal: requestSignal(reply),
      });
      if (data === null) return replyError(reply, 404, 'not_found', "this key's account no longer exists");
      return personExportJson({ kind, id }, data, deps.now());
    };
  app.get('/api/v1/visitors/:id/export', exportOf('visitor', 'id'));
  app.get('/api/v1/users/:user_id/export', exportOf('user', 'user_id'));
}
