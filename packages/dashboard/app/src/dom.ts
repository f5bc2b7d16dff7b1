// DOM building and formatting helpers: text always goes in as text nodes, never as HTML (collected data is untrusted).

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | boolean | number | ((event: Event) => void) | undefined>;

/** Creates `<tag>` with attributes (on* keys become listeners) and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren(
    ...children
      .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
      .map((c) => (typeof c === 'object' ? c : String(c))),
  );
}

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const fmt = {
  /** A channel id as people read it: paid_search -> Paid search (CSV exports keep the id). */
  channel: (id: string | null | undefined): string =>
    typeof id !== 'string' || id.length === 0 ? '' : `${id.charAt(0).toUpperCase()}${id.slice(1).replace(/_/g, ' ')}`,
  count: (n: number): string => (Math.abs(n) >= 100_000 ? compact.format(n) : integer.format(n)),
  decimal: (n: number | null): string => (n === null ? '—' : decimal.format(n)),
  money: (n: number | null): string => (n === null ? '—' : money.format(n)),
  percent: (n: number): string => `${decimal.format(n * 100)}%`,
  time: (iso: string): string => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }),
  /** A time of day for today, else a short date and time. */
  clock: (iso: string): string => {
    const d = new Date(iso);
    return d.toDateString() === new Date().toDateString()
      ? d.toLocaleTimeString('en-GB')
      : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  },
};
