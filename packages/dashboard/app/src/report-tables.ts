// The dashboard's report tables: channels under a model, top landing pages, referrers and utm values, and the conversion list.
import type { ChannelRow, ConversionRow, TopRow } from './api-types.js';
import { dataTable } from './data-table.js';
import { fmt, h } from './dom.js';

const share = (value: number, max: number): number => (max > 0 ? value / max : 0);
const num = (v: string | number | null | undefined): number | null => (typeof v === 'number' ? v : null);

/** Credit by channel, or by a breakdown (`grouping`: its API name and label); a row without a value shows "(none)". */
export function channelsTable(
  rows: ChannelRow[],
  grouping: { value: string; label: string },
  withSpend: boolean,
  csvHref: string,
  controls: HTMLElement,
): HTMLElement {
  const max = rows.reduce((m, r) => Math.max(m, r.conversions), 0);
  const byChannel = grouping.value === 'channel';
  const label = (r: ChannelRow): string => {
    const v = r[grouping.value];
    if (v === null || v === undefined || v === '') return '(none)';
    return byChannel ? fmt.channel(String(v)) : String(v);
  };
  return dataTable<ChannelRow>({
    id: 'channels',
    title: byChannel ? 'Channels' : `By ${grouping.label.toLowerCase()}`,
    rows,
    controls,
    csvHref,
    empty: 'No conversions in this range.',
    share: (r) => share(r.conversions, max),
    columns: [
      { label: grouping.label, render: label },
      { label: 'Conversions', numeric: true, render: (r) => fmt.decimal(r.conversions) },
      { label: 'Revenue', numeric: true, render: (r) => fmt.money(r.revenue) },
      // With imported spend: what each row cost and returned (— where it had no spend).
      ...(withSpend
        ? [
            { label: 'Cost', numeric: true, render: (r: ChannelRow) => fmt.money(num(r.cost)) },
            { label: 'ROAS', numeric: true, render: (r: ChannelRow) => fmt.decimal(num(r.roas)) },
          ]
        : []),
    ],
  });
}

/** A top list's value column: its key in the rows and its heading. */
const TOP_LABELS = {
  landing_page: 'Page',
  referrer: 'Referrer',
  utm_campaign: 'Campaign',
  utm_source: 'Source',
  utm_medium: 'Medium',
} as const;

export function topTable(
  id: string,
  title: string,
  key: keyof typeof TOP_LABELS,
  rows: TopRow[],
  csvHref: string,
): HTMLElement {
  const max = rows.reduce((m, r) => Math.max(m, r.sessions), 0);
  return dataTable<TopRow>({
    id,
    title,
    rows,
    csvHref,
    empty: 'Nothing in this range.',
    share: (r) => share(r.sessions, max),
    columns: [
      { label: TOP_LABELS[key], render: (r) => r[key] ?? '' },
      { label: 'Sessions', numeric: true, render: (r) => fmt.count(r.sessions) },
      { label: 'Visitors', numeric: true, render: (r) => fmt.count(r.visitors) },
    ],
  });
}

export function conversionsTable(
  rows: ConversionRow[],
  csvHref: string,
  onOpen: (row: ConversionRow) => void,
): HTMLElement {
  return dataTable<ConversionRow>({
    id: 'conversions',
    title: 'Conversions',
    rows,
    csvHref,
    empty: 'No conversions in this range.',
    onRowClick: onOpen,
    columns: [
      { label: 'Time', render: (r) => fmt.time(r.time) },
      { label: 'Name', render: (r) => r.name },
      { label: 'Revenue', numeric: true, render: (r) => fmt.money(r.revenue) },
      { label: '', render: () => h('span', { class: 'link' }, 'Journey →') },
    ],
  });
}
