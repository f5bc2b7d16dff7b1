// Renders bench/bytes-per-item.mjs's result: bytes at rest per item and table (with its indexes), before and after the inbox maintenance.
import { int, machineLine, nonDefault, when } from '../format.mjs';

/** The tables shown by name; the rest are summed into one row. */
const NAMED = ['inbox', 'inbox_keys', 'events', 'sessions', 'visitor_hours'];

/** bench/bytes-per-item.mjs: B/item per table before and after maintenance (or as measured), the b-tree total and the file. */
export function renderBytesPerItem(r) {
  const columns =
    r.before === null
      ? [['as loaded', r.after]]
      : [
          ['before maintenance', r.before],
          ['after', r.after],
        ];
  const b = (x) => (x === undefined ? '-' : x.toFixed(1));
  const rest = (m) => Object.entries(m.perItem).reduce((sum, [t, x]) => (NAMED.includes(t) ? sum : sum + x), 0);
  const row = (label, f) => `| ${label} | ${columns.map(([, m]) => f(m)).join(' | ')} |`;
  const m = r.maintenance;
  const lines = [
    `Run ${when(r.date)} UTC, ${machineLine(r)}. ${r.dialect}, \`touchline demo\` ${r.settings.days} days x ${int(r.settings.sessionsPerDay)} sessions/day ` +
      `(realistic mix): ${int(r.items)} items.` +
      (m === null
        ? ''
        : ` Maintenance as \`touchline serve\` runs it at start (dedupe keys kept 32 days, payloads ${r.settings.payloadDays}): ` +
          `${int(m.compacted)} payloads compacted, ${int(m.deleted)} rows deleted, ${int(m.steps)} steps, ${(m.ms / 1000).toFixed(1)} s.`) +
      ` Settings that differ from the bench's defaults: ${nonDefault(r.settings, r.defaults)}.`,
    '',
    `| bytes per item (table + indexes) | ${columns.map(([label]) => label).join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...NAMED.filter((t) => columns.some(([, c]) => c.perItem[t] !== undefined)).map((t) =>
      row(t, (c) => b(c.perItem[t])),
    ),
    row('everything else', (c) => b(rest(c))),
    row('**all tables**', (c) => `**${b(c.total)}**`),
    row(r.dialect === 'SQLite' ? 'the file (free pages included)' : 'the database', (c) => b(c.file)),
  ];
  return `${lines.join('\n')}\n`;
}
