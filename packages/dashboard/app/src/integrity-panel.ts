// The integrity panel: each check's state, value and its plain-language explanation of what a bad value means.
import type { Integrity, IntegrityRow } from './api-types.js';
import { fmt, h } from './dom.js';

const STATE_TEXT: Record<IntegrityRow['state'], string> = { ok: 'OK', warn: 'Warning', alert: 'Alert' };
const SUMMARY: Record<Integrity['state'], string> = {
  ok: 'No integrity problems found: visitor and session counts look trustworthy.',
  warn: 'Something looks off: read the flagged checks below before trusting the numbers.',
  alert: 'The numbers are probably wrong: a flagged check points to leaked or duplicated identities.',
};

function valueText(row: IntegrityRow): string {
  if (row.value === null) return '—';
  return row.unit === '%' ? `${fmt.decimal(row.value)}%` : fmt.decimal(row.value);
}

export function integrityPanel(report: Integrity, csvHref: string): HTMLElement {
  const items = report.rows.map((row) =>
    h(
      'details',
      { class: `check ${row.state}` },
      h(
        'summary',
        {},
        h('span', { class: `pill ${row.state}` }, STATE_TEXT[row.state]),
        h('span', { class: 'check-title' }, row.check),
        h('span', { class: 'check-value' }, row.note === 'not enough data' ? 'not enough data' : valueText(row)),
      ),
      h('p', {}, row.explanation),
      h(
        'p',
        { class: 'muted' },
        `Window: ${row.window}. Thresholds: ${row.thresholds}.${row.note && row.note !== 'not enough data' ? ` ${row.note}` : ''}`,
      ),
    ),
  );
  return h(
    'section',
    { class: 'panel', id: 'integrity' },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', {}, 'Data integrity'),
      h(
        'div',
        { class: 'panel-tools' },
        h('a', { class: 'csv', href: csvHref, download: '', 'data-csv': 'integrity' }, 'CSV'),
      ),
    ),
    h('p', { class: `integrity-summary ${report.state}` }, SUMMARY[report.state]),
    h('div', { class: 'checks' }, ...items),
  );
}
