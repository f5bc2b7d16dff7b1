// Key cache: not ready (never "unknown") before its first load; lookups by SHA-256 digest only; scopes and reloads honoured.
import type { ApiKeyRecord, Storage } from '@touchline/storage';
import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, hashKeyBytes } from './api-keys.js';
import { createKeyCache } from './key-cache.js';

function record(hash: string, scopes: ApiKeyRecord['scopes'] = ['ingest', 'read']): ApiKeyRecord {
  return {
    id: `key-${hash.slice(0, 6)}`,
    accountId: 'acct',
    prefix: 'tl_live_xxxx',
    hash,
    mode: 'live',
    scopes,
    createdAt: 0,
    revokedAt: null,
  };
}

/** Only what the cache reads; the table can be swapped to simulate a revocation between loads. */
function fakeStorage(table: { keys: ApiKeyRecord[] }): Storage {
  return { loadActiveKeys: async () => table.keys } as Partial<Storage> as Storage;
}

describe('createKeyCache', () => {
  it('answers not_ready, never unknown, until the first load', async () => {
    const live = generateKey('live');
    const cache = createKeyCache(fakeStorage({ keys: [record(live.hash)] }));
    expect(cache.lookup(live.secret, 'ingest')).toEqual({ kind: 'not_ready' });
    expect(cache.lookup('tl_live_garbage', 'ingest')).toEqual({ kind: 'not_ready' });
    expect(cache.find(live.secret)).toBeNull();
    await cache.refresh();
    expect(cache.lookup(live.secret, 'ingest')).toMatchObject({ kind: 'ok', key: { hash: live.hash } });
    expect(cache.lookup('tl_live_garbage', 'ingest')).toEqual({ kind: 'unknown' });
  });

  it('matches by digest only: a table holding a plaintext secret as its "hash" matches nothing', async () => {
    const leaked = generateKey('live');
    const cache = createKeyCache(fakeStorage({ keys: [record(leaked.secret)] }));
    await cache.refresh();
    expect(cache.lookup(leaked.secret, 'read')).toEqual({ kind: 'unknown' });
    expect(cache.find(leaked.secret)).toBeNull();
  });

  it('reports a missing scope as forbidden, and forgets a revoked key on the next load', async () => {
    const readOnly = generateKey('test');
    const table = { keys: [record(readOnly.hash, ['read'])] };
    const cache = createKeyCache(fakeStorage(table));
    await cache.refresh();
    expect(cache.lookup(readOnly.secret, 'ingest')).toEqual({ kind: 'forbidden', scope: 'ingest' });
    expect(cache.find(readOnly.secret)?.scopes).toEqual(['read']);
    table.keys = [];
    await cache.refresh();
    expect(cache.lookup(readOnly.secret, 'read')).toEqual({ kind: 'unknown' });
  });
});

describe('api keys', () => {
  it('are tl_live_/tl_test_ plus 256 random bits, stored as a SHA-256 hex digest that is not the secret', () => {
    const a = generateKey('live');
    const b = generateKey('live');
    expect(a.secret).toMatch(/^tl_live_[A-Za-z0-9_-]{43}$/);
    expect(generateKey('test').secret).toMatch(/^tl_test_/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashKey(a.secret));
    expect(hashKeyBytes(a.secret).toString('hex')).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.secret.startsWith(a.prefix)).toBe(true);
    expect(a.prefix.length).toBeLessThan(16);
  });
});
