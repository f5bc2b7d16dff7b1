// Bench: what one attribution query costs in process (read + journeys + model) on a kept demo file, as same-run ratios of alternating runs.
// Every session of the window vs the converters' sessions (linear), and Markov's read with and without the utm column.
// Needs the built packages and a file from `node bench/read-api.mjs --keep` (or `touchline demo`, with FILE.json holding its --json line):
//   node bench/attribution-reads.mjs --data FILE.db [--rounds 6] [--lookback 90]
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildJourneys, MODELS } from '../packages/attribution/dist/index.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';

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

const { values } = parseArgs({ options: { data: { type: 'string' }, rounds: { type: 'string' }, lookback: { type: 'string' } } });
if (!values.data) throw new Error('--data FILE.db is required: a kept demo file (node bench/read-api.mjs --keep)');
const rounds = Number(values.rounds ?? 6);
const lookbackMs = Number(values.lookback ?? 90) * DAY;
const dir = mkdtempSync(join(tmpdir(), 'touchline-attribution-reads-'));
const file = join(dir, 'touchline.db');
copyFileSync(values.data, file);
const accountId = JSON.parse(readFileSync(`${values.data}.json`, 'utf8')).account_id;
const storage = openSqliteStorage({ path: file });
try {
  const window = { from: NOW - 30 * DAY, to: NOW, lookbackMs, maxSessions: 2_000_000 };
  const run = async (facts, model) => {
    const { journeys, nonConverting } = buildJourneys({ ...facts, lookbackMs });
    MODELS[model](journeys, { nonConverting });
  };
  const linear = await alternate(rounds, {
    every: async () => run(await storage.attributionFacts(accountId, window), 'linear'),
    converters: async () => run(await storage.converterFacts(accountId, window), 'linear'),
  });
  console.log(`linear: every session ${linear.every.toFixed(0)} ms, converters only ${linear.converters.toFixed(0)} ms, ratio ${(linear.every / linear.converters).toFixed(1)}`);
  const markov = await alternate(rounds, {
    utm: async () => run(await storage.attributionFacts(accountId, window), 'markov'),
    noUtm: async () => run(await storage.attributionFacts(accountId, { ...window, campaigns: false }), 'markov'),
  });
  console.log(`markov: with utm ${markov.utm.toFixed(0)} ms, without ${markov.noUtm.toFixed(0)} ms, ratio ${(markov.utm / markov.noUtm).toFixed(2)}`);
  console.log(`(medians of ${rounds} alternating runs, 30-day window, lookback ${lookbackMs / DAY} d)`);
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
