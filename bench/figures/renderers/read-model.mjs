// Renders bench/read-model.mjs's result: the read model's reports in process (stats, series, top lists, sessions by channel), p50 / p95.
import { int, machineLine, ms, nonDefault, when } from '../format.mjs';

/** The p95 targets (issue 15) for the reads it names, per dialect; the other reads have none. */
const TARGET_MS = { SQLite: 200, PostgreSQL: 300 };
const NAMED = /^(stats|series \d+ d \(UTC days\)|top landing pages|top referrers|top utm campaigns)/;

/** bench/read-model.mjs --result: one row per read, with the target where it names one. */
export function renderReadModel(r) {
  const target = TARGET_MS[r.dialect];
  const d = r.stats90;
  const lines = [
    `Run ${when(r.date)} UTC, ${machineLine(r)}. ${r.dialect}, ${r.build}, in process, each read ${r.settings.repeat} times in a row; ` +
      `ranges end ${r.settings.end} (unaligned, as the dashboard's are). The data over 90 days: ${int(d.visitors)} visitors, ` +
      `${int(d.sessions)} sessions, ${int(d.events)} events, ${int(d.conversions)} conversions. ` +
      `Settings that differ from the bench's defaults: ${nonDefault(r.settings, r.defaults)}.`,
    '',
    '| read | p50 ms | p95 ms | target (p95) | |',
    '|---|---|---|---|---|',
    ...r.reads.map((x) =>
      NAMED.test(x.name)
        ? `| ${x.name} | ${ms(x.p50)} | ${ms(x.p95)} | < ${target} ms | ${x.p95 < target ? 'ok' : 'MISSED'} |`
        : `| ${x.name} | ${ms(x.p50)} | ${ms(x.p95)} | - | |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
