// Issue 16 item 1: PostgreSQL going away (cut network path, terminated backends) never crashes the collector or gets a 202 it cannot keep.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openStorage } from '@touchline/storage';
import { partialAllowed, recordPartial } from '../../storage/src/test-support/partial-run.js';
import {
  postgresFactory,
  probePostgres,
  queryTestSchema,
  testPgUrl,
} from '../../storage/src/test-support/storage-factories.js';
import { startTcpProxy } from '../../storage/src/test-support/tcp-proxy.js';
import { generateKey } from './http/auth/api-keys.js';
import { createCollector } from './create-collector.js';
import { eventItem, postBatch } from './test-support/collector-fixture.js';
import { waitUntil } from './test-support/wait-until.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const pgUrl = testPgUrl();
const pgProblem = await probePostgres(pgUrl);
// Without PostgreSQL the tests fail with the reason, unless a partial run is allowed (partial-run.ts).
const skipped = pgProblem !== null && partialAllowed();
if (skipped) {
  process.stderr.write(`[touchline tests] WARNING: PostgreSQL unreachable (${pgProblem}): outage tests skipped\n`);
  recordPartial('PostgreSQL half', import.meta.url);
}

/** A collector on a fresh schema, reached through a proxy the test can cut; its connections carry an application_name only this test uses. */
async function collectorBehindProxy() {
  const db = await postgresFactory(pgUrl).open();
  await db.storage.close();
  cleanup.push(() => db.remove());
  const direct = new URL(pgUrl);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  cleanup.push(() => proxy.close());
  const appName = `tl_outage_${randomBytes(4).toString('hex')}`;
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  viaProxy.searchParams.set('application_name', appName);
  viaProxy.searchParams.set('pool', '4');
  const storage = openStorage(viaProxy.toString());
  const errors: Error[] = [];
  const collector = createCollector({
    storage,
    settings: {
      port: 0,
      keyRefreshMs: 100,
      storageProbeMs: 100,
      integrity: { enabled: false },
      worker: { idleMs: 20 },
    },
    onError: (e) => errors.push(e),
  });
  const { url } = await collector.start();
  cleanup.push(() => collector.close());
  const account = await storage.ensureAccount('acme', Date.now());
  const key = generateKey('live');
  await storage.insertKey({
    id: newId(),
    accountId: account.id,
    prefix: key.prefix,
    hash: key.hash,
    mode: 'live',
    scopes: ['ingest', 'read'],
    createdAt: Date.now(),
    revokedAt: null,
  });
  await collector.keys.refresh();
  return { url, key: key.secret, proxy, appName, collector, errors, schemaUrl: db.url };
}

/** A batch of `n` events of one new visitor and session. */
function events(n: number) {
  const visitor = newId();
  const session = newId();
  return Array.from({ length: n }, (_, i) => eventItem(visitor, session, Date.now() - 1000 + i));
}

async function readyz(url: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

async function storedEvents(schemaUrl: string): Promise<{ events: number; dead: number }> {
  const [row] = await queryTestSchema<{ events: number; dead: number }>(
    schemaUrl,
    `SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM inbox_dead) AS dead`,
  );
  return row!;
}

describe.skipIf(skipped)('collector when PostgreSQL goes away', () => {
  it('answers 503 + Retry-After while the network path is cut, says why on /readyz, and recovers by itself', async () => {
    const c = await collectorBehindProxy();
    const before = events(5);
    const first = await postBatch(c.url, c.key, before);
    expect(first.status).toBe(202);

    c.proxy.cut();
    const refused = await waitUntil('ingest answers 503', async () => {
      const answer = await postBatch(c.url, c.key, events(1));
      expect(answer.status).not.toBe(202); // never acknowledged while nothing can be stored
      return answer.status === 503 ? answer : undefined;
    });
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ error: { code: 'storage_unavailable' } });
    const notReady = await readyz(c.url);
    expect(notReady.status).toBe(503);
    expect(notReady.body.error?.code).toBe('storage_unavailable');
    expect(notReady.body.error?.message).toMatch(/unavailable/);

    c.proxy.restore();
    await waitUntil('/readyz is ready again', async () => (await readyz(c.url)).status === 200);
    const after = events(1);
    expect((await postBatch(c.url, c.key, after)).status).toBe(202);
    // Everything acknowledged is stored, and nothing was dead-lettered for the outage.
    await waitUntil('all acknowledged events are stored', async () => (await storedEvents(c.schemaUrl)).events === 6);
    expect((await storedEvents(c.schemaUrl)).dead).toBe(0);
  }, 60_000);

  it('survives pg_terminate_backend on its connections (idle and checked out) and keeps going', async () => {
    const c = await collectorBehindProxy();
    const terminate = async (): Promise<number> => {
      const rows = await queryTestSchema<{ n: number }>(
        pgUrl,
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = '${c.appName}'`,
      );
      return rows[0]?.n ?? 0;
    };
    let acknowledged = 0;
    // Ingest keeps flowing while the backends are terminated several times, so some die mid-transaction.
    for (let round = 0; round < 5; round++) {
      const items = events(20);
      const [answer] = await Promise.all([postBatch(c.url, c.key, items), terminate()]);
      if (answer.status === 202) acknowledged += items.length;
      else expect(answer.status).toBe(503);
    }
    await waitUntil('/readyz is ready again', async () => (await readyz(c.url)).status === 200);
    const last = events(20);
    await waitUntil('ingest is acknowledged again', async () => (await postBatch(c.url, c.key, last)).status === 202);
    acknowledged += last.length;
    await waitUntil(
      'all acknowledged events are stored',
      async () => (await storedEvents(c.schemaUrl)).events === acknowledged,
    );
    expect((await storedEvents(c.schemaUrl)).dead).toBe(0);
  }, 60_000);
});
