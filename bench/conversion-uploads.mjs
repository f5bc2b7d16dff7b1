// Bench: conversion uploads over synthetic paid traffic in SQLite: a pass's journey reads against the journey API's own read, and a whole delivery pass against posting the same requests bare (same-run ratios); --out writes a result file.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { createUploadDispatcher, gatherUploads } from '../packages/server/dist/index.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';
import { machine, writeResult } from './figures/result-file.mjs';

// Usage: node bench/conversion-uploads.mjs [--out FILE]   (--out writes the result file docs/conversion-uploads.md's block is rendered from)
const { values: args } = parseArgs({ options: { out: { type: 'string' } } });

const VISITORS = Number(process.env.UPLOAD_BENCH_VISITORS ?? 20_000);
const PASS = Number(process.env.UPLOAD_BENCH_PASS ?? 1000);
const T0 = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const NOW = T0 + 31 * DAY;

/** mulberry32: the same traffic on every run. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A visitor with 1-3 sessions, 40% of them landing from a Google ad (gclid); a third buy in their last session; some identify. */
function visitorBatch(accountId, v, random) {
  const out = {
    visitors: [],
    sessions: [],
    events: [],
    conversions: [],
    identities: [],
    aliases: [],
    done: [],
    dead: [],
  };
  const sessions = 1 + Math.floor(random() * 3);
  let last = null;
  for (let s = 0; s < sessions; s++) {
    const id = `v${v}-s${s}`;
    const start = T0 + Math.floor(random() * 28 * DAY);
    const clickIds = random() < 0.4 ? { gclid: `G-${v}-${s}` } : {};
    out.sessions.push({
      accountId,
      id,
      visitorId: `v${v}`,
      startedAt: start,
      lastSeenAt: start + 60_000,
      eventCount: 1,
      pageviewCount: 1,
      landing: {
        rank: 3,
        at: start,
        itemId: `${id}-0`,
        url: 'https://shop.example/',
        host: 'shop.example',
        referrer: null,
        channel: clickIds.gclid ? 'paid_search' : 'direct',
        utm: {},
        clickIds,
      },
    });
    if (last === null || start > last.start) last = { id, start };
  }
  if (random() < 0.33)
    out.conversions.push({
      accountId,
      id: `c${v}`,
      name: 'purchase',
      visitorId: `v${v}`,
      sessionId: last.id,
      timestamp: last.start + 120_000,
      revenue: 19.99,
      currency: 'EUR',
      properties: '{"email":"someone@example.com"}',
    });
  if (random() < 0.2)
    out.identities.push({
      accountId,
      userId: `u${v % 1000}`,
      visitorId: `v${v}`,
      timestamp: T0,
      traits: '{"phone":"+16505551212"}',
      traitsAt: T0,
    });
  return out;
}

async function time(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"results":[]}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${server.address().port}/google`;
const dir = mkdtempSync(join(tmpdir(), 'touchline-upload-bench-'));
const storage = openSqliteStorage({ path: join(dir, 'bench.db') });
try {
  await storage.migrate();
  const account = await storage.ensureAccount('bench', 1);
  const random = createRandom(11);
  for (let v = 0; v < VISITORS; v += 500) {
    const parts = Array.from({ length: Math.min(500, VISITORS - v) }, (_, i) =>
      visitorBatch(account.id, v + i, random),
    );
    await storage.applyProcessed(Object.fromEntries(Object.keys(parts[0]).map((k) => [k, parts.flatMap((p) => p[k])])));
  }
  const stats = await storage.stats(account.id, T0, NOW);
  const destination = {
    id: 'g',
    name: 'google',
    platform: 'google_ads',
    endpointUrl: endpoint,
    token: 't',
    developerToken: 'd',
    conversionAction: 'customers/1/conversionActions/2',
    conversionTypes: ['purchase'],
    sendUserData: false,
    enabled: true,
    createdAt: T0 - 1,
    updatedAt: T0 - 1,
  };
  await storage.saveUploadDestination(account.id, destination);

  // 1. What a pass reads per conversion, against the journey API's read of the same conversions.
  const window = { accountId: account.id, destination, from: T0, to: NOW, limit: PASS, unqueued: true };
  const gathered = await time(() => gatherUploads(storage, window));
  const conversions = await storage.uploadConversions(account.id, {
    types: ['purchase'],
    from: T0,
    to: NOW,
    limit: PASS,
  });
  const journeys = await time(async () => {
    for (const c of conversions)
      await storage.personSessions(account.id, c.visitorId, { from: c.timestamp - 90 * DAY, to: c.timestamp });
  });
  const sent = gathered.result.filter((g) => g.built.kind === 'payload');

  // 2. A whole delivery pass (queue, claim, send in batches of 100, record) against posting the same request bodies bare.
  const dispatcher = createUploadDispatcher({
    storage,
    now: () => NOW,
    registry: new Registry(),
    onError: (e) => {
      throw e;
    },
    settings: {
      enabled: true,
      intervalMs: 1000,
      settleMs: 0,
      conversionsPerPass: PASS,
      batchSize: 100,
      claimLimit: PASS,
      leaseMs: 60_000,
      timeoutMs: 30_000,
      maxAttempts: 8,
      backoffMs: 30_000,
      maxBackoffMs: 3_600_000,
    },
  });
  const pass = await time(() => dispatcher.runPass());
  const payloads = sent.map((g) => JSON.stringify(g.built.payload));
  const bare = await time(async () => {
    for (let i = 0; i < payloads.length; i += 100) {
      await (
        await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"conversions":[${payloads.slice(i, i + 100).join(',')}],"partialFailure":true}`,
        })
      ).text();
    }
  });
  await dispatcher.stop();
  const counts = await storage.uploadDeliveryCounts(account.id);

  // 3. The pass's synchronous SQLite writes (they run on the collector's main connection), each one transaction, for the same rows.
  await storage.saveUploadDestination(account.id, { ...destination, id: 'g2' });
  const rows = sent.map((g) => ({
    destinationId: 'g2',
    conversionId: g.conversionId,
    occurredAt: g.occurredAt,
    status: 'pending',
    payload: JSON.stringify(g.built.payload),
  }));
  const enqueue = await time(() => storage.enqueueUploads(account.id, rows, NOW));
  const claim = await time(() => storage.claimUploads({ now: NOW, leaseMs: 60_000, limit: PASS }));
  const batch = claim.result.slice(0, 100).map((c) => ({
    accountId: c.accountId,
    destinationId: c.destinationId,
    conversionId: c.conversionId,
    leasedUntil: c.leasedUntil,
    status: 'delivered',
    nextAttemptAt: NOW,
    error: null,
    responseCode: 200,
  }));
  const record = await time(() => storage.recordUploadAttempts(batch, NOW));
  if (args.out !== undefined) {
    const path = writeResult(args.out, {
      bench: 'conversion-uploads',
      date: new Date().toISOString(),
      machine: machine(),
      settings: { visitors: VISITORS, pass: PASS },
      defaults: { visitors: 20_000, pass: 1000 },
      data: { visitors: stats.visitors, sessions: stats.sessions, conversions: stats.conversions },
      pass: { conversions: conversions.length, sent: sent.length, skipped: conversions.length - sent.length },
      ms: {
        gather: gathered.ms,
        journeyRead: journeys.ms,
        pass: pass.ms,
        bare: bare.ms,
        enqueue: enqueue.ms,
        claim: claim.ms,
        record: record.ms,
      },
      rows: { enqueued: rows.length, claimed: claim.result.length, recorded: batch.length },
      deliveries: Object.fromEntries(counts.map((c) => [c.status, c.count])),
    });
    console.log(`conversion uploads bench: result written to ${path}`);
  }
  console.log(
    `conversion uploads bench: ${stats.visitors} visitors, ${stats.sessions} sessions, ${stats.conversions} conversions; one pass of ${conversions.length} (SQLite, one run; machine shared with other jobs)`,
  );
  console.log(
    `  gather (journey + payload)   ${gathered.ms.toFixed(0)} ms, ${(gathered.ms / conversions.length).toFixed(3)} ms per conversion (${sent.length} to send, ${conversions.length - sent.length} skipped)`,
  );
  console.log(`  journey API read, same set   ${journeys.ms.toFixed(0)} ms`);
  console.log(`  gather / journey read        ${(gathered.ms / journeys.ms).toFixed(2)}x`);
  console.log(
    `  whole pass                   ${pass.ms.toFixed(0)} ms (${counts.map((c) => `${c.status} ${c.count}`).join(', ')})`,
  );
  console.log(`  same requests posted bare    ${bare.ms.toFixed(0)} ms`);
  console.log(
    `  writes: queue ${rows.length} ${enqueue.ms.toFixed(1)} ms, claim ${claim.result.length} ${claim.ms.toFixed(1)} ms, record 100 ${record.ms.toFixed(1)} ms (one transaction each)`,
  );
  console.log(
    `  pass / bare posting          ${(pass.ms / bare.ms).toFixed(2)}x (${(conversions.length / (pass.ms / 1000)).toFixed(0)} conversions/s through the whole pass)`,
  );
} finally {
  await storage.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
