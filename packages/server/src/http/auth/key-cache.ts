// In-memory API key table: the collector is not ready (503, never 401) until it has loaded once.
import type { ApiKeyRecord, KeyScope, Storage } from '@touchline/storage';
import { timingSafeEqual } from 'node:crypto';
import { hashKeyBytes } from './api-keys.js';

export type KeyLookup =
  | { kind: 'not_ready' }
  | { kind: 'unknown' }
  | { kind: 'forbidden'; scope: KeyScope }
  | { kind: 'ok'; key: ApiKeyRecord };

export interface KeyCache {
  readonly ready: boolean;
  /**
   * Loads (or reloads) the table; the first success makes the cache ready. Loads never overlap: a call
   * made while one is in flight reads after it has finished (callers waiting meanwhile share that read),
   * so the table only moves forward: a slow load that began before a key was created or revoked can
   * never land after, and undo, a load that began later.
   */
  refresh(): Promise<void>;
  lookup(secret: string, scope: KeyScope): KeyLookup;
  /** The active key with this secret, whatever its scopes; null if unknown or not loaded yet. */
  find(secret: string): ApiKeyRecord | null;
}

/**
 * Test mode (issue 16 item 8): a `tl_test_` key reads and writes its account's test-mode account (a tenant
 * of its own, see ensureTestAccount), never the live data, so every route and query stays as it is: the
 * key the cache hands out simply carries the test-mode account's id. Each test-mode account is ensured
 * once per cache, before any key of it can be used, so the inbox never sees an account that does not exist.
 */
function testModeResolver(storage: Storage, now: () => number): (key: ApiKeyRecord) => Promise<ApiKeyRecord | null> {
  const ensured = new Map<string, string>();
  return async (key) => {
    if (key.mode !== 'test') return key;
    let id = ensured.get(key.accountId);
    if (id === undefined) {
      const account = await storage.ensureTestAccount(key.accountId, now());
      if (account === null) return null;
      id = account.id;
      ensured.set(key.accountId, id);
    }
    return { ...key, accountId: id };
  };
}

/**
 * Serializes `run`: each run starts after the previous one has settled, so runs never overlap; calls
 * made before a queued run has started share it. So each call's run begins after the call was made.
 */
function serialized(run: () => Promise<void>): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  return function serializedRun() {
    if (queued !== null) return queued;
    const next = tail
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return run();
      });
    queued = next;
    tail = next;
    return next;
  };
}

export function createKeyCache(storage: Storage, now: () => number = Date.now): KeyCache {
  /** By hex digest, with the digest's bytes kept for the constant-time confirm (no hex decoding per request). */
  let byHash: Map<string, { key: ApiKeyRecord; digest: Buffer }> | null = null;
  const resolve = testModeResolver(storage, now);
  const load = serialized(async () => {
    const keys = (await Promise.all((await storage.loadActiveKeys()).map(resolve))).filter(
      (k): k is ApiKeyRecord => k !== null,
    );
    byHash = new Map(keys.map((k) => [k.hash, { key: k, digest: Buffer.from(k.hash, 'hex') }]));
  });
  const cache: KeyCache = {
    get ready() {
      return byHash !== null;
    },
    refresh: load,
    lookup(secret, scope) {
      if (!cache.ready) return { kind: 'not_ready' };
      const key = cache.find(secret);
      if (key === null) return { kind: 'unknown' };
      if (!key.scopes.includes(scope)) return { kind: 'forbidden', scope };
      return { kind: 'ok', key };
    },
    find(secret) {
      if (byHash === null) return null;
      const digest = hashKeyBytes(secret);
      const entry = byHash.get(digest.toString('hex'));
      // Timing: the Map is keyed by SHA-256 digests, so a lookup's duration depends on the digest of
      // what the caller sent, not on how much of a real secret it got right, and a digest learned
      // from timing would not yield the secret (preimage resistance). The final compare is constant-time anyway.
      return entry !== undefined && entry.digest.length === digest.length && timingSafeEqual(entry.digest, digest)
        ? entry.key
        : null;
    },
  };
  return cache;
}
