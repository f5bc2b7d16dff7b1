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

  it('never lets a slow load that began earlier undo a later one (a created key stays known)', async () => {
    const created = generateKey('live');
    const table = { keys: [] as ApiKeyRecord[] };
    const pending: Array<() => void> = [];
    let loads = 0;
    // Each load reads the table when it starts and answers when the test releases it.
    const storage = {
      loadActiveKeys: () => {
        loads += 1;
        const seen = [...table.keys];
        return new Promise<ApiKeyRecord[]>((done) => pending.push(() => done(seen)));
      },
    } as Partial<Storage> as Storage;
    const cache = createKeyCache(storage);
    const periodic = cache.refresh();
    await new Promise((r) => setImmediate(r));
    expect(loads, 'the periodic load read the table before the key was created').toBe(1);
    table.keys = [record(created.hash)];
    const explicit = cache.refresh(); // the caller that just created the key
    const joined = cache.refresh(); // a third caller meanwhile shares the explicit one's load
    const all = Promise.all([periodic, explicit, joined]);
    let settled = false;
    void all.then(() => (settled = true));
    // The database answers the newest read first, as a loaded pool may: the stale read lands last.
    while (!settled) {
      pending.pop()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(cache.lookup(created.secret, 'read')).toMatchObject({ kind: 'ok' });
    expect(loads).toBe(2);
  });

  it('keeps serving the last table when a load fails, and the next load runs', async () => {
    const live = generateKey('live');
    let fail = false;
    const storage = {
      loadActiveKeys: async () => {
        if (fail) throw new Error('connection dropped');
        return [record(live.hash)];
      },
    } as Partial<Storage> as Storage;
    const cache = createKeyCache(storage);
    await cache.refresh();
    fail = true;
    const failing = cache.refresh();
    const after = cache.refresh();
    await expect(failing).rejects.toThrow('connection dropped');
    await expect(after).rejects.toThrow('connection dropped');
    expect(cache.lookup(live.secret, 'read')).toMatchObject({ kind: 'ok' });
    fail = false;
    await cache.refresh();
    expect(cache.lookup(live.secret, 'read')).toMatchObject({ kind: 'ok' });
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
