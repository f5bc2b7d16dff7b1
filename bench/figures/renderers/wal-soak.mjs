// Renders bench/wal-soak.mjs's results (its own --out files, or the soak row of `npm run bench`'s result): one row per run of the "Bounded disk" table.
import { int, machineLine, ms, when } from '../format.mjs';

const MIB = (n) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MiB`;

/** One soak from either kind of file: its date, settings and measured data. */
function soakOf(r) {
  if (r.bench === 'wal-soak') return { r, date: r.date, items: r.settings.items, walLimitMb: r.settings.walLimitMb, d: r.data, how: `\`node bench/wal-soak.mjs --items ${r.settings.items}${r.settings.walLimitMb === 64 ? '' : ` --wal-limit-mb ${r.settings.walLimitMb}`}\`` };
  const row = r.rows.find((x) => x.data?.bench === 'wal-soak');
  if (row === undefined) throw new Error('this run result has no WAL soak row');
  const { items, walLimitMb } = row.data;
  return { r, date: r.date, items, walLimitMb, d: row.data, how: '`npm run bench`' };
}

/** bench/wal-soak.mjs: WAL peak against its bound, database bytes per item, rates, latency and checkpoints per run. */
export function renderWalSoak(results) {
  const soaks = results.map(soakOf);
  const bound = (mb) => (mb >= 1_000_000 ? `no effective bound (${int(mb)} MiB): the old behaviour` : `bound ${mb} MiB`);
  const table = [
    '| run | WAL peak | WAL at end | db bytes / item | acked items/s | processed items/s | 1-item batch p99 | checkpoints complete / busy, longest hold |',
    '|---|---|---|---|---|---|---|---|',
    ...soaks.map(({ date, items, walLimitMb, d, how }) => `| ${how}, ${int(items)} items, ${bound(walLimitMb)}, ${when(date)} UTC | ${MIB(d.walPeakMib)} | ${MIB(d.walEndMib)} | ${int(d.dbBytesPerItem)} `
      + `| ${int(d.ackedPerSecond)} | ${int(d.processedPerSecond)} | ${ms(d.p99OneItemMs)} ms | ${int(d.checkpoints.complete)} / ${int(d.checkpoints.busy)}, ${int(d.checkpoints.maxHoldMs)} ms (${d.checkpoints.holdSeconds.toFixed(1)} s in all over the ${d.processedSeconds.toFixed(0)} s run) |`),
  ];
  const notes = soaks.map(({ r, date, d }, i) => `Run ${i + 1} (${when(date)} UTC, ${machineLine(r)}): ingest took ${d.ackedSeconds.toFixed(1)} s and processing ${d.processedSeconds.toFixed(1)} s; `
      + `acked items/s by tenth of the load ${d.rateTenths.map((n) => int(n)).join(' ')}; stats p50 ${ms(d.statsP50Ms)} ms, attribution p50 ${ms(d.attributionP50Ms)} ms (max ${ms(d.attributionMaxMs)}), `
      + `${d.readFailures} failed reads; ingest waits on 503/429: ${Object.keys(d.retried).length === 0 ? 'none' : Object.entries(d.retried).map(([s, n]) => `${n} x ${s}`).join(', ')}.`);
  return `${table.join('\n')}\n\n${notes.join('\n\n')}\n`;
}
