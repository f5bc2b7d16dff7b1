// Account list, the live events feed and the integrity panel's report.
import { describeThresholds, evaluateIntegrity, requestSignal, type ReadPool } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canReadAccount } from '../auth/access.js';
import { requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { parseDashboardQuery, replyInvalid } from './dashboard-query.js';
import { iso, rowsAsObjects, sendTable, type Table } from './send-table.js';

interface Deps {
  storage: Storage;
  reads: ReadPool;
  sessions: SessionStore;
  now: () => number;
}

const FEED_LIMIT = 50;
const DAY = 86_400_000;
const feedSchema = z.object({
  since: z.coerce.number({ error: 'must be epoch milliseconds' }).int('must be epoch milliseconds').min(0).optional(),
});

export function registerFeedRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard/api/accounts', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    // A viewer's account switcher lists only their accounts.
    const accounts = (await deps.storage.listAccounts()).filter((a) => canReadAccount(signedIn.session, a.id));
    return { accounts: accounts.map((a) => ({ id: a.id, name: a.name })) };
  });

  // Polled every few seconds by the page; `since` (the newest time it has) keeps each poll to new rows.
  app.get('/dashboard/api/events', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const feed = feedSchema.safeParse(request.query);
    if (!feed.success) return replyInvalid(reply, feed.error);
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const events = await deps.reads.run(
      'recentEvents',
      [q.accountId, { since: feed.data.since ?? deps.now() - 7 * DAY, limit: FEED_LIMIT }],
      { signal: requestSignal(reply) },
    );
    const table: Table = {
      columns: ['id', 'time', 'type', 'name', 'url', 'visitor_id', 'session_id'],
      rows: events.map((e) => [e.id, iso(e.timestamp), e.type, e.name, e.url, e.visitorId, e.sessionId]),
    };
    return sendTable(reply, q.format, 'events', table, () => ({ now: iso(deps.now()), rows: rowsAsObjects(table) }));
  });

  app.get('/dashboard/api/integrity', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    // The same facts as the monitor and doctor, SDK delivery health included.
    const report = evaluateIntegrity(
      await deps.reads.run('integrityFacts', [q.accountId, deps.now()], { signal: requestSignal(reply) }),
    );
    const table: Table = {
      columns: ['check', 'state', 'value', 'unit', 'window', 'thresholds', 'note', 'explanation'],
      rows: report.checks.map((c) => [
        c.title,
        c.state,
        c.value,
        c.unit,
        c.window,
        describeThresholds(c.thresholds),
        c.note,
        c.explanation,
      ]),
    };
    return sendTable(reply, q.format, 'integrity', table, () => ({
      state: report.state,
      checked_at: iso(report.checkedAt),
      rows: rowsAsObjects(table),
    }));
  });
}
