// The model comparison panel: every group's credit under all eight models side by side, with what each model does.
import type { Comparison } from './api-types.js';
import { dataTable } from './data-table.js';
import { fmt, h } from './dom.js';

type Group = Comparison['groups'][number];

/** Rows by channel (or the breakdown's values); each cell shows credited conversions and, under them, revenue. */
export function comparePanel(
  data: Comparison,
  grouping: { value: string; label: string },
  csvHref: string,
): HTMLElement {
  const label = (g: Group): string =>
    g.group === null || g.group === '' ? '(none)' : grouping.value === 'channel' ? fmt.channel(g.group) : g.group;
  const panel = dataTable<Group>({
    id: 'compare',
    title: 'Models compared',
    rows: data.groups,
    csvHref,
    empty: 'No conversions in this range.',
    columns: [
      { label: grouping.label, render: label },
      ...data.models.map((m) => ({
        label: m.model.replace(/_/g, ' '),
        numeric: true,
        render: (g: Group) => {
          const c = g.credit[m.model] ?? { conversions: 0, revenue: 0 };
          return h(
            'span',
            { class: 'pair', title: m.explanation },
            fmt.decimal(c.conversions),
            h('small', { class: 'muted' }, fmt.money(c.revenue)),
          );
        },
      })),
    ],
  });
  panel.append(
    h(
      'dl',
      { class: 'legend' },
      ...data.models.flatMap((m) => [h('dt', {}, m.model.replace(/_/g, ' ')), h('dd', {}, m.explanation)]),
    ),
  );
  return panel;
}
