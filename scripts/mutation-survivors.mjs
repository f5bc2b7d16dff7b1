// Lists StrykerJS's surviving mutants (Survived or NoCoverage) per file, weakest file first, to go through them
// (docs/mutation-survivors.md keeps a test or a reason for each).
// Usage: node scripts/mutation-survivors.mjs [reports/mutation/mutation.json] [--file path/to/file.ts]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const DETECTED = new Set(['Killed', 'Timeout']);

const { values, positionals } = parseArgs({ options: { file: { type: 'string' } }, allowPositionals: true });
const report = JSON.parse(readFileSync(positionals[0] ?? 'reports/mutation/mutation.json', 'utf8'));

const files = Object.entries(report.files)
  .map(([file, { source, mutants }]) => {
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status));
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const valid = detected + undetected.length;
    return { file, source, undetected, score: valid === 0 ? 100 : (100 * detected) / valid };
  })
  .filter((f) => values.file === undefined || f.file === values.file)
  .sort((a, b) => a.score - b.score);

for (const { file, source, undetected, score } of files) {
  if (undetected.length === 0) continue;
  console.log(`${file}: score ${score.toFixed(1)}, ${undetected.length} undetected`);
  const lines = source.split('\n');
  const byPlace = (a, b) =>
    a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column;
  for (const m of undetected.sort(byPlace)) {
    const { line, column } = m.location.start;
    console.log(`  ${line}:${column} ${m.status} ${m.mutatorName} -> ${JSON.stringify(m.replacement)}`);
    console.log(`      ${(lines[line - 1] ?? '').trim()}`);
  }
}
