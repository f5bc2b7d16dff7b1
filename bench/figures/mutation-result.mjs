// Turns StrykerJS's report (reports/mutation/mutation.json, written by `npm run mutation`) into the result file the README's
// mutation score is rendered from: counts by status, the score, and each mutated file's score.
// Usage: node bench/figures/mutation-result.mjs [--report reports/mutation/mutation.json] [--out bench/figures/results/mutation.json]
//        [--minutes N] (the run's length, as `npm run mutation` printed it)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machine, writeResult } from './result-file.mjs';

/** Stryker's statuses: detected ones count for the score, invalid ones (compile errors, ignored) do not count at all. */
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Counts by status and the mutation score (detected / (detected + undetected), as Stryker reports it) of a list of mutants. */
export function mutationCounts(mutants) {
  const byStatus = {};
  for (const m of mutants) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const valid = detected + undetected;
  return {
    mutants: mutants.length,
    byStatus,
    detected,
    undetected,
    score: valid === 0 ? null : (100 * detected) / valid,
  };
}

/** The result file's content from a parsed mutation-testing-report-schema report. */
export function mutationResult(report, { minutes = null } = {}) {
  const files = Object.entries(report.files)
    .map(([file, f]) => ({ file, ...mutationCounts(f.mutants) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    bench: 'mutation',
    date: new Date().toISOString(),
    machine: machine(),
    settings: { command: 'npm run mutation', config: 'stryker.config.json', minutes },
    total: mutationCounts(Object.values(report.files).flatMap((f) => f.mutants)),
    files,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { report: { type: 'string' }, out: { type: 'string' }, minutes: { type: 'string' } },
  });
  const report = JSON.parse(readFileSync(values.report ?? 'reports/mutation/mutation.json', 'utf8'));
  const minutes = values.minutes === undefined ? null : Number(values.minutes);
  const path = writeResult(values.out ?? 'bench/figures/results/mutation.json', mutationResult(report, { minutes }));
  console.log(`mutation result: ${path}`);
}
