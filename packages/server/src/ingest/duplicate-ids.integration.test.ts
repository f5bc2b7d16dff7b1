// Issue 16 item 10: two different items under one id in a batch are reported (never one silently gone); an identical repeat counts as a duplicate.
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { eventItem, getJson, postBatch, startCollector, type Fixture } from '../test-support/collector-fixture.js';

let fixture: Fixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

describe.each(await storageFactories(process.env, import.meta.url))(
  'one id twice in a batch on $dialect',
  (factory) => {
    it('stores the first, reports a different second one by index and id, and counts an identical repeat as a duplicate', async () => {
      fixture = await startCollector({ integrity: { enabled: false } }, factory);
      const key = await fixture.keyFor('acme');
      const visitor = newId();
      const session = newId();
      const at = Date.now() - 1000;
      const first = eventItem(visitor, session, at, 'signup');
      const impostor = { ...first, name: 'checkout' }; // same id, different content
      const repeat = { ...first };
      const other = eventItem(visitor, session, at + 1, 'other');
      const answer = await postBatch(fixture.url, key, [first, impostor, repeat, other]);
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ accepted: 2, duplicates: 1 });
      expect(answer.body.errors).toEqual([
        {
          index: 1,
          id: first.id,
          code: 'duplicate_id',
          message: expect.stringMatching(/items\[1\]\.id: .* is also the id of items\[0\], with different content/),
        },
      ]);
      await fixture.collector.worker.drain();
      const stored = await getJson(fixture.url, key, `/api/v1/visitors/${visitor}`);
      expect((stored.body.events as Array<{ name: string }>).map((e) => e.name).sort()).toEqual(['other', 'signup']);
    });
  },
);
