// Accounts and API keys: idempotent account creation, key listing, revocation and the active-key load.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUuid } from '@touchline/core';
import type { ApiKeyRecord, Storage } from '../../storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
  });
  afterEach(async () => {
    await db.remove();
  });

  function key(fields: Partial<ApiKeyRecord> & { id: string; accountId: string }): ApiKeyRecord {
    return {
      prefix: 'tl_test_ab',
      hash: `hash-${fields.id}`,
      mode: 'test',
      scopes: ['ingest'],
      createdAt: 10,
      revokedAt: null,
      ...fields,
    };
  }

  describe('accounts', () => {
    it('ensureAccount creates once and then returns the same account', async () => {
      const first = await storage.ensureAccount('acme', 1000);
      expect(first).toEqual({ id: expect.any(String), name: 'acme', createdAt: 1000 });
      expect(isUuid(first.id)).toBe(true);
      expect(await storage.ensureAccount('acme', 5000)).toEqual(first);
      expect(await storage.findAccount('acme')).toEqual(first);
      expect(await storage.findAccount('nobody')).toBeNull();
    });
  });

  describe('api keys', () => {
    it('stores keys with their scopes, lists them oldest first, and loads only unrevoked ones', async () => {
      const acc = await storage.ensureAccount('acme', 1);
      const live = key({ id: 'k1', accountId: acc.id, mode: 'live', scopes: ['ingest', 'read'], createdAt: 10 });
      const test = key({ id: 'k2', accountId: acc.id, createdAt: 20 });
      await storage.insertKey(test);
      await storage.insertKey(live);
      expect(await storage.listKeys(acc.id)).toEqual([live, test]);
      expect(await storage.revokeKey('k2', 99)).toBe(true);
      expect(await storage.loadActiveKeys()).toEqual([live]);
      expect(await storage.listKeys(acc.id)).toEqual([live, { ...test, revokedAt: 99 }]);
    });

    it('revokeKey is false for an unknown key and keeps the first revocation time', async () => {
      const acc = await storage.ensureAccount('acme', 1);
      await storage.insertKey(key({ id: 'k1', accountId: acc.id }));
      expect(await storage.revokeKey('nope', 5)).toBe(false);
      expect(await storage.revokeKey('k1', 5)).toBe(true);
      expect(await storage.revokeKey('k1', 9)).toBe(true);
      expect((await storage.listKeys(acc.id))[0]?.revokedAt).toBe(5);
    });

    it('refuses a key for an unknown account or with a hash already in use', async () => {
      const acc = await storage.ensureAccount('acme', 1);
      await expect(storage.insertKey(key({ id: 'k1', accountId: 'ghost' }))).rejects.toMatchObject({
        code: 'query_failed',
      });
      await storage.insertKey(key({ id: 'k1', accountId: acc.id, hash: 'h' }));
      await expect(storage.insertKey(key({ id: 'k2', accountId: acc.id, hash: 'h' }))).rejects.toMatchObject({
        code: 'query_failed',
      });
    });
  });
});
