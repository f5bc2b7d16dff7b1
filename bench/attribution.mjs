// Bench: seconds per attribution model over 1,000,000 synthetic conversions, against a bare scan of the same journeys.
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { MODEL_NAMES, MODELS } from '../packages/attribution/dist/index.js';

const CHANNELS = ['search', 'social', 'email', 'direct', 'referral', 'display', 'affiliate', 'video', 'sms', 'partner'];
// Heuristics must finish in 10 s; the data-driven models (Markov, Shapley) get 30 s.
const TARGET_SECONDS = { markov: 30, shapley: 30 };
const HEURISTIC_TARGET_SECONDS = 10;
const HOUR = 3_600_000;

/** mulberry32: the same journeys on every run and machine. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPath(random, start) {
  const length = 1 + Math.floor(random() * 20);
  const touches = new Array(length);
  for (let t = 0; t < length; t++) {
    touches[t] = { channel: CHANNELS[Math.floor(random() * CHANNELS.length)], timestamp: start + t * HOUR };
  }
  return touches;
}

function generate(conversions, nonConverting, seed) {
  const random = createRandom(seed);
  const journeys = new Array(conversions);
  for (let i = 0; i < conversions; i++) {
    const start = 1_700_000_000_000 + Math.floor(random() * 30 * 24) * HOUR;
    const touchpoints = randomPath(random, start);
    const convertedAt = start + touchpoints.length * HOUR;
    journeys[i] = { conversionId: `c${i}`, revenue: Math.round(random() * 20_000) / 100, convertedAt, touchpoints };
  }
  const paths = new Array(nonConverting);
  for (let i = 0; i < nonConverting; i++) paths[i] = randomPath(random, 1_700_000_000_000);
  return { journeys, paths };
}

/** Samples process-wide RSS from a worker, since the models block the main thread while they run. */
function startRssSampler(intervalMs = 25) {
  const peak = new BigInt64Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = workerData.peak;
     setInterval(() => { const rss = BigInt(process.memoryUsage().rss); if (rss > Atomics.load(peak, 0)) Atomics.store(peak, 0, rss); }, workerData.intervalMs);`,
    { eval: true, workerData: { peak, intervalMs } },
  );
  worker.unref();
  return {
    read: () => Number(Atomics.load(peak, 0)) / 2 ** 20,
    stop: () => worker.terminate(),
  };
}

/** Minimal work any model must do: touch every touchpoint of every journey once. */
function bareScan(journeys) {
  let checksum = 0;
  for (const journey of journeys) {
    for (const touch of journey.touchpoints) checksum += touch.channel.length + (touch.timestamp & 1);
  }
  return checksum;
}

function seconds(run) {
  const started = process.hrtime.bigint();
  const value = run();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export async function runAttributionBench({ conversions = 1_000_000, nonConverting = 1_000_000, seed = 1 } = {}) {
  const sampler = startRssSampler();
  const generated = seconds(() => generate(conversions, nonConverting, seed));
  const { journeys, paths } = generated.value;
  const touches = journeys.reduce((sum, j) => sum + j.touchpoints.length, 0);
  const bare = seconds(() => bareScan(journeys)).seconds;
  console.log(
    `generated ${conversions} conversions (${touches} touches) + ${nonConverting} non-converting paths in ${generated.seconds.toFixed(1)} s; bare scan ${bare.toFixed(3)} s`,
  );
  const rows = [];
  for (const name of MODEL_NAMES) {
    const options = name === 'markov' ? { nonConverting: paths } : {};
    const { value: result, seconds: measured } = seconds(() => MODELS[name](journeys, options));
    const target = TARGET_SECONDS[name] ?? HEURISTIC_TARGET_SECONDS;
    const rss = sampler.read();
    rows.push({
      name: `attribution ${name} (${conversions.toLocaleString('en')} conversions)`,
      baseline: `${bare.toFixed(3)} s bare scan`,
      measured: `${measured.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MiB`,
      ratio: target / measured,
      target: `< ${target} s`,
      pass: measured < target,
    });
    console.log(
      `${name}: ${measured.toFixed(2)} s (${result.channels.length} channels, ${result.conversions.size} rows), peak RSS so far ${rss.toFixed(0)} MiB`,
    );
  }
  await sampler.stop();
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runAttributionBench({
    conversions: Number(process.env.BENCH_CONVERSIONS ?? 1_000_000),
    nonConverting: Number(process.env.BENCH_NON_CONVERTING ?? 1_000_000),
  });
  console.log('\n| benchmark | baseline | measured | ratio | target | |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.baseline} | ${r.measured} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.pass ? 'ok' : 'MISSED'} |`,
    );
  }
}
