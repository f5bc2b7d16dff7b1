// Renders bench/next-overhead.mjs's result: `next start` with the Touchline proxy, an empty proxy and none, per page.
import { machineLine } from '../format.mjs';

/** bench/next-overhead.mjs: `next start` with the Touchline proxy, an empty proxy and none, per page: requests/s, ratios, CPU per request. */
export function renderNextOverhead(r) {
  const s = r.settings;
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const lines = [
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${machineLine(r)} (at each round: ${r.machine.load1PerRound.map((l) => l.toFixed(1)).join(', ')}). ` +
      `Next.js ${s.next}, \`examples/${s.example}\` \`${s.proxyFile}\` (${s.runtime} runtime); ${s.rounds} rotated rounds of ${s.seconds} s per page ` +
      `and variant, ${s.connections} connections; ${n(r.delivery.deliveredItems)} items reached the collector stand-in for ` +
      `${n(r.delivery.proxiedRequests)} proxied loads. Ratios are medians of same-round ratios (range in brackets).`,
    '',
    '| page | req/s with | req/s empty | req/s without | with/without | empty/without | with/empty | CPU µs/req with / empty / without | target (with/without) | |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| \`${x.page}\` | ${n(x.rpsWith)} | ${n(x.rpsEmpty)} | ${n(x.rpsWithout)} | ${x.ratio.toFixed(2)} (${x.ratioMin.toFixed(2)}-${x.ratioMax.toFixed(2)}) | ` +
        `${x.emptyRatio.toFixed(2)} | ${x.touchlineRatio.toFixed(2)} | ${n(x.cpuMicrosWith)} / ${n(x.cpuMicrosEmpty)} / ${n(x.cpuMicrosWithout)} | ` +
        `>= ${x.target} | ${x.pass ? 'ok' : 'MISSED'} |`,
    ),
    '',
    `\`touchlineNext\` by itself, called in the bench's process with the same requests: ${r.inProcess.touchlineMicros.toFixed(0)} µs per request ` +
      `(delivery to a stub included), against ${r.inProcess.floorMicros.toFixed(0)} µs for a function that only returns the continue Response.`,
  ];
  return `${lines.join('\n')}\n`;
}
