// The signed-in dashboard: header controls (account, range, sign out) and every panel, reloaded when a control changes.
import { apiUrl, getJson, postJson, type Params } from './api.js';
import { MODELS, type AccountList, type Channels, type ConversionRow, type Integrity, type Overview, type Rows, type TopRow } from './api-types.js';
import { customRange, dayOf, presetRange, PRESETS, type DateRange, type Preset } from './date-range.js';
import { dataTable } from './data-table.js';
import { fmt, h, replaceChildren } from './dom.js';
import { integrityPanel } from './integrity-panel.js';
import { openJourney } from './journey-dialog.js';
import { liveFeed, type LiveFeed } from './live-feed.js';
import { overviewPanel, type Metric, type OverviewPanel } from './overview-panel.js';

interface State { accountId: string; range: DateRange; model: string; metric: Metric }

function select(id: string, label: string, options: ReadonlyArray<{ value: string; label: string }>, value: string, onChange: (v: string) => void): HTMLElement {
  const el = h('select', { id, 'aria-label': label }, ...options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

const share = (value: number, total: number): number => (total > 0 ? value / total : 0);

function topTable(id: string, title: string, key: 'landing_page' | 'referrer', rows: TopRow[], csvHref: string): HTMLElement {
  const total = rows.reduce((m, r) => Math.max(m, r.sessions), 0);
  return dataTable<TopRow>({
    id, title, rows, csvHref, empty: 'Nothing in this range.', share: (r) => share(r.sessions, total),
    columns: [{ label: key === 'landing_page' ? 'Page' : 'Referrer', render: (r) => r[key] ?? '' },
      { label: 'Sessions', numeric: true, render: (r) => fmt.count(r.sessions) }, { label: 'Visitors', numeric: true, render: (r) => fmt.count(r.visitors) }],
  });
}

export async function dashboardView(root: HTMLElement, csrfToken: string, onSignedOut: () => void): Promise<void> {
  const { accounts } = await getJson<AccountList>('accounts');
  const state: State = { accountId: accounts[0]?.id ?? '', range: presetRange('30d', Date.now()), model: 'linear', metric: 'visitors' };
  const main = h('main', { class: 'content', id: 'content' });
  const rangeBox = h('div', { class: 'range' });
  let feed: LiveFeed | null = null;
  let overview: OverviewPanel | null = null;
  let generation = 0;

  const params = (): Params => ({ account: state.accountId, from: state.range.from, to: state.range.to });
  const csv = (path: string, extra: Params = {}): string => apiUrl(path, { ...params(), ...extra, format: 'csv' });

  const load = async (): Promise<void> => {
    const mine = ++generation;
    main.setAttribute('aria-busy', 'true');
    const p = params();
    const [ov, channels, pages, referrers, conversions, integrity] = await Promise.all([
      getJson<Overview>('overview', p), getJson<Channels>('channels', { ...p, model: state.model }),
      getJson<Rows<TopRow>>('landing-pages', p), getJson<Rows<TopRow>>('referrers', p),
      getJson<Rows<ConversionRow>>('conversions', p), getJson<Integrity>('integrity', p),
    ]);
    if (mine !== generation) return;
    overview?.destroy();
    overview = overviewPanel(ov, state.metric, csv('overview'), (m) => { state.metric = m; void load(); });
    const channelTotal = channels.rows.reduce((m, r) => Math.max(m, r.conversions), 0);
    const modelSelect = select('model', 'Attribution model', MODELS, state.model, (v) => { state.model = v; void load(); });
    feed?.stop();
    feed = liveFeed(state.accountId);
    replaceChildren(main, overview.element,
      h('div', { class: 'grid two' },
        dataTable({ id: 'channels', title: 'Channels', rows: channels.rows, controls: modelSelect, csvHref: csv('channels', { model: state.model }),
          empty: 'No conversions in this range.', share: (r) => share(r.conversions, channelTotal),
          columns: [{ label: 'Channel', render: (r) => r.channel }, { label: 'Conversions', numeric: true, render: (r) => fmt.decimal(r.conversions) },
            { label: 'Revenue', numeric: true, render: (r) => fmt.money(r.revenue) }] }),
        integrityPanel(integrity, csv('integrity'))),
      h('div', { class: 'grid two' }, topTable('landing-pages', 'Top landing pages', 'landing_page', pages.rows, csv('landing-pages')),
        topTable('referrers', 'Top referrers', 'referrer', referrers.rows, csv('referrers'))),
      h('div', { class: 'grid two' },
        dataTable({ id: 'conversions', title: 'Conversions', rows: conversions.rows, csvHref: csv('conversions'), empty: 'No conversions in this range.',
          onRowClick: (r) => { void openJourney(r.id, { account: state.accountId }); },
          columns: [{ label: 'Time', render: (r) => fmt.time(r.time) }, { label: 'Name', render: (r) => r.name },
            { label: 'Revenue', numeric: true, render: (r) => fmt.money(r.revenue) }, { label: '', render: () => h('span', { class: 'link' }, 'Journey →') }] }),
        feed.element));
    main.removeAttribute('aria-busy');
  };
  const reload = (): void => { load().catch((e: unknown) => replaceChildren(main, h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)))); };

  const renderRange = (): void => {
    const presetSelect = select('range', 'Date range', PRESETS, state.range.preset, (v) => {
      if (v === 'custom') { state.range = { ...state.range, preset: 'custom' }; renderRange(); return; }
      state.range = presetRange(v as Exclude<Preset, 'custom'>, Date.now());
      renderRange();
      reload();
    });
    if (state.range.preset !== 'custom') { replaceChildren(rangeBox, presetSelect); return; }
    const fromInput = h('input', { type: 'date', id: 'range-from', 'aria-label': 'From', value: dayOf(state.range.from) });
    const toInput = h('input', { type: 'date', id: 'range-to', 'aria-label': 'To', value: dayOf(state.range.to - 1) });
    const apply = (): void => {
      const range = customRange(fromInput.value, toInput.value);
      if (range !== null) { state.range = range; reload(); }
    };
    fromInput.addEventListener('change', apply);
    toInput.addEventListener('change', apply);
    replaceChildren(rangeBox, presetSelect, fromInput, toInput);
  };
  renderRange();

  const accountSelect = select('account', 'Account', accounts.map((a) => ({ value: a.id, label: a.name })), state.accountId, (v) => { state.accountId = v; reload(); });
  const signOut = h('button', { type: 'button', class: 'ghost', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => {
    feed?.stop();
    postJson('logout', {}, csrfToken).finally(onSignedOut);
  });
  const header = h('header', { class: 'topbar' }, h('div', { class: 'brand' }, h('span', { class: 'logo' }), 'Touchline'),
    h('div', { class: 'controls' }, accounts.length > 0 ? accountSelect : null, rangeBox, signOut));
  replaceChildren(root, header, main);
  if (accounts.length === 0) {
    replaceChildren(main, h('section', { class: 'panel' }, h('h2', {}, 'No accounts yet'),
      h('p', {}, 'Create an account and an API key with `touchline keys create --account NAME`, send some traffic, then reload.')));
    return;
  }
  reload();
}
