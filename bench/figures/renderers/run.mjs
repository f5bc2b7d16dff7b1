// Renders `npm run bench`'s result (bench/run.mjs): the main table, every row with its settings and the load average when it ended.
import { machineLine, when } from '../format.mjs';

/** bench/run.mjs: one row per measurement, as the bench judged it; a row's settings name anything not at its default. */
export function renderRun([r]) {
  const minutes = Math.round((Date.parse(r.ended) - Date.parse(r.date)) / 60_000);
  const lines = [
    `Run ${when(r.date)} UTC (${minutes} min), \`BENCH_SECONDS=${r.settings.BENCH_SECONDS}\`, WAL soak ${r.settings.BENCH_SOAK_ITEMS.toLocaleString('en-US')} items; ` +
      `${machineLine(r)}. The machine was shared with other jobs (the "load" column is the 1-minute load average when each bench ended), ` +
      'so read the same-run ratios, not the absolute rates.' +
      (r.resumed === undefined
        ? ''
        : ` The run stopped and was resumed (\`--resume-from\`): ${[r.resumed]
            .flat()
            .map((x) => `from the ${x.from} bench on at ${when(x.at)} UTC (load average ${x.load1.toFixed(1)})`)
            .join(', then ')}.`) +
      (r.complete === false ? ' **The run stopped early: only the rows below were measured.**' : ''),
    '',
    '| benchmark | settings | baseline | measured | ratio | target | load | |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (row) =>
        `| ${row.name} | ${row.settings} | ${row.baseline} | ${row.measured} | ${row.ratio.toFixed(2)} | ${row.target} | ${row.load1.toFixed(1)} | ${row.pass ? 'ok' : 'MISSED'} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
