// Issue 16 item 2 (DESIGN.md L11): one text rule on both engines, decided at the edge. A NUL in any text field is a 400 naming
// the field; every other text is stored and no stored value breaks a query. Fuzzed over every text field of every item type.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { SAMPLE_ITEMS } from '../../../core/src/test-support/sample-items.js';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { getJson, postBatch, startCollector, type Fixture } from '../test-support/collector-fixture.js';

let fixture: Fixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

type Path = Array<string | number>;

/** Every string leaf of `value` (its path), and every object key (its path ending in `{key}`). */
function textPaths(value: unknown, path: Path = []): Array<{ path: Path; key: boolean }> {
  if (typeof value === 'string') return [{ path, key: false }];
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [
    ...(typeof k === 'string' ? [{ path: [...path, k], key: true }] : []),
    ...textPaths(v, [...path, k]),
  ]);
}

/** A deep copy of `item` with the string (or key) at `path` replaced by `text(old)`. */
function withText(item: unknown, path: Path, key: boolean, text: (old: string) => string): unknown {
  const copy = structuredClone(item) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (key) {
    const v = parent[last];
    delete parent[last];
    parent[text(String(last))] = v;
  } else {
    parent[last] = text(parent[last] as string);
  }
  return copy;
}

/** A fresh copy of a sample item: its own ids, now, one visitor per test. */
function fresh(sample: unknown, visitorId: string): Record<string, unknown> {
  const item = structuredClone(sample) as Record<string, unknown>;
  return {
    ...item,
    id: newId(),
    timestamp: new Date().toISOString(),
    visitor_id: visitorId,
    ...(item.session_id === null ? {} : { session_id: newId() }),
  };
}

/** Fields whose text has no format of its own (URLs, ids, currencies and timestamps have one, and their NUL cases are above). */
const FREE_TEXT = /^(context\.(user_agent|utm\..*|click_ids\..*)|name|user_id|properties\..*|traits\..*)$/;

describe.each(await storageFactories(process.env, import.meta.url))('text rule on $dialect', (factory) => {
  it('answers 400 naming the field for a NUL in every text field and key of every item type', async () => {
    fixture = await startCollector({ integrity: { enabled: false } }, factory);
    const key = await fixture.keyFor('acme');
    const visitor = newId();
    let cases = 0;
    for (const sample of SAMPLE_ITEMS) {
      const base = fresh(sample, visitor);
      for (const { path, key: isKey } of textPaths(base)) {
        // Keys of fixed-shape objects (the item, context, utm, click_ids) are a known list: an unknown one is dropped by the parser.
        if (path[0] === 'type' || (isKey && path[0] !== 'properties' && path[0] !== 'traits')) continue;
        const bad = withText({ ...base, id: newId() }, path, isKey, (old) => `${old.slice(0, 1)}\u0000${old.slice(1)}`);
        const answer = await postBatch(fixture.url, key, [bad]);
        const where = path.join('.');
        expect(answer.status, where).toBe(400);
        const errors = answer.body.errors as Array<{ message: string }>;
        expect(errors[0]?.message, where).toMatch(new RegExp(`^items\\[0\\]\\.${String(path[0])}`));
        cases += 1;
      }
    }
    expect(cases).toBeGreaterThan(40);
    // The SDK envelope is text too.
    const sdk = await fetch(`${fixture.url}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: newId(),
        sent_at: new Date().toISOString(),
        sdk: { name: 'a\u0000b', version: '1' },
        items: [fresh(SAMPLE_ITEMS[2], visitor)],
      }),
    });
    expect(sdk.status).toBe(400);
    expect(await sdk.json()).toMatchObject({ error: { message: expect.stringContaining('sdk.name') } });
    // Path and query parameters: a 400 naming them, not a 500 from the database.
    for (const path of [
      '/api/v1/visitors/%00',
      `/api/v1/sessions?visitor_id=a%00b`,
      '/api/v1/conversions/%00/journey',
      '/api/v1/attribution?model=%00',
    ]) {
      const res = await getJson(fixture.url, key, path);
      expect(res.status, path).toBe(400);
      expect(res.body, path).toMatchObject({ error: { code: 'invalid_parameter' } });
    }
  }, 60_000);

  it('fuzz: any text without NUL is stored, any with NUL is refused, and no stored value breaks a query', async () => {
    fixture = await startCollector({ integrity: { enabled: false } }, factory);
    const key = await fixture.keyFor('acme');
    const f = fixture;
    const visitor = newId();
    const fields = SAMPLE_ITEMS.flatMap((sample, s) =>
      textPaths(sample)
        .filter(({ path, key: isKey }) => !isKey && FREE_TEXT.test(path.join('.')))
        .map(({ path }) => ({ s, path })),
    );
    // Never empty (a name must have a character); otherwise anything: emoji, controls, lone surrogates, escapes, NULs.
    const text = fc
      .oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('\u0000', 'a\u0000', '\\u0000', '%00'),
      )
      .map((t) => `x${t}`);
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ field: fc.constantFrom(...fields), value: text }), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          const items = edits.map(({ field, value }) => ({
            ...(withText(fresh(SAMPLE_ITEMS[field.s], visitor), field.path, false, () => value) as object),
          }));
          const answer = await postBatch(f.url, key, items);
          const refused = new Set(
            ((answer.body.errors as Array<{ index: number }> | undefined) ?? []).map((e) => e.index),
          );
          edits.forEach(({ value }, i) => expect(refused.has(i), JSON.stringify(value)).toBe(value.includes('\u0000')));
          stored += edits.length - refused.size;
        },
      ),
      { numRuns: 40, seed: 16 },
    );
    await f.collector.worker.drain();
    const health = await f.storage.inboxHealth();
    expect(health).toMatchObject({ pending: 0, dead: 0 });
    expect(stored).toBeGreaterThan(0);
    // Everything that reads stored text still answers.
    for (const model of ['first_touch', 'linear', 'markov', 'shapley']) {
      expect((await getJson(f.url, key, `/api/v1/attribution?model=${model}`)).status, model).toBe(200);
    }
    expect((await getJson(f.url, key, `/api/v1/visitors/${visitor}`)).status).toBe(200);
    expect((await getJson(f.url, key, '/api/v1/stats')).status).toBe(200);
  }, 120_000);
});
