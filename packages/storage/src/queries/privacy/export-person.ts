// exportPerson: everything stored about one person (the same closure erasure uses), for a data-subject access request.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { quotedIds, rowBelongsTo, type CookielessVisitorOf } from './inbox-payload-person.js';
import { personClosure, type Person } from './person-closure.js';
import { runPgPlan, runSqlitePlan, type Plan } from './person-step.js';
import type { SubjectKind } from './tombstone-digest.js';

type Row = Record<string, unknown>;

/** Rows as stored, with JSON columns parsed; inbox payloads as stored text (the collector decodes them). */
export interface PersonExport {
  visitorIds: string[];
  userIds: string[];
  visitors: Row[];
  identities: Row[];
  sessions: Row[];
  events: Row[];
  conversions: Row[];
  inbox: Array<{
    seq: number;
    itemId: string;
    type: string;
    payload: string;
    receivedAt: number;
    state: 'pending' | 'processed' | 'dead';
  }>;
}

/** Same window as erasure: a processed-inbox scan never holds one read snapshot (and the WAL, L13) for long. */
const INBOX_WINDOW = 20_000;

const SESSION_COLUMNS = `id, visitor_id, started_at, last_seen_at, landing_url, landing_host, referrer, channel, utm, click_ids,
  event_count, pageview_count`;
const TABLES: Record<
  'visitors' | 'sessions' | 'events' | 'conversions',
  { columns: string; key: string; order: string }
> = {
  visitors: { columns: 'id, first_seen_at, last_seen_at', key: 'id', order: 'first_seen_at, id' },
  sessions: { columns: SESSION_COLUMNS, key: 'visitor_id', order: 'started_at, id' },
  events: {
    columns: 'id, type, name, visitor_id, session_id, occurred_at, url, properties',
    key: 'visitor_id',
    order: 'occurred_at, id',
  },
  conversions: {
    columns: 'id, name, visitor_id, session_id, occurred_at, revenue, currency, properties',
    key: 'visitor_id',
    order: 'occurred_at, id',
  },
};
const JSON_COLUMNS = new Set(['utm', 'click_ids', 'properties', 'traits']);

function parsed(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    // PostgreSQL returns bigint columns as text: times and counts are numbers here.
    out[k] =
      JSON_COLUMNS.has(k) && typeof v === 'string'
        ? (JSON.parse(v) as unknown)
        : typeof v === 'string' && /(_at|_count)$/.test(k) && /^-?\d+$/.test(v)
          ? Number(v)
          : v;
  }
  return out;
}

function* rowsOf(table: keyof typeof TABLES, accountKey: number, visitors: string[]): Plan<Row[]> {
  const t = TABLES[table];
  const result = yield {
    sqlite: `SELECT ${t.columns} FROM ${table} WHERE account_key = ? AND ${t.key} IN (SELECT value FROM json_each(?)) ORDER BY ${t.order}`,
    postgres: `SELECT ${t.columns} FROM ${table} WHERE account_key = $1 AND ${t.key} = ANY($2::text[]) ORDER BY ${t.order}`,
    params: [accountKey, visitors],
  };
  return result.rows.map(parsed);
}

function* exportPlan(
  accountId: string,
  person: Person,
): Plan<(Omit<PersonExport, 'inbox'> & { key: number; lastSeq: number }) | null> {
  const account = yield {
    sqlite: 'SELECT key FROM accounts WHERE id = ?',
    postgres: 'SELECT key FROM accounts WHERE id = $1',
    params: [accountId],
  };
  if (account.rows.length === 0) return null;
  const key = Number(account.rows[0]?.key);
  yield* personClosure(key, person);
  const visitors = [...person.visitors];
  const identities = yield {
    sqlite: `SELECT user_id, visitor_id, occurred_at AS first_seen_at, traits, traits_at FROM identities
      WHERE account_key = ? AND (visitor_id IN (SELECT value FROM json_each(?)) OR user_id IN (SELECT value FROM json_each(?))) ORDER BY occurred_at, user_id, visitor_id`,
    postgres: `SELECT user_id, visitor_id, occurred_at AS first_seen_at, traits, traits_at FROM identities
      WHERE account_key = $1 AND (visitor_id = ANY($2::text[]) OR user_id = ANY($3::text[])) ORDER BY occurred_at, user_id, visitor_id`,
    params: [key, visitors, [...person.users]],
  };
  const last = yield {
    sqlite: 'SELECT coalesce(max(seq), 0) AS seq FROM inbox',
    postgres: 'SELECT coalesce(max(seq), 0) AS seq FROM inbox',
    params: [],
  };
  return {
    key,
    lastSeq: Number(last.rows[0]?.seq ?? 0),
    visitorIds: visitors.sort(),
    userIds: [...person.users].sort(),
    visitors: yield* rowsOf('visitors', key, visitors),
    identities: identities.rows.map(parsed),
    sessions: yield* rowsOf('sessions', key, visitors),
    events: yield* rowsOf('events', key, visitors),
    conversions: yield* rowsOf('conversions', key, visitors),
  };
}

function* inboxWindow(
  accountKey: number,
  person: Person,
  after: number,
  cookieless: CookielessVisitorOf | undefined,
): Plan<PersonExport['inbox']> {
  const result = yield {
    sqlite: `SELECT i.seq, i.item_id, i.type, i.payload, i.received_at,
        CASE WHEN p.seq IS NOT NULL THEN 'pending' WHEN d.seq IS NOT NULL THEN 'dead' ELSE 'processed' END AS state
      FROM inbox i LEFT JOIN inbox_pending p ON p.seq = i.seq LEFT JOIN inbox_dead d ON d.seq = i.seq
      WHERE i.seq > ? AND i.seq <= ? AND +i.account_key = ? AND EXISTS (SELECT 1 FROM json_each(?) q WHERE instr(i.payload, q.value) > 0)
      ORDER BY i.seq`,
    postgres: `SELECT i.seq, i.item_id, i.type, i.payload, i.received_at,
        CASE WHEN p.seq IS NOT NULL THEN 'pending' WHEN d.seq IS NOT NULL THEN 'dead' ELSE 'processed' END AS state
      FROM inbox i LEFT JOIN inbox_pending p ON p.seq = i.seq LEFT JOIN inbox_dead d ON d.seq = i.seq
      WHERE i.seq > $1 AND i.seq <= $2 AND i.account_key = $3 AND EXISTS (SELECT 1 FROM unnest($4::text[]) AS q WHERE strpos(i.payload, q) > 0)
      ORDER BY i.seq`,
    params: [after, after + INBOX_WINDOW, accountKey, quotedIds(person, cookieless)],
  };
  return result.rows
    .filter((r) =>
      rowBelongsTo({ itemId: String(r.item_id), type: String(r.type), payload: String(r.payload) }, person, cookieless),
    )
    .map((r) => ({
      seq: Number(r.seq),
      itemId: String(r.item_id),
      type: String(r.type),
      payload: String(r.payload),
      receivedAt: Number(r.received_at),
      state: r.state as 'pending' | 'processed' | 'dead',
    }));
}

function inReadTransaction<T>(conn: Connection, plan: () => Plan<T>): Promise<T> {
  return runQuery(conn, 'exportPerson', {
    sqlite: (c) => c.db.transaction(() => runSqlitePlan(c, plan())).deferred(),
    postgres: (c) =>
      c.transaction((client) => runPgPlan(client, plan()), { isolation: 'repeatable read', readOnly: true }),
  });
}

/**
 * Null when the account does not exist; an unknown person gives empty lists (nothing is held).
 * `cookieless` (see ErasureRequest) finds the person's cookieless items in the inbox too.
 */
export async function exportPerson(
  conn: Connection,
  accountId: string,
  subject: { kind: SubjectKind; id: string },
  cookieless?: CookielessVisitorOf,
): Promise<PersonExport | null> {
  const person: Person = { visitors: new Set(), users: new Set() };
  (subject.kind === 'visitor' ? person.visitors : person.users).add(subject.id);
  const main = await inReadTransaction(conn, () => exportPlan(accountId, person));
  if (main === null) return null;
  const { key, lastSeq, ...data } = main;
  const inbox: PersonExport['inbox'] = [];
  for (let after = 0; after < lastSeq; after += INBOX_WINDOW)
    inbox.push(...(await inReadTransaction(conn, () => inboxWindow(key, person, after, cookieless))));
  return { ...data, inbox };
}
