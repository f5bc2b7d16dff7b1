// Bench: the read model's reports in process (stats, series, top lists incl. utm values, sessions by channel over 30 and 90 days) on one
// database, timed with the storage build given, so two builds can be compared on the same file. Prints p50/p95 of
// sequential calls and the row counts of the read-model tables. Usage (a database `touchline demo` filled):
//   node bench/read-model.mjs --db /tmp/x.db [--storage packages/storage] [--account ID] [--end ISO] [--repeat 7] [--out answers.json]
//     [--result FILE]   (the result file the README's read-model block is rendered from)
// --storage points at another checkout's built packages/storage (e.g. the base tree) to time it on a copy of the file;
// opening the file with a newer build migrates it, so give each build its own copy.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, writeResult } from './figures/result-file.mjs';

const DAY = 86_400_000;
const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    storage: { type: 'string' },
    account: { type: 'string' },
    end: { type: 'string' },
    repeat: { type: 'string' },
    out: { type: 'string' },
    result: { type: 'string' },
  },
});
const started = new Date();
const timings = [];
if (values.db === undefined) throw new Error('read-model: --db <file or postgres URL> is required');
const storageDir = resolve(values.storage ?? new URL('../packages/storage', import.meta.url).pathname);
const { openStorage } = await import(pathToFileURL(`${storageDir}/dist/index.js`).href);
const url = values.db.startsWith('postgres') ? values.db : `sqlite:${values.db}`;
const repeat = Number(values.repeat ?? 7);
// Unaligned by default, as the dashboard's ranges (now - 30 d .. now) are.
const end = Date.parse(values.end ?? '2026-12-05T11:37:12.345Z');

const storage = openStorage(url);
await storage.migrate();
const account = values.account ?? (await storage.ensureAccount('demo', 1)).id;
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function time(name, run) {
  const ms = [];
  let answer;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    answer = await run();
    ms.push(performance.now() - t);
  }
  const digest = JSON.stringify(answer).length;
  timings.push({ name, p50: Number(quantile(ms, 0.5).toFixed(1)), p95: Number(quantile(ms, 0.95).toFixed(1)) });
  console.log(
    `  ${name.padEnd(30)} p50 ${quantile(ms, 0.5).toFixed(0).padStart(6)} ms  p95 ${quantile(ms, 0.95).toFixed(0).padStart(6)} ms  (answer ${digest} chars)`,
  );
  return answer;
}

console.log(`read-model: ${url} with ${storageDir}, ranges ending ${new Date(end).toISOString()}, ${repeat} runs each`);
const answers = {};
for (const days of [30, 90]) {
  const from = end - days * DAY;
  answers[`stats ${days}`] = await time(`stats ${days} d`, () => storage.stats(account, from, end));
  answers[`series ${days}`] = await time(`series ${days} d (day buckets)`, () =>
    storage.timeSeries(account, { from, to: end, bucketMs: DAY }),
  );
  // The dashboard's buckets: UTC days (origin: midnight before `from`), so only the range's two edge hours are raw.
  // A storage build without `origin` ignores it and answers day buckets from `from`.
  answers[`series ${days} utc days`] = await time(`series ${days} d (UTC days)`, () =>
    storage.timeSeries(account, { from, to: end, bucketMs: DAY, origin: Math.floor(from / DAY) * DAY }),
  );
  answers[`landing ${days}`] = await time(`top landing pages ${days} d`, () =>
    storage.topLandingPages(account, { from, to: end, limit: 20 }),
  );
  answers[`referrers ${days}`] = await time(`top referrers ${days} d`, () =>
    storage.topReferrers(account, { from, to: end, limit: 20 }),
  );
  answers[`channels ${days}`] = await time(`sessions by channel ${days} d`, () =>
    storage.countSessionsByChannel(account, from, end),
  );
  // Builds before the utm dimensions have no topUtmValues.
  if (typeof storage.topUtmValues === 'function') {
    for (const field of ['campaign', 'source', 'medium']) {
      answers[`utm ${field} ${days}`] = await time(`top utm ${field}s ${days} d`, () =>
        storage.topUtmValues(account, { from, to: end, limit: 20, field }),
      );
    }
  }
}
console.log(`  stats 90 d: ${JSON.stringify(answers['stats 90'])}`);
if (answers['utm campaign 90'] !== undefined)
  console.log(`  top campaigns 90 d: ${JSON.stringify(answers['utm campaign 90'].slice(0, 3))}`);
// --out FILE: every answer as JSON, to check that two builds answered the same.
if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(answers, null, 1));
await storage.close();
if (values.result !== undefined) {
  const path = writeResult(values.result, {
    bench: 'read-model',
    date: started.toISOString(),
    machine: machine(),
    dialect: url.startsWith('postgres') ? 'PostgreSQL' : 'SQLite',
    build: values.storage === undefined ? 'this tree' : 'another build (--storage)',
    settings: { repeat, end: new Date(end).toISOString() },
    defaults: { repeat: 7, end: '2026-12-05T11:37:12.345Z' },
    stats90: answers['stats 90'],
    reads: timings,
  });
  console.log(`result written to ${path}`);
}
