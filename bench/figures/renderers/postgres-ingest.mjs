// Renders the PostgreSQL ingest rows of `npm run bench`'s result (bench/ingest-postgres.mjs) for the README's "Choosing SQLite or PostgreSQL".
import { machineLine, when } from '../format.mjs';

const PREFIX = 'batched ingest, 500 items/request, PostgreSQL, ';

/** One row per collector count, after the SQLite run that is their baseline (measured in the same bench, right before). */
export function renderPostgresIngest([r]) {
  const rows = r.rows.filter((x) => x.name.startsWith(PREFIX));
  if (rows.length === 0) throw new Error('this run result has no PostgreSQL ingest rows');
  const [first] = rows;
  const lines = [
    `Run ${when(r.date)} UTC (\`npm run bench\`, the same run as the table in "Benchmarks"), ${machineLine(r)}; load average ${first.load1.toFixed(1)} when this bench ended. ${first.settings}.`,
    '',
    '| engine, collectors | acknowledged (durable in the inbox); stored end to end (processed into events) | stored vs SQLite |',
    '|---|---|---|',
    `| ${first.baseline.replace(/:.*$/, '')} | ${first.baseline.replace(/^[^:]*: /, '')} | 1.00 |`,
    ...rows.map((x) => `| PostgreSQL, ${x.name.slice(PREFIX.length)} | ${x.measured} | ${x.ratio.toFixed(2)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
