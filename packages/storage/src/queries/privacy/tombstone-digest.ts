// The digest a tombstone stores instead of an erased id: one-way, scoped to its account and kind.
import { createHash } from 'node:crypto';

export type SubjectKind = 'visitor' | 'user';

/**
 * Hex SHA-256 of "<account id>\0<kind>\0<id>". The raw database then holds no erased id, yet the worker
 * can still recognise the id in a late item. Honest limit (docs/privacy.md): someone holding the
 * database and guessing an id (an e-mail address used as user id) can test the guess against a live
 * tombstone; tombstones expire, and visitor ids are random UUIDs that cannot be guessed.
 */
export function tombstoneDigest(accountId: string, kind: SubjectKind, id: string): string {
  return createHash('sha256').update(`${accountId}\u0000${kind}\u0000${id}`, 'utf8').digest('hex');
}
