// POST /api/v1/batch over real sockets with the parse thread (a SQLite file, a thread inbox worker): the same answers as inline.
import { newId } from '@touchline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_ITEMS } from '../../../../core/src/test-support/sample-items.js';
import { sqliteFactory } from '../../../../storage/src/test-support/storage-factories.js';
import { createCollector, type Collector } from '../../create-collector.js';
import { THREAD_MIN_BYTES } from '../../ingest/batch-parser.js';
import { generateKey } from '../auth/api-keys.js';

let collector: Collector;
let url: string;
let secret: string;
let accountId: string;
let remove: () => Promise<void>;

beforeEach(async () => {
  const db = await sqliteFactory.open();
  remove = db.remove;
  collector = createCollector({ storage: db.storage, databasePath: db.url, settings: { port: 0, keyRefreshMs: 100 } });
  ({ url } = await collector.start());
  const account = await db.storage.ensureAccount('shop', Date.now());
  accountId = account.id;
  const key = generateKey('live');
  await db.storage.insertKey({
    id: newId(),
    accountId,
    prefix: key.prefix,
    hash: key.hash,
    mode: 'live',
    scopes: ['ingest', 'read'],
    createdAt: Date.now(),
    revokedAt: null,
  });
  await collector.keys.refresh();
  secret = key.secret;
});
afterEach(async () => {
  await collector.close();
  await remove();
});

const post = (body: string, auth = secret) =>
  fetch(`${url}/api/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body,
  });
const batch = (items: number, batchId: string = newId()) =>
  JSON.stringify({
    batch_id: batchId,
    sent_at: new Date().toISOString(),
    sdk: { name: 't', version: '1' },
    items: Array.from({ length: items }, () => ({
      ...SAMPLE_ITEMS[2],
      id: newId(),
      timestamp: new Date().toISOString(),
    })),
  });

describe('POST /api/v1/batch through the parse thread', () => {
  it('stores a large batch once and answers with its batch id', async () => {
    expect(collector.batchParser.mode()).toBe('thread');
    const batchId = newId();
    const text = batch(120, batchId);
    expect(text.length).toBeGreaterThan(THREAD_MIN_BYTES);
    const res = await post(text);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ batch_id: batchId, accepted: 120, duplicates: 0, errors: [] });
    expect(await (await post(text)).json()).toMatchObject({ accepted: 0, duplicates: 120 });
    await collector.worker.drain();
    expect(
      (
        await collector.app.inject({ url: '/api/v1/stats?from=0', headers: { authorization: `Bearer ${secret}` } })
      ).json(),
    ).toMatchObject({ events: 120 });
  });

  it('names malformed JSON, a malformed envelope and an empty body, and checks the key before parsing', async () => {
    const broken = batch(120).slice(0, -5);
    expect(await (await post(broken)).json()).toEqual({
      error: { code: 'invalid_json', message: expect.stringMatching(/^body: .*JSON/) },
    });
    const badEnvelope = batch(120, 'not-a-uuid');
    const res = await post(badEnvelope);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_batch', message: expect.stringMatching(/batch_id/) },
      batch_id: 'not-a-uuid',
    });
    const empty = await post('');
    expect([empty.status, ((await empty.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'empty_body',
    ]);
    expect((await post(broken, 'tl_test_nope')).status).toBe(401);
    expect(collector.batchParser.mode()).toBe('thread');
  });
});
