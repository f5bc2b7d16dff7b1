// Renders bench/wal-soak.mjs's results (its own --out files, or the soak row of `npm run bench`'s result): one row per run of the "Bounded disk" table.
import { int, machineLine, ms, when } from '../format.mjs';

const MIB = (n) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MiB`;

/** One soak from either kind of file: its date, the items asked for, the bound and the measured data (`d.items`: every item acknowledged, the latency probe's included). */
function soakOf(r) {
  if (r.bench === 'wal-soak') {
    const { items, walLimitMb } = r.settings;
    return {
      items,
      walLimitMb,
      d: r.data,
      how: `\`node bench/wal-soak.mjs --items ${items}${walLimitMb === 64 ? '' : ` --wal-limit-mb ${walLimitMb}`}\`, ${when(r.date)} UTC${r.code ? `, code ${r.code}` : ''}`,
      where: `${when(r.date)} UTC, ${machineLine(r)}`,
    };
  }
  const row = r.rows.find((x) => x.data?.bench === 'wal-soak');
  if (row === undefined) throw new Error('this run result has no WAL soak row');
  return {
    items: r.settings.BENCH_SOAK_ITEMS,
    walLimitMb: row.data.walLimitMb,
    d: row.data,
    how: `\`npm run bench\` (the run of ${when(r.date)} UTC)`,
    where: `in the \`npm run bench\` run of ${when(r.date)} UTC, ${r.machine.cpus} x ${r.machine.model}, load average ${row.load1.toFixed(1)} when the soak ended`,
  };
}

/** The bound held and the backlog was processed; a run without an effective bound is the reference, not a verdict. */
function verdict(walLimitMb, d) {
  if (walLimitMb >= 1_000_000) return 'reference';
  return d.walPeakMib <= walLimitMb && d.drained !== false ? 'ok' : 'MISSED';
}

/** bench/wal-soak.mjs: WAL peak against its bound, database bytes per item, rates, latency and checkpoints per run. */
export function renderWalSoak(results) {
  const soaks = results.map(soakOf);
  const bound = (mb) =>
    mb >= 1_000_000 ? `no effective bound (${int(mb)} MiB): the old behaviour` : `bound ${mb} MiB`;
  const table = [
    '| run | WAL peak | WAL at end | db bytes / item | acked items/s | processed items/s | 1-item batch p99 | checkpoints complete / busy, longest hold | |',
    '|---|---|---|---|---|---|---|---|---|',
    ...soaks.map(
      ({ items, walLimitMb, d, how }) =>
        `| ${how}, ${int(items)} items (${int(d.items)} acknowledged with the probe's), ${bound(walLimitMb)} | ${MIB(d.walPeakMib)} | ${MIB(d.walEndMib)} | ${int(d.dbBytesPerItem)} ` +
        `| ${int(d.ackedPerSecond)} | ${d.drained === false ? `**not processed**: ${int(d.inboxLeft)} items still in the inbox ${d.drainSeconds} s after the load` : int(d.processedPerSecond)} | ${ms(d.p99OneItemMs)} ms | ${int(d.checkpoints.complete)} / ${int(d.checkpoints.busy)}, ${int(d.checkpoints.maxHoldMs)} ms (${d.checkpoints.holdSeconds.toFixed(1)} s in all over the ${d.processedSeconds.toFixed(0)} s run) | ${verdict(walLimitMb, d)} |`,
    ),
  ];
  const notes = soaks.map(
    ({ where, d }, i) =>
      `Row ${i + 1} (${where}): ingest took ${d.ackedSeconds.toFixed(1)} s and ${d.drained === false ? 'processing had not finished after' : 'processing'} ${d.processedSeconds.toFixed(1)} s; ` +
      `acked items/s by tenth of the load ${d.rateTenths.map((n) => int(n)).join(' ')}; stats p50 ${ms(d.statsP50Ms)} ms, attribution p50 ${ms(d.attributionP50Ms)} ms (max ${ms(d.attributionMaxMs)}), ` +
      `${d.readFailures} failed reads; ingest waits on 503/429: ${
        Object.keys(d.retried).length === 0
          ? 'none'
          : Object.entries(d.retried)
              .map(([s, n]) => `${n} x ${s}`)
              .join(', ')
      }.`,
  );
  return `${table.join('\n')}\n\n${notes.join('\n\n')}\n`;
}
