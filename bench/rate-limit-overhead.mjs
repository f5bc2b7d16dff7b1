// Bench: single-event ingest with the default rate limits on vs TOUCHLINE_RATE_LIMIT=off, same machine, same run; prints the ratio.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createKey, spawnServe, listeningUrl } from './serve-process.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const uuid7ish = () => {
  const u = randomUUID();
  return `${u.slice(0, 14)}7${u.slice(15)}`;
};

async function startCollector(env) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-rl-'));
  const db = join(dir, 'touchline.db');
  const key = createKey(db);
  const child = spawnServe(db, { env });
  const url = await listeningUrl(child);
  await new Promise((r) => setTimeout(r, 500)); // keys loaded
  return {
    url,
    key,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function rate(env) {
  const c = await startCollector(env);
  try {
    const body = () =>
      JSON.stringify({
        id: uuid7ish(),
        timestamp: new Date().toISOString(),
        visitor_id: uuid7ish(),
        session_id: null,
        context: null,
        name: 'viewed',
        properties: { n: 1 },
      });
    const result = await autocannon({
      url: `${c.url}/api/v1/events`,
      method: 'POST',
      connections: 50,
      duration: SECONDS,
      headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
    });
    if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx responses (throttled?)`);
    return result.requests.average;
  } finally {
    c.stop();
  }
}

// Alternating runs, so drift on a shared machine hits both sides alike.
const off = [];
const on = [];
for (let round = 0; round < 2; round++) {
  off.push(await rate({ TOUCHLINE_RATE_LIMIT: 'off' }));
  on.push(await rate({}));
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('| benchmark | baseline | measured | ratio |');
console.log('|---|---|---|---|');
console.log(
  `| single-event ingest, default rate limits / TOUCHLINE_RATE_LIMIT=off | ${mean(off).toFixed(0)} req/s | ${mean(on).toFixed(0)} req/s | ${(mean(on) / mean(off)).toFixed(2)} |`,
);
