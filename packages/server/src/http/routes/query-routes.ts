// Query API (read scope): stats over a range, a visitor's sessions, one visitor in full.
import type { SessionRecord } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { parseRange } from '../parse-range.js';
import { replyError } from '../reply-error.js';
import type { ReadPool } from '../../reads/read-pool.js';
import { requestSignal } from '../../reads/request-signal.js';

interface Deps {
  reads: ReadPool;
  keys: KeyCache;
  now: () => number;
}

const visitorIdSchema = z.string().min(1).max(64);

function sessionJson(s: SessionRecord) {
  return {
    id: s.id,
    visitor_id: s.visitorId,
    started_at: new Date(s.startedAt).toISOString(),
    last_seen_at: new Date(s.lastSeenAt).toISOString(),
    landing_url: s.landingUrl,
    referrer: s.referrer,
    channel: s.channel,
    utm: s.utm,
    click_ids: s.clickIds,
    event_count: s.eventCount,
  };
}

export function registerQueryRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v1/stats', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const range = parseRange(request.query, reply, deps.now());
    if (range === null) return reply;
    const { from, to } = range;
    const stats = await deps.reads.run('stats', [key.accountId, from, to], { signal: requestSignal(reply) });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...stats };
  });

  app.get('/api/v1/sessions', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const visitorId = visitorIdSchema.safeParse((request.query as Record<string, unknown>).visitor_id);
    if (!visitorId.success) return replyError(reply, 400, 'invalid_query', 'visitor_id: required, 1-64 characters');
    const sessions = await deps.reads.run('sessionsOfVisitor', [key.accountId, visitorId.data], {
      signal: requestSignal(reply),
    });
    return { sessions: sessions.map(sessionJson) };
  });

  app.get('/api/v1/visitors/:id', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const id = visitorIdSchema.safeParse((request.params as Record<string, unknown>).id);
    if (!id.success) return replyError(reply, 400, 'invalid_query', 'id: 1-64 characters');
    const visitor = await deps.reads.run('visitor', [key.accountId, id.data], { signal: requestSignal(reply) });
    if (visitor === null) return replyError(reply, 404, 'not_found', `no visitor ${id.data} in this account`);
    return {
      id: visitor.id,
      first_seen_at: new Date(visitor.firstSeenAt).toISOString(),
      last_seen_at: new Date(visitor.lastSeenAt).toISOString(),
      user_ids: visitor.userIds,
      sessions: visitor.sessions.map(sessionJson),
      events: visitor.events.map((e) => ({
        id: e.id,
        type: e.type,
        name: e.name,
        session_id: e.sessionId,
        timestamp: new Date(e.timestamp).toISOString(),
        url: e.url,
        properties: e.properties,
      })),
    };
  });
}
