// The transport with a file spool and an injected fetch: an outage longer than the memory queue and the retry budget loses nothing, in order.
import { mkdtempSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileSpool } from '../spool/file-spool.js';
import { ackFor, createFakeFetch } from '../test-support/fake-fetch.js';
import { makeEvents } from '../test-support/make-items.js';
import { createTestTransport } from '../test-support/transport-harness.js';

const URL_ = 'http://collector.invalid';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'touchline-spooled-'));
  dirs.push(d);
  return d;
};
const spoolAt = (path: string, pid: number) =>
  openFileSpool({ path, maxBytes: 8 * 1024 * 1024 }, () => undefined, {
    self: { pid, origin: pid },
    isAlive: () => false,
    segmentBytes: 16 * 1024,
  });
const down = (): Response => new Response('down', { status: 503 });

describe('createTransport with a spool', () => {
  it('keeps 20x the memory queue through an outage longer than the retry budget, then delivers all in order', async () => {
    let up = false;
    const fake = createFakeFetch((call) => (up ? ackFor(call) : down()));
    const spool = spoolAt(tempDir(), 11);
    const h = createTestTransport(
      URL_,
      { maxQueueItems: 50, maxInFlight: 1, batch: { maxItems: 20 }, retry: { budgetMs: 50, maxAttempts: 2 } },
      { fetch: fake.fetch, spool },
    );
    const items = makeEvents(1000);
    for (const item of items) h.transport.enqueue(item);
    await new Promise((r) => setTimeout(r, 200)); // several times the budget and the attempt limit
    expect(h.transport.stats()).toMatchObject({
      queued: 980,
      inFlight: 20,
      delivered: 0,
      spool: { backlog: 930, adopted: 0, skipped: 0 },
    }); // memory holds 50
    expect(h.transport.stats().dropped).toEqual({});
    up = true;
    const result = await h.transport.flush({ timeoutMs: 10_000 });
    expect(result.settled).toBe(true);
    expect(result.stats.dropped).toEqual({});
    expect(result.stats).toMatchObject({ delivered: 1000, queued: 0, inFlight: 0, spool: { backlog: 0 } });
    const acked = fake.calls.filter((c) => c.n > fake.calls.length - 50).flatMap((c) => c.body.items.map((i) => i.id));
    expect(acked).toEqual(items.map((i) => i.id));
    expect(h.errors).toEqual([]);
    await h.transport.close();
  });

  it('a close that times out drops nothing: the next process adopts the files and sends every item', async () => {
    const dir = tempDir();
    const first = createTestTransport(
      URL_,
      { maxQueueItems: 30 },
      { fetch: createFakeFetch(down).fetch, spool: spoolAt(dir, 21) },
    );
    const items = makeEvents(300);
    for (const item of items) first.transport.enqueue(item);
    const closed = await first.transport.close({ timeoutMs: 50 });
    expect(closed.settled).toBe(false);
    expect(closed.stats.dropped).toEqual({});
    expect(readdirSync(dir).length).toBeGreaterThan(0);

    const fake = createFakeFetch();
    const second = createTestTransport(
      URL_,
      { maxQueueItems: 30, maxInFlight: 1 },
      { fetch: fake.fetch, spool: spoolAt(dir, 22) },
    );
    expect(second.transport.stats().spool).toMatchObject({ adopted: 300, backlog: 300 });
    const result = await second.transport.flush({ timeoutMs: 10_000 });
    expect(result.stats.dropped).toEqual({});
    expect(result.stats.delivered).toBe(300);
    expect(fake.calls.flatMap((c) => c.body.items.map((i) => i.id))).toEqual(items.map((i) => i.id));
    await second.transport.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('counts items past maxBytes as spool_full and reports the episode once', async () => {
    const spool = openFileSpool({ path: tempDir(), maxBytes: 1024 * 1024 }, () => undefined, {
      self: { pid: 31, origin: 31 },
    });
    const h = createTestTransport(URL_, { maxQueueItems: 10 }, { fetch: createFakeFetch(down).fetch, spool });
    for (const item of makeEvents(10_000)) h.transport.enqueue(item);
    const stats = h.transport.stats();
    expect(stats.dropped.spool_full).toBeGreaterThan(0);
    expect(stats.queued + stats.inFlight + (stats.dropped.spool_full ?? 0)).toBe(10_000);
    expect(h.errors.filter((e) => /spool/.test(e.message))).toHaveLength(1);
    await h.transport.close({ timeoutMs: 10 });
  });

  it('counts an item whose write failed (disk full) as spool_failed: refused at the call, never lost silently', async () => {
    let failing = false;
    const write = (fd: number, buffer: Uint8Array, offset: number, length: number): number => {
      if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return writeSync(fd, buffer, offset, length);
    };
    const spool = openFileSpool({ path: tempDir(), maxBytes: 8 * 1024 * 1024 }, () => undefined, {
      self: { pid: 41, origin: 41 },
      write,
    });
    const fake = createFakeFetch();
    const h = createTestTransport(URL_, {}, { fetch: fake.fetch, spool });
    const items = makeEvents(30);
    items.slice(0, 10).forEach((i) => h.transport.enqueue(i));
    failing = true;
    items.slice(10, 20).forEach((i) => h.transport.enqueue(i));
    failing = false;
    items.slice(20).forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush({ timeoutMs: 10_000 });
    expect(result.stats.dropped).toEqual({ spool_failed: 10 });
    expect(result.stats.delivered).toBe(20);
    expect(h.errors.map((e) => (e as { code?: string }).code)).toEqual(['spool_failed']);
    await h.transport.close();
  });
});
