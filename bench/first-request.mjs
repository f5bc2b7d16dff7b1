// Bench: the first read after `touchline serve` starts (issue 15's cold first request), two builds or settings (A, B) alternating, same run.
// Usage:
//   node bench/first-request.mjs --data FILE.db [--starts 5] [--wait-ms 0] [--out FILE.json]
//   node bench/first-request.mjs --pg URL --demo FILE.json [...]   (PostgreSQL: a database `touchline demo --db URL --json > FILE.json` loaded)
// FILE.db is a kept `touchline demo --json` file; its --json line is read from FILE.db.json (or --demo FILE.json).
// The file is copied once (the copy is migrated by the first, untimed, start); each timed start is a fresh
// `touchline serve` on that copy. A and B are the CLI of two checkouts (BENCH_A, BENCH_B: paths to
// packages/cli/bin/touchline.mjs; both default to this one) or two settings (BENCH_ENV_A, BENCH_ENV_B: JSON env).
// An older checkout for A: `git archive REV | tar -x -C DIR`, node_modules/* symlinked to this one's except
// node_modules/@touchline/* (symlinks to DIR/packages/*), then its packages built (npm run build's tsc -b line).
// Each round starts A then B (B then A on odd rounds), one collector up at a time. Per start it times:
// spawn -> "listening" printed, then at once (or --wait-ms later) the first `GET /api/v1/stats` over 30 days,
// spawn -> that first answer, the same request again (warm), and one `GET /healthz` and one 1-item batch right after "listening"
// alongside the first read (ingest must not wait for it). Prints medians and ranges per side and B/A.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, writeResult } from './figures/result-file.mjs';
import { spawnServe, listeningUrl, stopGracefully } from './serve-process.mjs';

const HERE = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-05T12:00:00Z');

function startServe(bin, db, env) {
  const t0 = performance.now();
  const child = spawnServe(db, { bin, env: { TOUCHLINE_RATE_LIMIT: 'off', ...env }, stderr: 'pipe' });
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
  });
  return { url: listeningUrl(child, () => `: ${err}`), t0, stderr: () => err, stop: () => stopGracefully(child) };
}

async function timed(url, init) {
  const t = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

function oneItemBatch() {
  return JSON.stringify({
    batch_id: crypto.randomUUID(),
    sent_at: new Date().toISOString(),
    sdk: { name: 'bench', version: '0' },
    items: [
      {
        id: crypto.randomUUID(),
        type: 'event',
        timestamp: new Date().toISOString(),
        visitor_id: crypto.randomUUID(),
        session_id: crypto.randomUUID(),
        name: 'bench_ping',
        context: null,
        properties: {},
      },
    ],
  });
}

/** One start: spawn -> listening, then the first read with /healthz and a 1-item batch beside it, then the read again. */
async function oneStart(bin, env, db, key, waitMs) {
  const serve = startServe(bin, db, env);
  try {
    const url = await serve.url;
    const listenMs = performance.now() - serve.t0;
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    const auth = { authorization: `Bearer ${key}` };
    const stats = `${url}/api/v1/stats?from=${new Date(NOW - 30 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`;
    const first = timed(stats, { headers: auth });
    // Beside the first read: what a load balancer and an SDK see meanwhile.
    const health = await timed(`${url}/healthz`);
    const batch = await timed(`${url}/api/v1/batch`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: oneItemBatch(),
    });
    const firstMs = await first;
    const answeredMs = performance.now() - serve.t0;
    const secondMs = await timed(stats, { headers: auth });
    return { listenMs, firstMs, answeredMs, secondMs, healthMs: health, batchMs: batch };
  } finally {
    await serve.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const summary = (xs) => ({
  median: Math.round(median(xs)),
  min: Math.round(Math.min(...xs)),
  max: Math.round(Math.max(...xs)),
  all: xs.map((x) => Math.round(x)),
});

export async function runFirstRequest({ data, pgUrl, demo, starts = 5, waitMs = 0, out }) {
  const sides = [
    ['A', process.env.BENCH_A, process.env.BENCH_ENV_A, process.env.BENCH_LABEL_A],
    ['B', process.env.BENCH_B, process.env.BENCH_ENV_B, process.env.BENCH_LABEL_B],
  ].map(([name, bin, env, label]) => ({
    name,
    bin: bin ?? HERE,
    env: JSON.parse(env ?? '{}'),
    // What the result file calls the side (BENCH_LABEL_A / _B), e.g. the commit of an older checkout.
    label: label ?? (bin === undefined ? 'this checkout' : bin),
  }));
  const shape = JSON.parse(
    readFileSync(demo ?? `${data}.json`, 'utf8')
      .trim()
      .split('\n')
      .pop(),
  );
  const { key } = shape;
  const load1AtStart = os.loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'touchline-first-request-'));
  // PostgreSQL: the loaded database itself (nothing is written to it but what a start writes).
  const db = pgUrl ?? join(dir, 'touchline.db');
  try {
    if (pgUrl === undefined) {
      copyFileSync(data, db);
      for (const ext of ['-wal', '-shm']) if (existsSync(`${data}${ext}`)) copyFileSync(`${data}${ext}`, `${db}${ext}`);
    }
    // Untimed: migrates the copy (an upgrade's one-time cost), so every timed start finds it current.
    await oneStart(sides[1].bin, sides[1].env, db, key, 0);
    const runs = { A: [], B: [] };
    for (let round = 0; round < starts; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const r = await oneStart(side.bin, side.env, db, key, waitMs);
        runs[side.name].push(r);
        console.log(
          `round ${round + 1} ${side.name}: listening ${r.listenMs.toFixed(0)} ms, first stats 30 d ${r.firstMs.toFixed(0)} ms (answered ${r.answeredMs.toFixed(0)} ms after spawn), second ${r.secondMs.toFixed(0)} ms, /healthz ${r.healthMs.toFixed(1)} ms, 1-item batch ${r.batchMs.toFixed(1)} ms`,
        );
      }
    }
    const fields = ['listenMs', 'firstMs', 'answeredMs', 'secondMs', 'healthMs', 'batchMs'];
    const result = Object.fromEntries(
      sides.map((s) => [
        s.name,
        {
          label: s.label,
          env: s.env,
          ...Object.fromEntries(fields.map((f) => [f, summary(runs[s.name].map((r) => r[f]))])),
        },
      ]),
    );
    for (const s of sides) {
      const r = result[s.name];
      console.log(
        `${s.name} (${s.label}${Object.keys(s.env).length ? ` ${JSON.stringify(s.env)}` : ''}): ` +
          fields.map((f) => `${f} ${r[f].median} [${r[f].min}-${r[f].max}]`).join(', '),
      );
    }
    console.log(
      `B/A medians: first read ${(result.B.firstMs.median / result.A.firstMs.median).toFixed(2)}, spawn -> listening ${(result.B.listenMs.median / result.A.listenMs.median).toFixed(2)}, spawn -> first answer ${(result.B.answeredMs.median / result.A.answeredMs.median).toFixed(2)}`,
    );
    if (out) {
      const path = writeResult(out, {
        bench: 'first-request',
        date: new Date().toISOString(),
        machine: { ...machine(), load1AtStart },
        settings: {
          dialect: pgUrl === undefined ? 'sqlite' : 'postgres',
          starts,
          waitMs,
          request: 'GET /api/v1/stats, 30 days',
        },
        data: { days: shape.days, sessionsPerDay: shape.sessions_per_day, items: shape.items, mix: shape.mix },
        ...result,
      });
      console.log(`wrote ${path}`);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      pg: { type: 'string' },
      demo: { type: 'string' },
      starts: { type: 'string' },
      'wait-ms': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.data && !(values.pg && values.demo))
    throw new Error('--data FILE.db (a kept `touchline demo` file) or --pg URL --demo FILE.json is required');
  await runFirstRequest({
    data: values.data,
    pgUrl: values.pg,
    demo: values.demo,
    starts: Number(values.starts ?? 5),
    waitMs: Number(values['wait-ms'] ?? 0),
    out: values.out,
  });
}
