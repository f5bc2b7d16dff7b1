// Bench: what one attribution query costs in process (read + journeys + model) on a kept demo file, as same-run ratios of alternating runs.
// Every session of the window vs the converters' sessions (linear), Markov's read with and without the utm column,
// and Markov from every session's path (attributionFacts) vs from counted steps (markovFacts), checked equal.
// Needs the built packages and a file from `node bench/read-api.mjs --keep` (or `touchline demo`, with FILE.json holding its --json line):
//   node bench/attribution-reads.mjs --data FILE.db [--rounds 6] [--lookback 90]
// or the same demo loaded into PostgreSQL (`touchline demo --db URL ... --json > FILE.json`; only the Markov arms run there):
//   node bench/attribution-reads.mjs --pg URL --demo FILE.json [--rounds 6] [--lookback 90]
import { isDeepStrictEqual } from 'node:util';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildJourneys, MODELS } from '../packages/attribution/dist/index.js';
import { openPostgresStorage, openSqliteStorage } from '../packages/storage/dist/index.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-05T12:00:00Z');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Medians of `rounds` alternating runs of each arm (the order flips every round, so drift hits both). */
async function alternate(rounds, arms) {
  const ms = Object.fromEntries(Object.keys(arms).map((k) => [k, []]));
  const names = Object.keys(arms);
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      const t = performance.now();
      await arms[name]();
      ms[name].push(performance.now() - t);
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(ms[k])]));
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    pg: { type: 'string' },
    demo: { type: 'string' },
    rounds: { type: 'string' },
    lookback: { type: 'string' },
  },
});
if (!values.data && !(values.pg && values.demo))
  throw new Error(
    '--data FILE.db (a kept demo file: node bench/read-api.mjs --keep) or --pg URL --demo FILE.json is required',
  );
const rounds = Number(values.rounds ?? 6);
const lookbackMs = Number(values.lookback ?? 90) * DAY;
const dir = mkdtempSync(join(tmpdir(), 'touchline-attribution-reads-'));
const file = join(dir, 'touchline.db');
if (values.data) copyFileSync(values.data, file);
const accountId = JSON.parse(
  readFileSync(values.data ? `${values.data}.json` : values.demo, 'utf8')
    .trim()
    .split('\n')
    .pop(),
).account_id;
const storage = values.data ? openSqliteStorage({ path: file }) : openPostgresStorage({ url: values.pg });
try {
  const window = { from: NOW - 30 * DAY, to: NOW, lookbackMs, maxSessions: 2_000_000 };
  const run = async (facts, model) => {
    const { journeys, nonConverting, nonConvertingSteps } = buildJourneys({ ...facts, lookbackMs });
    return MODELS[model](journeys, { nonConverting, nonConvertingSteps });
  };
  if (values.data) {
    const linear = await alternate(rounds, {
      every: async () => run(await storage.attributionFacts(accountId, window), 'linear'),
      converters: async () => run(await storage.converterFacts(accountId, window), 'linear'),
    });
    console.log(
      `linear: every session ${linear.every.toFixed(0)} ms, converters only ${linear.converters.toFixed(0)} ms, ratio ${(linear.every / linear.converters).toFixed(1)}`,
    );
    const markov = await alternate(rounds, {
      utm: async () => run(await storage.attributionFacts(accountId, window), 'markov'),
      noUtm: async () => run(await storage.attributionFacts(accountId, { ...window, campaigns: false }), 'markov'),
    });
    console.log(
      `markov: with utm ${markov.utm.toFixed(0)} ms, without ${markov.noUtm.toFixed(0)} ms, ratio ${(markov.utm / markov.noUtm).toFixed(2)}`,
    );
  }
  // Markov as it read before (every session of the window, campaigns left out) against counted steps.
  const pathsFacts = await storage.attributionFacts(accountId, { ...window, campaigns: false });
  const stepsFacts = await storage.markovFacts(accountId, { ...window, campaigns: false });
  const [byPaths, bySteps] = [await run(pathsFacts, 'markov'), await run(stepsFacts, 'markov')];
  const same =
    isDeepStrictEqual(byPaths.channels, bySteps.channels) &&
    isDeepStrictEqual([...byPaths.channelWeights], [...bySteps.channelWeights]);
  if (!same) throw new Error('markov from counted steps differs from markov over every session');
  const steps = await alternate(rounds, {
    paths: async () => run(await storage.attributionFacts(accountId, { ...window, campaigns: false }), 'markov'),
    steps: async () => run(await storage.markovFacts(accountId, { ...window, campaigns: false }), 'markov'),
  });
  console.log(
    `markov: every session ${steps.paths.toFixed(0)} ms (${pathsFacts.sessions.length} sessions), counted steps ${steps.steps.toFixed(0)} ms (${stepsFacts.sessions.length} sessions + ${stepsFacts.steps.length} steps), ratio ${(steps.paths / steps.steps).toFixed(1)}, answers equal`,
  );
  console.log(
    `(${values.data ? 'SQLite' : 'PostgreSQL'}, medians of ${rounds} alternating runs, 30-day window, lookback ${lookbackMs / DAY} d)`,
  );
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
