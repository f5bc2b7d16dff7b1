// applyProcessed: writes one worker pass's results and finishes its inbox rows, all in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ProcessedBatch } from '../../storage.js';

// Every write below keys on account_id first, so a row can only ever merge with its own account's.
const SQLITE_VISITOR = `INSERT INTO visitors (account_id, id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (account_id, id) DO UPDATE SET
    first_seen_at = min(visitors.first_seen_at, excluded.first_seen_at),
    last_seen_at = max(visitors.last_seen_at, excluded.last_seen_at)`;

// Batches of one session can arrive in any order: times merge by min/max, counts add up, and the
// landing fields (a unit: url, host, referrer, channel, utm, click ids) are written when the row is
// created or, later, only while the stored row still has no landing url.
const TAKE_LANDING = 'sessions.landing_url IS NULL AND excluded.landing_url IS NOT NULL';
const SQLITE_SESSION = `INSERT INTO sessions (account_id, id, visitor_id, started_at, last_seen_at, landing_url,
    landing_host, referrer, channel, utm, click_ids, event_count, pageview_count)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_id, id) DO UPDATE SET
    started_at = min(sessions.started_at, excluded.started_at),
    last_seen_at = max(sessions.last_seen_at, excluded.last_seen_at),
    ${['landing_url', 'landing_host', 'referrer', 'channel', 'utm', 'click_ids']
    .map((col) => `${col} = CASE WHEN ${TAKE_LANDING} THEN excluded.${col} ELSE sessions.${col} END`).join(',\n    ')},
    event_count = sessions.event_count + excluded.event_count,
    pageview_count = sessions.pageview_count + excluded.pageview_count`;

// Items carry client-made ids: a replayed item hits the primary key and is skipped. DO NOTHING on
// that key only (not INSERT OR IGNORE), so NOT NULL or CHECK failures still abort the pass.
const SQLITE_EVENT = `INSERT INTO events (account_id, id, type, name, visitor_id, session_id, occurred_at, url, properties)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, id) DO NOTHING`;
const SQLITE_CONVERSION = `INSERT INTO conversions (account_id, id, name, visitor_id, session_id, occurred_at, revenue,
    currency, properties)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, id) DO NOTHING`;
const SQLITE_IDENTITY = `INSERT INTO identities (account_id, user_id, visitor_id, occurred_at, traits) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account_id, user_id, visitor_id) DO NOTHING`;

// Only pending rows move: a row another worker already finished (its lease expired under us and
// the rows were claimed again) keeps its outcome, and a done row is never turned dead or back.
// Done rows go as one JSON array in one statement: one statement step for the whole pass.
const SQLITE_DONE = `UPDATE inbox SET status = 'done', leased_until = NULL
  WHERE seq IN (SELECT value FROM json_each(?)) AND status = 'pending'`;
const SQLITE_DEAD = `UPDATE inbox SET status = 'dead', error = ?, leased_until = NULL WHERE seq = ? AND status = 'pending'`;

/** Marks the batch's inbox rows; returns how many of its done rows were still pending. */
function finishInboxRows(c: SqliteConnection, batch: ProcessedBatch): number {
  const dead = c.statement<[string, number]>(SQLITE_DEAD);
  for (const row of batch.dead) dead.run(row.error, row.seq);
  if (batch.done.length === 0) return 0;
  return c.statement<[string]>(SQLITE_DONE).run(JSON.stringify(batch.done)).changes;
}

function writeVisitorsAndSessions(c: SqliteConnection, batch: ProcessedBatch): void {
  const visitor = c.statement(SQLITE_VISITOR);
  for (const v of batch.visitors) visitor.run(v.accountId, v.id, v.firstSeenAt, v.lastSeenAt);
  const session = c.statement(SQLITE_SESSION);
  for (const s of batch.sessions) {
    session.run(
      s.accountId, s.id, s.visitorId, s.startedAt, s.lastSeenAt, s.landingUrl, s.landingHost, s.referrer, s.channel,
      JSON.stringify(s.utm), JSON.stringify(s.clickIds), s.eventCount, s.pageviewCount,
    );
  }
}

function writeItems(c: SqliteConnection, batch: ProcessedBatch): void {
  const event = c.statement(SQLITE_EVENT);
  for (const e of batch.events) {
    event.run(e.accountId, e.id, e.type, e.name, e.visitorId, e.sessionId, e.timestamp, e.url, e.properties);
  }
  const conversion = c.statement(SQLITE_CONVERSION);
  for (const v of batch.conversions) {
    conversion.run(v.accountId, v.id, v.name, v.visitorId, v.sessionId, v.timestamp, v.revenue, v.currency, v.properties);
  }
  const identity = c.statement(SQLITE_IDENTITY);
  for (const i of batch.identities) identity.run(i.accountId, i.userId, i.visitorId, i.timestamp, i.traits);
}

/**
 * Results and inbox outcome commit together: a crash before the commit leaves the rows pending to
 * be processed again, and a crash after it leaves them done — never results without the outcome.
 *
 * A batch whose done rows were all finished already is a stale replay (another worker took over
 * after our lease expired and applied the same rows); writing it again would add its session
 * counts a second time, so it writes nothing. Event, conversion and identity rows are idempotent
 * on their ids in any case.
 */
export function applyProcessed(conn: Connection, batch: ProcessedBatch): Promise<void> {
  return runQuery(conn, 'applyProcessed', {
    sqlite: (c) => {
      c.db.transaction(() => {
        const finished = finishInboxRows(c, batch);
        if (batch.done.length > 0 && finished === 0) return;
        writeVisitorsAndSessions(c, batch);
        writeItems(c, batch);
      }).immediate();
    },
  });
}
