// Bench: requests/s of a minimal node:http app with the SDK middleware, and with a floor middleware, vs the same app bare, same run.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const APP = fileURLToPath(new URL('./apps/http-app.mjs', import.meta.url));
const SINK = fileURLToPath(new URL('./apps/collector-sink.mjs', import.meta.url));
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

/**
 * A collector stand-in that acknowledges every batch, so delivery cost is part of the measurement.
 * It runs in its own process: inside the load generator's process it slowed autocannon in the
 * SDK runs only (the bare app sends nothing), which made the comparison unfair to the SDK.
 */
async function startSink() {
  const child = fork(SINK, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
  });
  return { url, items: () => ask(child, 'items', 'items').then((m) => m.items), close: () => child.kill() };
}

function startApp(mode, sinkUrl) {
  const child = fork(APP, [mode, sinkUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ child, port: msg.port }));
    child.once('error', reject);
  });
}

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

/** 9 of 10 requests are returning-visitor navigations, 1 is a first visit that mints identity. */
function requestsFor() {
  const nav = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html', 'user-agent': CHROME };
  const returning = { ...nav, cookie: 'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s1=-; tl_act=1' };
  return [
    ...Array.from({ length: 9 }, (_, i) => ({ method: 'GET', path: `/page/${i}?q=1`, headers: returning })),
    { method: 'GET', path: '/landing?utm_source=bench&utm_medium=cpc', headers: nav },
  ];
}

async function measure(mode, sinkUrl, seconds) {
  const { child, port } = await startApp(mode, sinkUrl);
  await autocannon({ url: `http://127.0.0.1:${port}`, connections: 50, duration: 1, requests: requestsFor() }); // warm-up
  await ask(child, 'reset', 'reset');
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    duration: seconds,
    requests: requestsFor(),
  });
  const { stats, cpuMicrosPerRequest } = await ask(child, 'stats', 'stats');
  child.kill();
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${mode}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    total: result.requests.total,
    stats,
    cpu: cpuMicrosPerRequest,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median requests/s, p99 and CPU µs per request of one mode's rounds. */
function summarize(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    cpu: median(runs.map((r) => r.cpu)),
  };
}

/**
 * Runs bare, floor and SDK alternately `rounds` times and compares medians, to even out machine
 * noise. Returns two rows: the SDK against bare (the target), and the floor against bare: what
 * AsyncLocalStorage.run plus one Set-Cookie alone costs, the least any such middleware adds.
 */
export async function runMiddlewareOverhead({ seconds = 5, rounds = 3 } = {}) {
  const sink = await startSink();
  const runs = { bare: [], floor: [], sdk: [] };
  let lastStats = null;
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['bare', 'floor', 'sdk']) {
      const r = await measure(mode, sink.url, seconds);
      runs[mode].push(r);
      if (mode === 'sdk') lastStats = r.stats;
    }
  }
  const delivered = await sink.items();
  sink.close();
  const bare = summarize(runs.bare);
  const floor = summarize(runs.floor);
  const sdk = summarize(runs.sdk);
  const samples = Object.fromEntries(
    Object.entries(runs).map(([mode, rs]) => [
      mode,
      rs.map((r) => ({ rps: Math.round(r.rps), cpu: +r.cpu.toFixed(1) })),
    ]),
  );
  const baseline = `${bare.rps.toFixed(0)} req/s bare (p99 ${bare.p99} ms, ${bare.cpu.toFixed(0)} µs CPU/req)`;
  return [
    {
      name: 'middleware overhead (node:http, SDK / bare)',
      baseline,
      measured: `${sdk.rps.toFixed(0)} req/s with SDK (p99 ${sdk.p99} ms, ${sdk.cpu.toFixed(0)} µs CPU/req incl. delivery; ${(sdk.rps / floor.rps).toFixed(2)} of the floor), ${delivered} items delivered, dropped ${JSON.stringify(lastStats?.dropped ?? {})}`,
      ratio: sdk.rps / bare.rps,
      // Issue 19 replaced the 0.90 target (below the floor of any AsyncLocalStorage middleware on Node 20).
      target: '>= 0.65',
      pass: sdk.rps / bare.rps >= 0.65,
      settings: `non-default SDK settings: maxQueueItems 200,000 (default 10,000), batch.maxItems 500 (default 100); ${rounds} alternating rounds of ${seconds} s, autocannon 50 connections`,
      samples,
    },
    {
      name: 'middleware floor (node:http, AsyncLocalStorage.run + 1 Set-Cookie / bare)',
      baseline,
      measured: `${floor.rps.toFixed(0)} req/s with the floor middleware (p99 ${floor.p99} ms, ${floor.cpu.toFixed(0)} µs CPU/req)`,
      ratio: floor.rps / bare.rps,
      target: 'reference: the least an ALS middleware adds',
      pass: true,
      settings: `${rounds} alternating rounds of ${seconds} s, autocannon 50 connections`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runMiddlewareOverhead({
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  });
  console.log(JSON.stringify(result, null, 2));
}
