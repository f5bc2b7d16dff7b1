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
  /** Loads (or reloads) the table; the first success makes the cache ready. */
  refresh(): Promise<void>;
  lookup(secret: string, scope: KeyScope): KeyLookup;
  /** The active key with this secret, whatever its scopes; null if unknown or not loaded yet. */
  find(secret: string): ApiKeyRecord | null;
}

export function createKeyCache(storage: Storage): KeyCache {
  /** By hex digest, with the digest's bytes kept for the constant-time confirm (no hex decoding per request). */
  let byHash: Map<string, { key: ApiKeyRecord; digest: Buffer }> | null = null;
  const cache: KeyCache = {
    get ready() { return byHash !== null; },
    async refresh() {
      const keys = await storage.loadActiveKeys();
      byHash = new Map(keys.map((k) => [k.hash, { key: k, digest: Buffer.from(k.hash, 'hex') }]));
    },
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
      return entry !== undefined && entry.digest.length === digest.length && timingSafeEqual(entry.digest, digest) ? entry.key : null;
    },
  };
  return cache;
}
