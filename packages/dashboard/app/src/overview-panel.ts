// The overview: metric cards (each one picks what the chart shows) and the time-series chart with its CSV export.
import type { Overview, SeriesPoint } from './api-types.js';
import { fmt, h } from './dom.js';
import { seriesChart } from './series-chart.js';

export type Metric = 'visitors' | 'sessions' | 'events' | 'conversions' | 'revenue';

const CARDS: ReadonlyArray<{ metric: Metric | null; label: string; value: (o: Overview) => string }> = [
  { metric: 'visitors', label: 'Visitors', value: (o) => fmt.count(o.stats.visitors) },
  { metric: 'sessions', label: 'Sessions', value: (o) => fmt.count(o.stats.sessions) },
  { metric: 'events', label: 'Events', value: (o) => fmt.count(o.stats.events) },
  { metric: 'conversions', label: 'Conversions', value: (o) => fmt.count(o.stats.conversions) },
  { metric: 'revenue', label: 'Revenue', value: (o) => fmt.money(o.stats.revenue) },
  { metric: null, label: 'Sessions / visitor', value: (o) => fmt.decimal(o.sessions_per_visitor) },
];

export interface OverviewPanel {
  element: HTMLElement;
  destroy(): void;
}

export function overviewPanel(
  overview: Overview,
  metric: Metric,
  csvHref: string,
  onMetric: (m: Metric) => void,
): OverviewPanel {
  const cards = h(
    'div',
    { class: 'cards', id: 'cards' },
    ...CARDS.map((card) => {
      const body = [
        h('span', { class: 'card-label' }, card.label),
        h('span', { class: 'card-value', 'data-metric': card.label }, card.value(overview)),
      ];
      if (card.metric === null) return h('div', { class: 'card static' }, ...body);
      const chosen = card.metric;
      return h(
        'button',
        {
          type: 'button',
          class: `card${chosen === metric ? ' active' : ''}`,
          'aria-pressed': String(chosen === metric),
          onclick: () => onMetric(chosen),
        },
        ...body,
      );
    }),
  );
  const chartEl = h('div', { class: 'chart', id: 'chart' });
  const label = CARDS.find((c) => c.metric === metric)?.label ?? metric;
  const panel = h(
    'section',
    { class: 'panel', id: 'overview' },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', {}, `${label} per ${overview.bucket}`),
      h(
        'div',
        { class: 'panel-tools' },
        h('a', { class: 'csv', href: csvHref, download: '', 'data-csv': 'overview' }, 'CSV'),
      ),
    ),
    chartEl,
  );
  const element = h('div', {}, cards, panel);
  let destroyChart: (() => void) | null = null;
  // The chart measures its container, so it is drawn once the panel is in the document.
  requestAnimationFrame(() => {
    if (!chartEl.isConnected) return;
    destroyChart = seriesChart(chartEl, {
      label,
      hourly: overview.bucket === 'hour',
      times: overview.series.map((p: SeriesPoint) => p.at),
      values: overview.series.map((p) => p[metric]),
    });
  });
  return { element, destroy: () => destroyChart?.() };
}
