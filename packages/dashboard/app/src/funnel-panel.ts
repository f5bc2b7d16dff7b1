// The funnels panel: pick a funnel, see how many visitors (or sessions) reached each step, overall and by entry channel.
import type { FunnelList, FunnelReport, FunnelStepRow } from './api-types.js';
import { dataTable } from './data-table.js';
import { fmt, h } from './dom.js';

export interface FunnelChoice { funnelId: string; unit: string }

function select(id: string, label: string, options: ReadonlyArray<{ value: string; label: string }>, value: string, onChange: (v: string) => void): HTMLSelectElement {
  const el = h('select', { id, 'aria-label': label }, ...options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

const rate = (n: number | null): string => (n === null ? '—' : fmt.percent(n));

/** `report` is null when the account has no funnels yet: the panel says how to define one. */
export function funnelPanel(list: FunnelList, report: FunnelReport | null, choice: FunnelChoice, csvHref: string, onChange: (c: FunnelChoice) => void): HTMLElement {
  if (report === null) {
    return h('section', { class: 'panel', id: 'funnel' }, h('header', { class: 'panel-head' }, h('h2', {}, 'Funnel')),
      h('p', { class: 'empty' }, 'No funnels yet. Define goals (POST /api/v1/goals) and a funnel of them (POST /api/v1/funnels); see the README, "Goals and funnels".'));
  }
  const funnelSelect = select('funnel-select', 'Funnel', list.funnels.map((f) => ({ value: f.id, label: `${f.name} (${f.window})` })), report.funnel.id, (v) => onChange({ ...choice, funnelId: v }));
  const unitSelect = select('funnel-unit', 'Count', [{ value: 'visitor', label: 'Visitors' }, { value: 'session', label: 'Sessions' }], choice.unit, (v) => onChange({ ...choice, unit: v }));
  const first = report.rows[0]?.count ?? 0;
  const channels = report.channels.map((c) => c.channel ?? '(none)');
  const table = dataTable<FunnelStepRow>({
    id: 'funnel', title: `Funnel: ${report.funnel.name}`, rows: report.rows, csvHref, empty: 'No steps.',
    controls: h('span', { class: 'panel-selects' }, funnelSelect, unitSelect),
    share: (r) => (first > 0 ? r.count / first : 0),
    columns: [
      { label: 'Step', render: (r) => `${r.step}. ${r.goal}` },
      { label: report.unit === 'session' ? 'Sessions' : 'Visitors', numeric: true, render: (r) => fmt.count(r.count) },
      { label: 'Of entries', numeric: true, render: (r) => rate(r.conversion_rate) },
      { label: 'Of previous', numeric: true, render: (r) => rate(r.step_rate) },
      ...channels.map((c) => ({ label: c === '(none)' ? c : fmt.channel(c), numeric: true, render: (r: FunnelStepRow) => fmt.count(Number(r[c] ?? 0)) })),
    ],
  });
  table.append(h('p', { class: 'muted note' }, `Each step counts within ${report.funnel.window} of the first, in order; channels are the entry session's.`));
  return table;
}
