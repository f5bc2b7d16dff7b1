// Renders the mutation-testing result (bench/figures/mutation-result.mjs over StrykerJS's report): the score, and each file's.
import { int, when } from '../format.mjs';

const pct = (score) => (score === null ? '-' : `${score.toFixed(2)}%`);
const count = (c, status) => int(c.byStatus[status] ?? 0);

/** The mutation score with its counts, then one row per mutated file, weakest first. */
export function renderMutation(r) {
  const t = r.total;
  const length = r.settings.minutes === null ? '' : `, ${int(r.settings.minutes)} min`;
  const lines = [
    `Report summarized ${when(r.date)} UTC (code mutated: ${r.code}), ${r.machine.cpus} x ${r.machine.model}, ${r.machine.memGiB} GiB, ` +
      `Node ${r.machine.node.replace(/^v/, '')}; \`${r.settings.command}\`${length}. ` +
      `**Mutation score ${pct(t.score)}**: ${int(t.detected)} of ${int(t.detected + t.undetected)} mutants detected ` +
      `(killed ${count(t, 'Killed')}, timed out ${count(t, 'Timeout')}; survived ${count(t, 'Survived')}, ` +
      `no coverage ${count(t, 'NoCoverage')}; ${int(t.mutants - t.detected - t.undetected)} not valid: compile errors or ignored).`,
    '',
    '| file | mutants | score | survived | no coverage |',
    '|---|---|---|---|---|',
    ...[...r.files]
      .filter((f) => f.score !== null)
      .sort((a, b) => a.score - b.score || (a.file < b.file ? -1 : 1))
      .map(
        (f) =>
          `| \`${f.file}\` | ${int(f.mutants)} | ${pct(f.score)} | ${count(f, 'Survived')} | ${count(f, 'NoCoverage')} |`,
      ),
  ];
  return `${lines.join('\n')}\n`;
}
