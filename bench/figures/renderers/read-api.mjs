// Renders bench/read-api.mjs's result: reads (p50/p95 against targets) and ingest latency under queries.
import { machineLine, ms, nonDefault } from '../format.mjs';

/** The read-api bench's defaults: a result's settings that differ from them are disclosed. */
const READ_API_DEFAULTS = {
  days: 30,
  sessionsPerDay: 2000,
  repeat: 10,
  latencySamples: 200,
  mix: 'realistic',
  latencyOnly: false,
  readThreadNice: 'default',
};

/** Runs since 2026-12-07 settle the collector's background catch-up before timing (bench/settle-collector.mjs). */
const settledLine = (settled) =>
  settled === undefined
    ? ''
    : ` Before timing, the collector's background catch-up was run to the end (${settled.deleted.toLocaleString('en-US')} inbox rows pruned, ${settled.compacted.toLocaleString('en-US')} payloads compacted, ${settled.refreshSteps.toLocaleString('en-US')} journey refresher steps, ${(settled.ms / 1000).toFixed(0)} s), as a collector running since the demo's load would have.`;

/** bench/read-api.mjs: one table of reads (p50/p95 against targets) and one of ingest latency under queries. */
export function renderReadApi(r) {
  const s = r.settings;
  const d = r.data;
  const size = d.bytesPerItem === null ? '' : `, ${(d.bytes / 2 ** 30).toFixed(2)} GiB file, ${d.bytesPerItem} B/item`;
  const lines = [
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${machineLine(r)}. ${s.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ` +
      `\`touchline demo\` ${s.days} days x ${s.sessionsPerDay.toLocaleString('en-US')} sessions/day (${s.mix} mix): ` +
      `${d.items === null ? '?' : d.items.toLocaleString('en-US')} items${size}. Each read ${s.repeat} times in a row over HTTP; ` +
      `settings that differ from the bench's defaults: ${nonDefault(s, READ_API_DEFAULTS)}.${settledLine(r.settled)}`,
    '',
    '| read | p50 ms | p95 ms | target (p95) | |',
    '|---|---|---|---|---|',
    ...r.rows.map(
      (row) => `| ${row.name} | ${ms(row.p50)} | ${ms(row.p95)} | < ${row.target} ms | ${row.pass ? 'ok' : 'MISSED'} |`,
    ),
  ];
  if (r.latency !== null) {
    const l = r.latency;
    const row = (name, base, loaded, target) =>
      `| ${name} | ${ms(base.p50)} / ${ms(base.p99)} | ${ms(loaded.p50)} / ${ms(loaded.p99)} | < ${target} ms | ${loaded.p99 < target ? 'ok' : 'MISSED'} |`;
    lines.push(
      '',
      `Ingest while 4 linear attribution queries run back to back (${l.with4Queries.queries} answered during the ${l.samples} samples), against the same without queries:`,
      '',
      '| request | no queries p50 / p99 ms | 4 queries p50 / p99 ms | target (p99, with queries) | |',
      '|---|---|---|---|---|',
      row('1-item batch (`POST /api/v1/batch`)', l.baseline.ingest, l.with4Queries.ingest, 50),
      row('`GET /healthz`', l.baseline.health, l.with4Queries.health, 20),
    );
  }
  return `${lines.join('\n')}\n`;
}
