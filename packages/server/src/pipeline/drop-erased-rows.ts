// Splits claimed inbox rows into those to process and those of an erased person, which must not bring them back.
//
// An erased person's items can still arrive: a batch the SDK retries after the erasure, a spool
// replayed later. The erasure leaves tombstones (storage erasePerson, docs/privacy.md); an item whose
// visitor id, or whose identify user id, has a live tombstone is not processed, and its inbox row is
// deleted in the pass's own transaction (ProcessedBatch.erased). Almost always no tombstone is live:
// one probe says so and the rows pass through without being decoded twice.
import { tombstoneDigest, type InboxRow, type Storage } from '@touchline/storage';
import { decodeStoredItem } from './stored-item-codec.js';

export interface ErasedSplit {
  keep: InboxRow[];
  erased: number[];
}

interface Subjects {
  row: InboxRow;
  digests: string[];
}

function subjectsOf(row: InboxRow): Subjects {
  const decoded = decodeStoredItem(row);
  if (decoded.kind === 'err') return { row, digests: [] }; // a poison row: dead-lettered by the pass as before
  const { item } = decoded.value;
  const digests = [tombstoneDigest(row.accountId, 'visitor', item.visitor_id)];
  if (item.type === 'identify') digests.push(tombstoneDigest(row.accountId, 'user', item.user_id));
  return { row, digests };
}

export async function dropErasedRows(
  storage: Pick<Storage, 'findTombstones'>,
  rows: readonly InboxRow[],
  now: number,
): Promise<ErasedSplit> {
  if (rows.length === 0 || (await storage.findTombstones(null, now)) === null) return { keep: [...rows], erased: [] };
  const subjects = rows.map(subjectsOf);
  const byAccount = new Map<string, string[]>();
  for (const s of subjects) {
    const list = byAccount.get(s.row.accountId) ?? [];
    list.push(...s.digests);
    byAccount.set(s.row.accountId, list);
  }
  const dead = (await storage.findTombstones(byAccount, now)) ?? new Set<string>();
  const keep: InboxRow[] = [];
  const erased: number[] = [];
  for (const s of subjects) {
    if (s.digests.some((d) => dead.has(d))) erased.push(s.row.seq);
    else keep.push(s.row);
  }
  return { keep, erased };
}
