// The funnels panel: pick a funnel, see how many visitors (or sessions) reached each step, overall and by entry channel.
import type { FunnelList, FunnelReport, FunnelStepRow } from './api-types.js';
import { dataTable } from './data-table.js';
import { fmt, h } from './dom.js';

export interface FunnelChoice {
  funnelId: string;
  unit: string;
}

function select(
  id: string,
  label: string,
  options: ReadonlyArray<{ value: string; label: string }>,
  value: string,
  onChange: (v: string) => void,
): HTMLSelectElement {
  const el = h(
    'select',
    { id, 'aria-label': label },
    ...options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

const rate = (n: number | null): string => (n === null ? '—' : fmt.percent(n));

/** What "New funnel" sends: steps as (kind, match) pairs; the server reuses or creates their goals. */
export interface NewFunnel {
  name: string;
  window: string;
  steps: Array<{ kind: string; match: string }>;
}

/** "New funnel": a name, a window and one step per line ("pageview /product/*", "event add_to_cart", "conversion purchase"). */
function newFunnelForm(create: (f: NewFunnel) => Promise<void>): HTMLElement {
  const name = h('input', {
    id: 'new-funnel-name',
    'aria-label': 'Funnel name',
    placeholder: 'Name',
    required: true,
  }) as HTMLInputElement;
  const window = h('input', {
    id: 'new-funnel-window',
    'aria-label': 'Window',
    placeholder: '7d',
    size: 4,
  }) as HTMLInputElement;
  const steps = h('textarea', {
    id: 'new-funnel-steps',
    'aria-label': 'Steps, one per line',
    rows: 3,
    placeholder: 'pageview /product/*\nevent add_to_cart\nconversion purchase',
  }) as HTMLTextAreaElement;
  const error = h('p', { class: 'error', id: 'new-funnel-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'new-funnel' },
    name,
    window,
    steps,
    h('button', { type: 'submit' }, 'Create'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const parsed = steps.value
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const space = l.indexOf(' ');
        return space < 0 ? { kind: l, match: '' } : { kind: l.slice(0, space), match: l.slice(space + 1).trim() };
      });
    error.textContent = '';
    create({ name: name.value, window: window.value.trim(), steps: parsed }).catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  return h('details', { class: 'new-funnel-box' }, h('summary', {}, 'New funnel'), form);
}

/** `report` is null when the account has no funnels yet: the panel says how to define one. `create` is null for viewers (no form). */
export function funnelPanel(
  list: FunnelList,
  report: FunnelReport | null,
  choice: FunnelChoice,
  csvHref: string,
  onChange: (c: FunnelChoice) => void,
  create: ((f: NewFunnel) => Promise<void>) | null,
): HTMLElement {
  if (report === null) {
    return h(
      'section',
      { class: 'panel', id: 'funnel' },
      h('header', { class: 'panel-head' }, h('h2', {}, 'Funnel')),
      h(
        'p',
        { class: 'empty' },
        'No funnels yet. Create one below, or with the API (POST /api/v1/goals, /api/v1/funnels); see the README, "Goals and funnels".',
      ),
      create === null ? null : newFunnelForm(create),
    );
  }
  const funnelSelect = select(
    'funnel-select',
    'Funnel',
    list.funnels.map((f) => ({ value: f.id, label: `${f.name} (${f.window})` })),
    report.funnel.id,
    (v) => onChange({ ...choice, funnelId: v }),
  );
  const unitSelect = select(
    'funnel-unit',
    'Count',
    [
      { value: 'visitor', label: 'Visitors' },
      { value: 'session', label: 'Sessions' },
    ],
    choice.unit,
    (v) => onChange({ ...choice, unit: v }),
  );
  const first = report.rows[0]?.count ?? 0;
  const channels = report.channels.map((c) => c.channel ?? '(none)');
  const table = dataTable<FunnelStepRow>({
    id: 'funnel',
    title: `Funnel: ${report.funnel.name}`,
    rows: report.rows,
    csvHref,
    empty: 'No steps.',
    controls: h('span', { class: 'panel-selects' }, funnelSelect, unitSelect),
    share: (r) => (first > 0 ? r.count / first : 0),
    columns: [
      { label: 'Step', render: (r) => `${r.step}. ${r.goal}` },
      { label: report.unit === 'session' ? 'Sessions' : 'Visitors', numeric: true, render: (r) => fmt.count(r.count) },
      { label: 'Of entries', numeric: true, render: (r) => rate(r.conversion_rate) },
      { label: 'Of previous', numeric: true, render: (r) => rate(r.step_rate) },
      ...channels.map((c) => ({
        label: c === '(none)' ? c : fmt.channel(c),
        numeric: true,
        render: (r: FunnelStepRow) => fmt.count(Number(r[c] ?? 0)),
      })),
    ],
  });
  table.append(
    h(
      'p',
      { class: 'muted note' },
      `Each step counts within ${report.funnel.window} of the first, in order; channels are the entry session's.`,
    ),
    create === null ? '' : newFunnelForm(create),
  );
  return table;
}
