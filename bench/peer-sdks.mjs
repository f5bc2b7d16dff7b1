// Bench: cost per request of Touchline's middleware against the peers' Node SDKs recording the same pageviews, on one node:http app, alternated in one run.
// Usage: node bench/peer-sdks.mjs [--node 24] [--seconds 5] [--rounds 3] [--modes bare,floor,touchline,posthog,segment] [--busy-modes bare,touchline] [--cpu-prof DIR] [--base DIR] [--out FILE]
// --base DIR allows the mode `touchline@base`: Touchline from DIR/node_modules/@touchline/node (an earlier build, see
// bench/sdk-request-cpu.mjs), for a same-run A/B of an SDK change under this load.
// --out writes the result file the README's peer tables are rendered from (date, machine, load average, settings, rows).
// --node runs the app processes on that Node major (official binary from the npm registry, see
// scripts/fetch-node.mjs); the load generator and the sink stay on this Node, so runs on two Nodes
// differ only in the app. --busy-modes '' leaves out the 1 ms-of-CPU app.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { fetchNode } from '../scripts/fetch-node.mjs';
import { machine, writeResult } from './figures/result-file.mjs';

const APP = fileURLToPath(new URL('./apps/http-app.mjs', import.meta.url));
const SINK = fileURLToPath(new URL('./apps/collector-sink.mjs', import.meta.url));
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const SDK_MODES = new Set(['touchline', 'sdk', 'posthog', 'segment']);
/** `sdk` (not run by default) is Touchline with middleware-overhead.mjs's settings: 500-item batches, a 200,000-item queue. */
const KNOWN_MODES = ['bare', 'floor', 'minimum', 'touchline', 'posthog', 'segment', 'sdk'];
const DEFAULT_MODES = ['bare', 'floor', 'touchline', 'posthog', 'segment'];
/** `touchline@base` is the touchline mode on the --base build. */
const appMode = (mode) => mode.replace(/@base$/, '');

function ask(child, what, key) {
  return new Promise((resolve) => {
    const onMessage = (msg) => {
      if (msg[key] !== undefined) {
        child.off('message', onMessage);
        resolve(msg);
      }
    };
    child.on('message', onMessage);
    child.send(what);
  });
}

function startChild(script, args, execPath, execArgv = [], env = process.env) {
  const child = fork(script, args, { execPath, execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ child, msg }));
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`${script} ${args.join(' ')} exited with ${code} before it was ready`)),
    );
  });
}

/** One visitor cookie per SDK on every returning request, so each mode reads the same headers. */
function requestsFor() {
  const nav = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html', 'user-agent': CHROME };
  const returning = {
    ...nav,
    cookie:
      'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s1=-; tl_act=1; app_vid=0190f7c2-0000-7000-8000-000000000001',
  };
  // 9 of 10 requests are returning-visitor navigations, 1 is a first visit that mints identity.
  return [
    ...Array.from({ length: 9 }, (_, i) => ({
      method: 'GET',
      path: `/page/${i}?q=1`,
      headers: { ...returning, referer: `http://127.0.0.1/page/${(i + 8) % 9}` },
    })),
    {
      method: 'GET',
      path: '/landing?utm_source=bench&utm_medium=cpc',
      headers: { ...nav, referer: 'https://www.google.com/' },
    },
  ];
}

/**
 * One measurement: a fresh app process, 1 s of warm-up, `seconds` of load, then the SDK flushes
 * (its delivery is part of the cost) and the app reports its CPU over the load and the flush.
 * The sink's counts before and after tell what this run delivered.
 */
async function measure({ mode, cpuMs, sink, execPath, seconds, cpuProfDir, base }) {
  const execArgv = cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${mode}-${cpuMs}ms-${Date.now()}.cpuprofile`]
    : [];
  const env = mode.endsWith('@base') ? { ...process.env, BENCH_SDK_DIR: base } : process.env;
  const { child, msg } = await startChild(APP, [appMode(mode), sink.url, String(cpuMs)], execPath, execArgv, env);
  const url = `http://127.0.0.1:${msg.port}`;
  const before = await sink.counts();
  await autocannon({ url, connections: 50, duration: 1, requests: requestsFor() }); // warm-up
  await ask(child, 'reset', 'reset');
  const result = await autocannon({ url, connections: 50, duration: seconds, requests: requestsFor() });
  const { stats, cpuMicrosPerRequest, requestsSinceStart } = await ask(child, 'stats', 'stats');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${mode}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const after = await sink.counts();
  const channel = appMode(mode) === 'sdk' ? 'touchline' : appMode(mode);
  const delivered = SDK_MODES.has(appMode(mode)) ? after[channel] - before[channel] : 0;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpu: cpuMicrosPerRequest,
    navigations: requestsSinceStart,
    delivered,
    stats,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One row per mode: medians over rounds, ratio to the same app bare, and what its SDK delivered over all rounds. */
function summarize(runs, label) {
  const bare = median(runs.bare.map((r) => r.rps));
  return Object.entries(runs).map(([mode, rs]) => {
    const rps = median(rs.map((r) => r.rps));
    const navigations = rs.reduce((n, r) => n + r.navigations, 0);
    const delivered = rs.reduce((n, r) => n + r.delivered, 0);
    return {
      app: label,
      mode,
      rps: Math.round(rps),
      ratio: +(rps / bare).toFixed(2),
      ratios: rs.map((r, i) => +(r.rps / runs.bare[i].rps).toFixed(2)),
      cpuMicrosPerRequest: +median(rs.map((r) => r.cpu)).toFixed(1),
      p99: median(rs.map((r) => r.p99)),
      delivered: SDK_MODES.has(appMode(mode)) ? `${delivered}/${navigations}` : '-',
      samples: rs.map((r) => ({ rps: Math.round(r.rps), cpu: +r.cpu.toFixed(1) })),
      dropped: appMode(mode) === 'touchline' || mode === 'sdk' ? rs.map((r) => r.stats?.dropped ?? null) : undefined,
    };
  });
}

/** Alternates the modes in every round (A B C D E, A B C D E, ...) so machine noise lands on all of them alike. */
async function alternate({ modes, cpuMs, rounds, ...common }) {
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  for (let i = 0; i < rounds; i++) {
    for (const mode of modes) {
      const r = await measure({ mode, cpuMs, ...common });
      runs[mode].push(r);
      process.stderr.write(
        `[peer-sdks] ${cpuMs} ms app, round ${i + 1}/${rounds}, ${mode}: ${Math.round(r.rps)} req/s, ${r.cpu.toFixed(1)} µs CPU/req, delivered ${r.delivered}/${SDK_MODES.has(appMode(mode)) ? r.navigations : '-'}\n`,
      );
    }
  }
  return runs;
}

export async function runPeerSdks({
  node = null,
  seconds = 5,
  rounds = 3,
  modes = DEFAULT_MODES,
  busyModes = ['bare', 'touchline'],
  cpuProfDir = null,
  base = null,
} = {}) {
  for (const m of [...modes, ...busyModes])
    if (!KNOWN_MODES.includes(m) && !(base !== null && m === 'touchline@base'))
      throw new Error(`peer-sdks: unknown mode ${JSON.stringify(m)}; known: ${KNOWN_MODES.join(', ')}`);
  if (!modes.includes('bare') || (busyModes.length > 0 && !busyModes.includes('bare')))
    throw new Error('peer-sdks: each app needs the bare mode, the ratios are against it');
  const target = node === null ? { version: process.versions.node, node: process.execPath } : fetchNode(node);
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const { child: sinkChild, msg } = await startChild(SINK, [], process.execPath);
  const sink = { url: msg.url, counts: () => ask(sinkChild, 'counts', 'counts').then((m) => m.counts) };
  try {
    const common = { sink, execPath: target.node, seconds, rounds, cpuProfDir, base };
    const rows = summarize(await alternate({ modes, cpuMs: 0, ...common }), 'hello world');
    if (busyModes.length > 0)
      rows.push(...summarize(await alternate({ modes: busyModes, cpuMs: 1, ...common }), '1 ms CPU/request'));
    return { node: target.version, seconds, rounds, rows, sink: await sink.counts() };
  } finally {
    sinkChild.kill();
  }
}

function printTable({ node, seconds, rounds, rows, sink }) {
  console.log(`\nNode ${node} (app process), ${rounds} rounds of ${seconds} s per mode, alternated; medians\n`);
  console.log('| app | SDK | req/s | ratio to bare (per round) | CPU µs/request | p99 ms | delivered/navigations |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.app} | ${r.mode} | ${r.rps} | ${r.ratio.toFixed(2)} (${r.ratios.join(', ')}) | ${r.cpuMicrosPerRequest} | ${r.p99} | ${r.delivered} |`,
    );
  const other = Object.entries(sink.other);
  console.log(
    `\nsink: ${sink.malformed} malformed batches; other paths: ${other.length === 0 ? 'none' : other.map(([p, n]) => `${p} x${n}`).join(', ')}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      node: { type: 'string' },
      seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '5' },
      rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
      modes: { type: 'string', default: DEFAULT_MODES.join(',') },
      'busy-modes': { type: 'string', default: 'bare,touchline' },
      'cpu-prof': { type: 'string' },
      base: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const date = new Date().toISOString();
  const loadAtStart = machine().load1;
  const list = (s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const positive = (name, s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`peer-sdks: --${name} must be a whole number >= 1, got ${JSON.stringify(s)}`);
    return n;
  };
  const result = await runPeerSdks({
    node: values.node ?? null,
    seconds: positive('seconds', values.seconds),
    rounds: positive('rounds', values.rounds),
    modes: list(values.modes),
    busyModes: list(values['busy-modes']),
    cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : null,
    base: values.base ? resolve(values.base) : null,
  });
  printTable(result);
  const out = values.out ?? values.json;
  if (out) {
    const settings = {
      node: result.node,
      nodeFlag: values.node ?? null,
      seconds: result.seconds,
      rounds: result.rounds,
      modes: list(values.modes),
      busyModes: list(values['busy-modes']),
      connections: 50,
    };
    console.log(
      `result: ${writeResult(out, { bench: 'peer-sdks', date, ended: new Date().toISOString(), machine: { ...machine(), load1AtStart: loadAtStart }, settings, rows: result.rows, sink: result.sink })}`,
    );
  }
}
