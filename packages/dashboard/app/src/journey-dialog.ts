// One conversion's journey: its touchpoints in order and the credit each per-journey model gives each channel.
import { apiUrl, getJson, type Params } from './api.js';
import type { Journey } from './api-types.js';
import { dataTable } from './data-table.js';
import { fmt, h } from './dom.js';

const MODEL_COLUMNS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
] as const;

function timeline(journey: Journey): HTMLElement {
  if (journey.touchpoints.length === 0)
    return h('p', { class: 'empty' }, `No sessions in the ${journey.lookback_days} days before this conversion.`);
  return h(
    'ol',
    { class: 'timeline' },
    ...journey.touchpoints.map((t) =>
      h(
        'li',
        {},
        h('span', { class: 'chip' }, fmt.channel(t.channel)),
        h('span', { class: 'muted' }, fmt.time(t.time)),
        t.campaign ? h('span', { class: 'muted' }, ` · ${t.campaign}`) : null,
      ),
    ),
    h(
      'li',
      { class: 'goal' },
      h('span', { class: 'chip goal' }, 'conversion'),
      h('span', { class: 'muted' }, fmt.time(journey.conversion.time)),
    ),
  );
}

export async function openJourney(conversionId: string, params: Params): Promise<void> {
  const path = `conversions/${encodeURIComponent(conversionId)}/journey`;
  const journey = await getJson<Journey>(path, params);
  const credits = dataTable<Record<string, string | number>>({
    id: 'journey-credits',
    title: 'Credit by model',
    rows: journey.credits,
    empty: 'No channels to credit.',
    csvHref: apiUrl(path, { ...params, format: 'csv', table: 'credits' }),
    columns: [
      { label: 'Channel', render: (r) => fmt.channel(String(r.channel)) },
      ...MODEL_COLUMNS.map((m) => ({
        label: fmt.channel(m),
        numeric: true,
        render: (r: Record<string, string | number>) => fmt.percent(Number(r[m] ?? 0)),
      })),
    ],
  });
  const touchpoints = dataTable<Journey['touchpoints'][number]>({
    id: 'journey-touchpoints',
    title: 'Touchpoints',
    rows: journey.touchpoints,
    empty: 'No touchpoints.',
    csvHref: apiUrl(path, { ...params, format: 'csv', table: 'touchpoints' }),
    columns: [
      { label: '#', numeric: true, render: (r) => String(r.step) },
      { label: 'Time', render: (r) => fmt.time(r.time) },
      { label: 'Channel', render: (r) => fmt.channel(r.channel) },
      { label: 'Campaign', render: (r) => r.campaign ?? '' },
    ],
  });
  const close = h('button', { type: 'button', class: 'ghost', 'aria-label': 'Close' }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'journey', id: 'journey' },
    h('header', { class: 'panel-head' }, h('h2', {}, 'Conversion journey'), close),
    h(
      'p',
      { class: 'muted' },
      `Conversion ${journey.conversion.id} · visitor ${journey.conversion.visitor_id} · `,
      `${fmt.time(journey.conversion.time)} · revenue ${fmt.money(journey.conversion.revenue)} · lookback ${journey.lookback_days} days`,
    ),
    timeline(journey),
    credits,
    touchpoints,
  );
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
