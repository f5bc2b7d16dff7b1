// insertInbox: stores validated items exactly once per (account, item id), in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { InboxItem } from '../../storage.js';
import { pgAccountKeyOf, sqliteAccountKeys } from '../accounts/account-key.js';
import { accountRowsPlaceholders, chunks, ROWS_PER_INSERT } from '../multi-row-insert.js';

// DO NOTHING on the (account_key, item_id) key only: a retried batch is counted as duplicates,
// while any other constraint failure (an unknown account's NULL key too) aborts the whole
// transaction. Rows go up to ROWS_PER_INSERT per statement; `changes` counts the rows stored.
const sqliteInsert = (rows: number): string => `INSERT INTO inbox (account_key, item_id, type, payload, received_at)
  VALUES ${accountRowsPlaceholders(4, rows)}
  ON CONFLICT (account_key, item_id) DO NOTHING`;
// PostgreSQL takes a whole group in one statement: the columns as arrays, unnested in item order
// (WITH ORDINALITY), so seq follows the request's order as it does on SQLite. The inbox is
// partitioned by received_at and cannot hold the (account, item id) unique key itself, so the key
// goes to inbox_keys first (the first copy of an id repeated within the request wins, as on
// SQLite) and only the items whose key was new reach the inbox. rowCount counts those.
const PG_INSERT = `WITH items AS (
    SELECT DISTINCT ON (u.item_id) u.item_id, u.type, u.payload, u.n
    FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u (item_id, type, payload, n)
    ORDER BY u.item_id, u.n),
  fresh AS (
    INSERT INTO inbox_keys (account_key, item_id, received_at)
    SELECT ${pgAccountKeyOf(1)}, item_id, $5 FROM items ORDER BY n
    ON CONFLICT (account_key, item_id) DO NOTHING
    RETURNING item_id)
  INSERT INTO inbox (account_key, item_id, type, payload, received_at)
  SELECT ${pgAccountKeyOf(1)}, items.item_id, items.type, items.payload, $5
  FROM items JOIN fresh USING (item_id)
  ORDER BY items.n`;
/** The statement text for each chunk length, built once: index n holds the n-row INSERT. */
const SQLITE_INSERTS = Array.from({ length: ROWS_PER_INSERT + 1 }, (_, rows) => sqliteInsert(rows));

export interface InsertInboxResult {
  inserted: number;
  duplicates: number;
}

/** One request's items; the single-group case of insertInboxGroups (same transaction semantics). */
export async function insertInbox(
  conn: Connection,
  accountId: string,
  items: readonly InboxItem[],
  receivedAt: number,
): Promise<InsertInboxResult> {
  const [result] = await insertInboxGroups(conn, [{ accountId, items }], receivedAt);
  return result ?? { inserted: 0, duplicates: 0 };
}

export interface InboxGroup {
  accountId: string;
  items: readonly InboxItem[];
}

type KeyOf = (accountId: string) => number | null;

function insertGroup(c: SqliteConnection, keyOf: KeyOf, group: InboxGroup, receivedAt: number): InsertInboxResult {
  let inserted = 0;
  const key = keyOf(group.accountId);
  for (const part of chunks(group.items)) {
    const params: Array<string | number | null> = [];
    for (const item of part) params.push(key, item.itemId, item.type, item.payload, receivedAt);
    inserted += c.statement(SQLITE_INSERTS[part.length] as string).run(...params).changes;
  }
  return { inserted, duplicates: group.items.length - inserted };
}

/**
 * All groups' rows in shared multi-row statements, inside a savepoint: one statement per
 * ROWS_PER_INSERT rows instead of at least one per group, which is what a flush of single-event
 * requests is made of. `changes` cannot say which group a duplicate belonged to, so when any row
 * was not stored the savepoint is rolled back and null tells the caller to go group by group.
 */
function insertMerged(
  c: SqliteConnection,
  keyOf: KeyOf,
  groups: readonly InboxGroup[],
  receivedAt: number,
): InsertInboxResult[] | null {
  const params: Array<string | number | null> = [];
  let rows = 0;
  let inserted = 0;
  c.statement('SAVEPOINT insert_inbox_merged').run();
  for (const group of groups) {
    const key = keyOf(group.accountId);
    for (const item of group.items) {
      params.push(key, item.itemId, item.type, item.payload, receivedAt);
      if (++rows === ROWS_PER_INSERT) {
        inserted += c.statement(SQLITE_INSERTS[rows] as string).run(...params).changes;
        params.length = 0;
        rows = 0;
      }
    }
  }
  if (rows > 0) inserted += c.statement(SQLITE_INSERTS[rows] as string).run(...params).changes;
  const total = groups.reduce((n, g) => n + g.items.length, 0);
  if (inserted !== total) c.statement('ROLLBACK TO insert_inbox_merged').run();
  c.statement('RELEASE insert_inbox_merged').run();
  return inserted === total ? groups.map((g) => ({ inserted: g.items.length, duplicates: 0 })) : null;
}

// Inside the write transaction rowids are handed out above the largest one, so the rows this
// transaction stored are exactly those above the largest seq before it (rows a rolled-back
// savepoint took are gone again). They become pending in one statement (migration 005).
const SQLITE_LAST_SEQ = 'SELECT coalesce(max(seq), 0) AS seq FROM inbox';
const SQLITE_ENQUEUE = 'INSERT INTO inbox_pending (seq) SELECT seq FROM inbox WHERE seq > ?';

function sqliteInsertGroups(
  c: SqliteConnection,
  groups: readonly InboxGroup[],
  receivedAt: number,
): InsertInboxResult[] {
  const keyOf = sqliteAccountKeys(c);
  const { seq: before } = c.statement<[], { seq: number }>(SQLITE_LAST_SEQ).get() as { seq: number };
  const results =
    (groups.length > 1 ? insertMerged(c, keyOf, groups, receivedAt) : null) ??
    groups.map((group) => insertGroup(c, keyOf, group, receivedAt));
  if (results.some((r) => r.inserted > 0)) c.statement<[number]>(SQLITE_ENQUEUE).run(before);
  return results;
}

async function pgInsertGroup(client: PgQueryable, group: InboxGroup, receivedAt: number): Promise<InsertInboxResult> {
  const { items } = group;
  const result = await client.query(PG_INSERT, [
    group.accountId,
    items.map((i) => i.itemId),
    items.map((i) => i.type),
    items.map((i) => i.payload),
    receivedAt,
  ]);
  const inserted = result.rowCount ?? 0;
  return { inserted, duplicates: items.length - inserted };
}
/**
 * Several requests' items in ONE transaction (group commit): the collector coalesces the ingest
 * requests that arrive in the same event-loop turn, so N small requests cost one commit, not N.
 * Results come back per group, in order. One transaction: one WAL commit instead of one per
 * item, and all-or-nothing, so the collector never acknowledges half a batch.
 */
export function insertInboxGroups(
  conn: Connection,
  groups: readonly InboxGroup[],
  receivedAt: number,
): Promise<InsertInboxResult[]> {
  return runQuery(conn, 'insertInboxGroups', {
    sqlite: (c) => {
      c.assertWalRoom();
      return c.db.transaction(() => sqliteInsertGroups(c, groups, receivedAt)).immediate();
    },
    postgres: (c) =>
      c.transaction(async (client) => {
        const results: InsertInboxResult[] = [];
        for (const group of groups) results.push(await pgInsertGroup(client, group, receivedAt));
        return results;
      }),
  });
}
