// Bench: two builds of the collector (A, B) alternating on the path the SDK uses (POST /api/v1/batch), same run; prints B/A ratios.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchBody, event, uniqueBodies } from './ingest.mjs';
import { rawLoad } from './raw-load.mjs';
import { createKey, spawnServe, listeningUrl } from './serve-process.mjs';

/**
 * Usage: BENCH_A=/path/to/other/checkout/packages/cli/bin/touchline.mjs node bench/collector-ab.mjs
 * (B defaults to this checkout; BENCH_B overrides it). A checkout needs its packages built; its
 * node_modules may be symlinks into this one's. Each round starts a fresh collector of A, loads it,
 * kills it, then the same for B (one server up at a time), `BENCH_ROUNDS` rounds per body shape,
 * alternating which side goes first. Env passes to both sides through BENCH_ENV_A / BENCH_ENV_B
 * (JSON), for A/Bs of a setting instead of a build.
 *
 * Shapes (BENCH_SHAPES, items per request): by default the SDK's default batch (100 items, a busy
 * app) and a 5-item batch (a quiet app flushing on its 1 s timer); per-request overhead weighs most
 * in the second. Reported: acknowledged items/s, the collector main thread's CPU per request and
 * the whole process's CPU per item (/proc; the parse thread and the inbox worker too), as medians,
 * and the median and range of the per-round B/A ratios: on this shared VM absolute rates move ~2x between runs minutes apart.
 */
const HERE = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const A = process.env.BENCH_A ?? HERE;
const B = process.env.BENCH_B ?? HERE;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const ENV_A = JSON.parse(process.env.BENCH_ENV_A ?? '{}');
const ENV_B = JSON.parse(process.env.BENCH_ENV_B ?? '{}');
const CONNECTIONS = 16;
/** Items per request, one table row each. */
const SHAPES = (process.env.BENCH_SHAPES ?? '100,5').split(',').map(Number);

function statMs(path) {
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startCollector(bin, env) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-ab-'));
  const db = join(dir, 'touchline.db');
  const key = createKey(db, { bin });
  const child = spawnServe(db, { bin, env });
  const url = await listeningUrl(child);
  await new Promise((r) => setTimeout(r, 500)); // keys loaded, threads up
  return {
    url,
    key,
    mainMs: () => statMs(`/proc/${child.pid}/task/${child.pid}/stat`),
    processMs: () => statMs(`/proc/${child.pid}/stat`),
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function run(bin, env, bodies, items) {
  const c = await startCollector(bin, env);
  try {
    const before = { main: c.mainMs(), process: c.processMs() };
    const r = await rawLoad({
      url: c.url,
      path: '/api/v1/batch',
      headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
      bodies,
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    const mainUs = ((c.mainMs() - before.main) * 1000) / r.requests;
    // The whole process: the parse thread, inbox worker and checkpointer too (the worker keeps working on the backlog).
    const processUs = ((c.processMs() - before.process) * 1000) / (r.requests * items);
    if (r.non2xx > 0) throw new Error(`${r.non2xx} non-2xx responses`);
    return { items: (r.requests * items) / (r.elapsedMs / 1000), mainUs, processUs };
  } finally {
    c.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs, d = 2) => `${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}`;

console.log(
  `A: ${A} ${JSON.stringify(ENV_A)}\nB: ${B} ${JSON.stringify(ENV_B)}\n${ROUNDS} rounds x ${SECONDS} s per side and shape, ${CONNECTIONS} connections`,
);
console.log(
  '| /api/v1/batch shape | A items/s | B items/s | B/A items/s | A main µs/req | B main µs/req | B/A main CPU | A process µs/item | B process µs/item | B/A process CPU |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const items of SHAPES) {
  const templates = Array.from({ length: 50 }, (_, b) =>
    batchBody(Array.from({ length: items }, (_, i) => event(b * items + i))),
  );
  const next = uniqueBodies(templates);
  // Enough for ~150k items/s; every run gets a fresh database, so the runs can share the bodies.
  const bodies = Array.from({ length: Math.ceil((SECONDS * 150_000) / items) }, () => Buffer.from(next()));
  const a = [];
  const b = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      a.push(await run(A, ENV_A, bodies, items));
      b.push(await run(B, ENV_B, bodies, items));
    } else {
      b.push(await run(B, ENV_B, bodies, items));
      a.push(await run(A, ENV_A, bodies, items));
    }
  }
  const rate = a.map((x, i) => b[i].items / x.items);
  const cpu = a.map((x, i) => b[i].mainUs / x.mainUs);
  const all = a.map((x, i) => b[i].processUs / x.processUs);
  console.log(
    `| ${items} items/request | ${median(a.map((x) => x.items)).toFixed(0)} | ${median(b.map((x) => x.items)).toFixed(0)} | ${median(rate).toFixed(2)} (${range(rate)}) ` +
      `| ${median(a.map((x) => x.mainUs)).toFixed(0)} | ${median(b.map((x) => x.mainUs)).toFixed(0)} | ${median(cpu).toFixed(2)} (${range(cpu)}) ` +
      `| ${median(a.map((x) => x.processUs)).toFixed(1)} | ${median(b.map((x) => x.processUs)).toFixed(1)} | ${median(all).toFixed(2)} (${range(all)}) |`,
  );
}
