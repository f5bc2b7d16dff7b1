// Inside a worker pass's transaction: waits out a running erasure of the pass's accounts, then says whether the pass holds an erased person's item.
//
// The worker drops an erased person's items before processing (server drop-erased-rows.ts), but
// that check runs before the pass's transaction: an erasure committing in between (its tombstones
// were not visible yet) would let the pass write the person back. So the pass checks again inside
// its own transaction, against the same subjects (each item's visitor id, an identify's user id).
// On PostgreSQL that is only sound if the erasure cannot still be running: every pass first takes
// its accounts' erasure lock in shared mode and an erasure takes it exclusively (erase-person.ts),
// so a pass either finishes before the erasure reads anything or starts after its tombstones are
// committed. Passes share the lock, so they never wait for each other on it. On SQLite the write
// transaction is the only one, so the check alone suffices.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ProcessedBatch } from '../../storage.js';
import { PG_ANY_LIVE, PG_FIND_LIVE, SQLITE_ANY_LIVE, SQLITE_FIND_LIVE } from './find-tombstones.js';
import { tombstoneDigest } from './tombstone-digest.js';

/**
 * The erasure lock of one account: advisory, in the two-key space (class 20, issue 20), which never
 * overlaps the single-key visitor locks of session-shapes.ts. Two accounts whose ids hash alike only
 * wait for each other needlessly.
 */
export const PG_ERASURE_LOCK = 'SELECT pg_advisory_xact_lock(20, hashtext($1)) AS locked';
const PG_ERASURE_LOCK_SHARED = `SELECT COUNT(pg_advisory_xact_lock_shared(20, k)) AS n FROM (
    SELECT DISTINCT hashtext(a) AS k FROM unnest($1::text[]) AS a ORDER BY k) AS keys`;

/** Account ids of everything the pass writes. */
function accountsOf(batch: ProcessedBatch): string[] {
  const ids = new Set<string>();
  for (const rows of [batch.visitors, batch.sessions, batch.events, batch.conversions, batch.identities])
    for (const r of rows) ids.add(r.accountId);
  return [...ids].sort();
}

/** Per account, the digests of the pass's subjects: every visitor id it writes and every identified user id. */
function subjectDigests(batch: ProcessedBatch): Map<string, string[]> {
  const byAccount = new Map<string, Set<string>>();
  const add = (accountId: string, kind: 'visitor' | 'user', id: string): void => {
    let set = byAccount.get(accountId);
    if (set === undefined) byAccount.set(accountId, (set = new Set()));
    set.add(tombstoneDigest(accountId, kind, id));
  };
  for (const v of batch.visitors) add(v.accountId, 'visitor', v.id);
  for (const rows of [batch.sessions, batch.events, batch.conversions, batch.identities])
    for (const r of rows) add(r.accountId, 'visitor', r.visitorId);
  for (const i of batch.identities) add(i.accountId, 'user', i.userId);
  return new Map([...byAccount].map(([account, set]) => [account, [...set]]));
}

export function sqliteBatchTombstoned(c: SqliteConnection, batch: ProcessedBatch): boolean {
  const now = batch.tombstonesAt;
  if (now === undefined || c.statement<[number]>(SQLITE_ANY_LIVE).get(now) === undefined) return false;
  const find = c.statement<[string, string, number]>(SQLITE_FIND_LIVE);
  for (const [accountId, digests] of subjectDigests(batch))
    if (find.all(accountId, JSON.stringify(digests), now).length > 0) return true;
  return false;
}

/** Takes the pass's accounts' erasure locks (shared), then checks; call it before any other lock or write of the pass. */
export async function pgBatchTombstoned(client: PgQueryable, batch: ProcessedBatch): Promise<boolean> {
  const accounts = accountsOf(batch);
  if (accounts.length === 0) return false;
  await client.query(PG_ERASURE_LOCK_SHARED, [accounts]);
  const now = batch.tombstonesAt;
  if (now === undefined || (await client.query(PG_ANY_LIVE, [now])).rows.length === 0) return false;
  for (const [accountId, digests] of subjectDigests(batch))
    if ((await client.query(PG_FIND_LIVE, [accountId, digests, now])).rows.length > 0) return true;
  return false;
}
