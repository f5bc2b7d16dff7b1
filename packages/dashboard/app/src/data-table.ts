// A titled table panel with a CSV export link; optional proportional bars make the top rows readable at a glance.
import { h } from './dom.js';

export interface Column<R> {
  label: string;
  numeric?: boolean;
  render: (row: R) => string | Node;
}

export interface TableSpec<R> {
  id: string;
  title: string;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
  /** The CSV download of exactly this table. */
  csvHref: string;
  empty: string;
  /** A 0..1 share per row drawn as a bar behind the first cell. */
  share?: (row: R) => number;
  onRowClick?: (row: R) => void;
  /** Extra controls beside the title (e.g. the model switcher). */
  controls?: Node;
}

/** A cell's content; a value the column cannot render shows as a dash, so one bad stored value never blanks the table. */
function renderCell<R>(column: Column<R>, row: R): string | Node {
  try {
    return column.render(row);
  } catch {
    return '—';
  }
}

export function dataTable<R>(spec: TableSpec<R>): HTMLElement {
  const head = h('tr', {}, ...spec.columns.map((c) => h('th', { class: c.numeric ? 'num' : '' }, c.label)));
  const body = spec.rows.map((row) => {
    const cells = spec.columns.map((c, i) => {
      if (i !== 0 || !spec.share) return h('td', { class: c.numeric ? 'num' : '' }, renderCell(c, row));
      const content = renderCell(c, row);
      const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.width = `${(Math.max(0, Math.min(1, spec.share(row))) * 100).toFixed(1)}%`;
      return h(
        'td',
        { class: 'bar-cell', title: typeof content === 'string' ? content : undefined },
        bar,
        h('span', { class: 'bar-label' }, content),
      );
    });
    const tr = h('tr', {}, ...cells);
    if (spec.onRowClick) {
      const open = (): void => spec.onRowClick?.(row);
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') open();
      });
    }
    return tr;
  });
  const table =
    spec.rows.length === 0
      ? h('p', { class: 'empty' }, spec.empty)
      : h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, head), h('tbody', {}, ...body)));
  return h(
    'section',
    { class: 'panel', id: spec.id },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', {}, spec.title),
      h(
        'div',
        { class: 'panel-tools' },
        spec.controls ?? null,
        h('a', { class: 'csv', href: spec.csvHref, download: '', 'data-csv': spec.id }, 'CSV'),
      ),
    ),
    table,
  );
}
