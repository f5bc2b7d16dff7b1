// Runs every benchmark and prints one table of ratios against baselines measured in the same run.
import os from 'node:os';
import { runAttributionBench } from './attribution.mjs';
import { runBatchedIngest, runSingleEventIngest } from './ingest.mjs';
import { runPostgresIngest } from './ingest-postgres.mjs';
import { runMiddlewareOverhead } from './middleware-overhead.mjs';
import { runOutOfOrder } from './out-of-order.mjs';
import { runQueriesVsIngest } from './queries-vs-ingest.mjs';
import { runSdkSpool } from './sdk-spool.mjs';
import { runStorageSqlite } from './storage-sqlite.mjs';
import { runWalSoak } from './wal-soak.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const results = [
  ...(await runMiddlewareOverhead({ seconds })),
  await runSingleEventIngest({ seconds }),
  await runBatchedIngest({ seconds: seconds * 2 }),
  await runStorageSqlite({}),
  await runOutOfOrder({}),
  ...(await runQueriesVsIngest({ seconds: seconds * 2 })),
  await runWalSoak({}),
  ...(await runPostgresIngest({ seconds: seconds * 2 })),
  ...(await runAttributionBench()),
  ...(await runSdkSpool()).map((r) => ({ ...r, target: 'reference: cost of the spool', pass: true })),
];

console.log(`\nTouchline benchmarks — ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
console.log('| benchmark | baseline | measured | ratio | target | |');
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.name} | ${r.baseline} | ${r.measured} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.pass ? 'ok' : 'MISSED'} |`);
}
