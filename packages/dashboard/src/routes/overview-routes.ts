// Overview data: headline numbers, the time series behind the chart, top landing pages, referrers and utm campaigns, sources and mediums.
import { requestSignal, type ReadPool } from '@touchline/server';
import type { Storage, TopRow, TopWindow, UtmField } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { parseDashboardQuery } from './dashboard-query.js';
import { iso, rowsAsObjects, sendTable, type Table } from './send-table.js';

interface Deps {
  storage: Storage;
  reads: ReadPool;
  sessions: SessionStore;
  now: () => number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TOP_LIMIT = 20;

/**
 * Hours for ranges up to two days (a day chart of one point says nothing), days beyond. Buckets are
 * clock hours and UTC days (origin: the hour or UTC midnight at or before `from`), so the first and
 * last buckets are usually partial: the chart's points are calendar days, and every bucket edge
 * inside the range is a whole hour, which the rollups answer without raw rows (docs/read-model.md).
 */
export function bucketFor(from: number, to: number): { unit: 'hour' | 'day'; ms: number; origin: number } {
  const ms = to - from <= 2 * DAY ? HOUR : DAY;
  return { unit: ms === HOUR ? 'hour' : 'day', ms, origin: Math.floor(from / ms) * ms };
}

type TopRead = (reads: ReadPool, accountId: string, window: TopWindow, signal: AbortSignal) => Promise<TopRow[]>;
const topUtm =
  (field: UtmField): TopRead =>
  (reads, accountId, window, signal) =>
    reads.run('topUtmValues', [accountId, { ...window, field }], { signal });

/** The top lists, each read from the rollups: route path, the value's column name, the read. */
const TOP_LISTS: ReadonlyArray<readonly [string, string, TopRead]> = [
  [
    'landing-pages',
    'landing_page',
    (reads, accountId, window, signal) => reads.run('topLandingPages', [accountId, window], { signal }),
  ],
  [
    'referrers',
    'referrer',
    (reads, accountId, window, signal) => reads.run('topReferrers', [accountId, window], { signal }),
  ],
  ['campaigns', 'utm_campaign', topUtm('campaign')],
  ['sources', 'utm_source', topUtm('source')],
  ['mediums', 'utm_medium', topUtm('medium')],
];

export function registerOverviewRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard/api/overview', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null) return reply;
    const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
    if (q === null) return reply;
    const bucket = bucketFor(q.from, q.to);
    const signal = requestSignal(reply);
    const [stats, points] = await Promise.all([
      deps.reads.run('stats', [q.accountId, q.from, q.to], { signal }),
      deps.reads.run(
        'timeSeries',
        [q.accountId, { from: q.from, to: q.to, bucketMs: bucket.ms, origin: bucket.origin }],
        { signal },
      ),
    ]);
    const table: Table = {
      columns: ['bucket_start', 'visitors', 'sessions', 'events', 'conversions', 'revenue'],
      rows: points.map((p) => [iso(p.at), p.visitors, p.sessions, p.events, p.conversions, p.revenue]),
    };
    return sendTable(reply, q.format, 'overview', table, () => ({
      from: iso(q.from),
      to: iso(q.to),
      stats,
      sessions_per_visitor: stats.visitors === 0 ? null : stats.sessions / stats.visitors,
      bucket: bucket.unit,
      series: points,
    }));
  });

  for (const [path, column, read] of TOP_LISTS) {
    app.get(`/dashboard/api/${path}`, async (request, reply) => {
      const signedIn = await requireSession(deps.sessions, request, reply);
      if (signedIn === null) return reply;
      const q = await parseDashboardQuery(deps.storage, signedIn, request.query, reply, deps.now());
      if (q === null) return reply;
      const rows = await read(
        deps.reads,
        q.accountId,
        { from: q.from, to: q.to, limit: TOP_LIMIT },
        requestSignal(reply),
      );
      const table: Table = {
        columns: [column, 'sessions', 'visitors'],
        rows: rows.map((r) => [r.value, r.sessions, r.visitors]),
      };
      return sendTable(reply, q.format, path, table, () => ({ rows: rowsAsObjects(table) }));
    });
  }
}
