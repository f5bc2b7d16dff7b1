// Runs every benchmark, prints one table of ratios against baselines measured in the same run, and writes the result file the README's table is rendered from.
// Usage: npm run bench [-- --out FILE]   (default bench/results/run.json; the committed one is bench/figures/results/run.json)
//        [--resume-from NAME]  keeps the rows of an unfinished run in FILE and runs from bench NAME on (the file says so)
// BENCH_SECONDS sets each load's duration (default 5); BENCH_SOAK_ITEMS the WAL soak's items (default 300,000).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAttributionBench } from './attribution.mjs';
import { load1, machine, writeResult } from './figures/result-file.mjs';
import { runBatchedIngest, runSingleEventIngest } from './ingest.mjs';
import { runPostgresIngest } from './ingest-postgres.mjs';
import { runMiddlewareOverhead } from './middleware-overhead.mjs';
import { runOutOfOrder } from './out-of-order.mjs';
import { runQueriesVsIngest } from './queries-vs-ingest.mjs';
import { runSdkSpool } from './sdk-spool.mjs';
import { runStorageSqlite } from './storage-sqlite.mjs';
import { runWalSoak } from './wal-soak.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'resume-from': { type: 'string' } } });
const out = values.out ?? 'bench/results/run.json';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

/** Each bench in turn (never two at once); every row records the load average when its bench ended. */
const benches = [
  ['middleware-overhead', () => runMiddlewareOverhead({ seconds })],
  ['single-event-ingest', () => runSingleEventIngest({ seconds })],
  ['batched-ingest', () => runBatchedIngest({ seconds: seconds * 2 })],
  ['storage-sqlite', () => runStorageSqlite({})],
  ['out-of-order', () => runOutOfOrder({})],
  ['queries-vs-ingest', () => runQueriesVsIngest({ seconds: seconds * 2 })],
  ['wal-soak', () => runWalSoak({})],
  ['ingest-postgres', () => runPostgresIngest({ seconds: seconds * 2 })],
  ['attribution', () => runAttributionBench()],
  [
    'sdk-spool',
    async () => (await runSdkSpool()).map((r) => ({ ...r, target: 'reference: cost of the spool', pass: true })),
  ],
];
const names = benches.map(([name]) => name);
const from = values['resume-from'];
if (from !== undefined && !names.includes(from))
  throw new Error(`run: --resume-from must name a bench (${names.join(', ')}), got ${JSON.stringify(from)}`);
/** A resumed run keeps the earlier part's rows, date and starting load, and records where and when it resumed. */
const earlier = from === undefined ? null : JSON.parse(readFileSync(out, 'utf8'));
if (earlier !== null && earlier.complete !== false)
  throw new Error(`run: ${out} is a finished run; --resume-from continues only an unfinished one`);
const started = earlier === null ? new Date() : new Date(earlier.date);
const startMachine = earlier === null ? machine() : { load1: earlier.machine.load1AtStart };
const resumed =
  earlier === null
    ? null
    : [...[earlier.resumed ?? []].flat(), { from, at: new Date().toISOString(), load1: machine().load1 }];
const results = earlier === null ? [] : earlier.rows.filter((r) => names.indexOf(r.bench) < names.indexOf(from));
/** The result file; written after every bench too (complete: false), so a failure late in a long run keeps what was measured. */
const write = (complete) => {
  const m = machine();
  return writeResult(out, {
    bench: 'run',
    complete,
    date: started.toISOString(),
    ended: new Date().toISOString(),
    machine: { ...m, load1AtStart: startMachine.load1 },
    settings: { BENCH_SECONDS: seconds, BENCH_SOAK_ITEMS: Number(process.env.BENCH_SOAK_ITEMS ?? 300_000) },
    ...(resumed === null ? {} : { resumed }),
    rows: results.map(({ samples, ...r }) => ({
      ...r,
      ratio: Number(r.ratio.toFixed(4)),
      ...(samples ? { samples } : {}),
    })),
  });
};
for (const [name, bench] of benches.slice(from === undefined ? 0 : names.indexOf(from))) {
  const rows = [await bench()].flat();
  const load = load1();
  for (const r of rows) results.push({ bench: name, ...r, settings: r.settings ?? 'defaults', load1: load });
  write(false);
}

const m = machine();
console.log(
  `\nTouchline benchmarks — ${m.cpus} x ${m.model}, ${m.memGiB} GiB, Node ${m.node}, load average ${startMachine.load1.toFixed(1)} -> ${m.load1.toFixed(1)}\n`,
);
console.log('| benchmark | baseline | measured | ratio | target | |');
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.baseline} | ${r.measured} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.pass ? 'ok' : 'MISSED'} |`,
  );
}
const path = write(true);
console.log(`\nresult: ${path}`);
