// Bench: a realistic shop sent by several app servers with batches in flight together and reordering retries; every session's channel must equal in-order processing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../packages/core/dist/index.js';
import { generateDemoTraffic, processInboxRows } from '../packages/server/dist/index.js';
import { createKey, spawnServe, listeningUrl } from './serve-process.mjs';

const APPS = 4;
const BATCH = 500;
const IN_FLIGHT = 2;

/** The demo shop's wire items, in the order the app sent them (by time). */
function traffic(days, sessionsPerDay) {
  const { items, counts } = generateDemoTraffic({ seed: 25, days, now: Date.now() - 60_000, sessionsPerDay });
  return {
    items: items
      .map((i) => JSON.parse(i.payload))
      .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0)),
    counts,
  };
}

/** In-order processing: every item in one pass, as one app server with one batch in flight would get. */
function truth(items) {
  const rows = items.map((item, i) => ({
    seq: i + 1,
    accountId: 'a',
    itemId: item.id,
    type: item.type,
    payload: JSON.stringify(item),
    receivedAt: 0,
    attempts: 1,
  }));
  const out = new Map();
  for (const s of processInboxRows(rows).sessions)
    out.set(`${s.visitorId} ${s.id}`, { channel: s.landing?.channel ?? null, landing: s.landing?.url ?? null });
  return out;
}

async function startCollector(dir) {
  const db = join(dir, 'touchline.db');
  const key = createKey(db, { account: 'shop' });
  const child = spawnServe(db);
  const url = await listeningUrl(child);
  return { url, key, db, stop: () => child.kill('SIGKILL') };
}

async function post(c, items) {
  for (;;) {
    const res = await fetch(`${c.url}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: newId(),
        sent_at: new Date().toISOString(),
        sdk: { name: 'bench', version: '0' },
        items,
      }),
    });
    const body = await res.json();
    if (res.status === 202 && body.errors.length === 0) return body;
    if (res.status !== 429 && res.status !== 503)
      throw new Error(`batch answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Each request of the shop lands on one of APPS app servers at random (no sticky sessions); each
 * server batches BATCH items and keeps IN_FLIGHT batches in flight. One batch in 20 fails on its
 * first try and is retried after the server's later batches (a reordering retry); one in 20 is
 * sent twice (a retry after a lost acknowledgement: duplicates).
 */
async function send(c, items) {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const streams = Array.from({ length: APPS }, () => []);
  for (const item of items) streams[Math.floor(random() * APPS)].push(item);
  const stats = { accepted: 0, duplicates: 0, batches: 0 };
  const count = (body) => {
    stats.accepted += body.accepted;
    stats.duplicates += body.duplicates;
    stats.batches += 1;
  };
  await Promise.all(
    streams.map(async (stream) => {
      const batches = [];
      for (let i = 0; i < stream.length; i += BATCH) batches.push(stream.slice(i, i + BATCH));
      const late = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < batches.length) {
            const batch = batches[next++];
            const roll = random();
            if (roll < 0.05) {
              late.push(batch);
              continue;
            }
            count(await post(c, batch));
            if (roll > 0.95) count(await post(c, batch));
          }
        }),
      );
      for (const batch of late) count(await post(c, batch));
    }),
  );
  return stats;
}

async function drained(c) {
  for (;;) {
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    if (Number(/^touchline_inbox_depth (\S+)$/m.exec(metrics)?.[1]) === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runOutOfOrder({
  days = Number(process.env.BENCH_OOO_DAYS ?? 29),
  sessionsPerDay = Number(process.env.BENCH_OOO_SESSIONS_PER_DAY ?? 2000),
} = {}) {
  const { items, counts } = traffic(days, sessionsPerDay);
  const expected = truth(items);
  const dir = mkdtempSync(join(tmpdir(), 'touchline-ooo-'));
  const c = await startCollector(dir);
  try {
    const start = Date.now();
    const stats = await send(c, items);
    const ackedMs = Date.now() - start;
    await drained(c);
    const processedMs = Date.now() - start;
    const db = new Database(c.db, { readonly: true });
    const stored = db.prepare('SELECT visitor_id, id, channel, landing_url FROM sessions').all();
    db.close();
    let wrongChannel = 0;
    let wrongLanding = 0;
    for (const s of stored) {
      const want = expected.get(`${s.visitor_id} ${s.id}`);
      if (want?.channel !== s.channel) wrongChannel += 1;
      if (want?.landing !== s.landing_url) wrongLanding += 1;
    }
    const missing = expected.size - stored.length;
    const right = stored.length - wrongChannel - Math.max(0, missing);
    console.error(
      `out-of-order: ${items.length} items (${counts.sessions} sessions) from ${APPS} app servers in ${stats.batches} batches ` +
        `(${stats.accepted} accepted, ${stats.duplicates} duplicates); acknowledged in ${(ackedMs / 1000).toFixed(1)} s, processed in ${(processedMs / 1000).toFixed(1)} s; ` +
        `${stored.length} sessions stored, ${wrongChannel} with the wrong channel, ${wrongLanding} with the wrong landing, ${missing} missing`,
    );
    return {
      name: `sessions right with ${APPS} app servers, batches out of order (${stored.length.toLocaleString('en-US')} sessions, ${items.length.toLocaleString('en-US')} items)`,
      baseline: 'in-order processing of the same items',
      measured: `${wrongChannel} wrong channels, ${wrongLanding} wrong landings, ${missing} missing`,
      ratio: right / expected.size,
      target: '1.00',
      pass: wrongChannel === 0 && wrongLanding === 0 && missing === 0 && stats.accepted === items.length,
    };
  } finally {
    c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runOutOfOrder();
  console.log(`${r.name}: ${r.measured} (ratio ${r.ratio.toFixed(4)}, ${r.pass ? 'ok' : 'MISSED'})`);
  process.exitCode = r.pass ? 0 : 1;
}
