// Renders bench/first-request.mjs's result: the first read after `touchline serve` starts, two sides (builds or settings) alternating.
import { int, machineLine, ms, when } from '../format.mjs';

const range = (f) => `${ms(f.median)} (${ms(f.min)}-${ms(f.max)})`;

/** bench/first-request.mjs: per side, medians (and ranges) over its starts; B/A of the medians. */
export function renderFirstRequest(r) {
  const d = r.data;
  const side = (s) =>
    `${s.label}${
      Object.keys(s.env).length
        ? ` (${Object.entries(s.env)
            .map(([k, v]) => `\`${k}=${v}\``)
            .join(', ')})`
        : ''
    }`;
  const row = (name, f) =>
    `| ${name} | ${range(r.A[f])} | ${range(r.B[f])} | ${(r.B[f].median / r.A[f].median).toFixed(2)} |`;
  const lines = [
    `Run ${when(r.date)} UTC, ${machineLine(r)}. ${r.settings.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, \`touchline demo\` ${d.days} days x ${int(d.sessionsPerDay)} sessions/day ` +
      `(${d.mix} mix): ${int(d.items)} items. ${r.settings.starts} starts of each side, alternating; the first read ` +
      `(\`${r.settings.request}\`) sent ${r.settings.waitMs === 0 ? 'as soon as `listening` was printed' : `${r.settings.waitMs} ms after \`listening\``}. ` +
      `A: ${side(r.A)}; B: ${side(r.B)}.`,
    '',
    '| per start, ms: median (range) | A | B | B/A |',
    '|---|---|---|---|',
    row('spawn -> `listening` printed', 'listenMs'),
    row('first read', 'firstMs'),
    row('spawn -> first read answered', 'answeredMs'),
    row('the same read again', 'secondMs'),
    row('`GET /healthz` beside the first read', 'healthMs'),
    row('1-item batch beside the first read', 'batchMs'),
  ];
  return `${lines.join('\n')}\n`;
}
