// Renders bench/peer-sdks.mjs's result: Touchline beside the peers' Node SDKs on one app, per request, in one run.
import { int, machineLine, when } from '../format.mjs';

const LABELS = {
  bare: 'bare',
  floor: 'floor (ALS + 1 Set-Cookie)',
  touchline: 'Touchline',
  posthog: 'posthog-node',
  segment: '@segment/analytics-node',
  sdk: 'Touchline, non-default maxQueueItems 200,000 and batch.maxItems 500',
};

/** bench/peer-sdks.mjs: medians over alternated rounds; the CPU ratio is bare's CPU per request over the row's, within the same app. */
export function renderPeerSdks([r]) {
  const s = r.settings;
  const bareCpu = Object.fromEntries(
    r.rows.filter((x) => x.mode === 'bare').map((x) => [x.app, x.cpuMicrosPerRequest]),
  );
  const lines = [
    `Run ${when(r.date)}-${when(r.ended).slice(11)} UTC, ${machineLine(r)}; the app on Node ${s.node}. ` +
      `\`node bench/peer-sdks.mjs --seconds ${s.seconds} --rounds ${s.rounds}${s.nodeFlag === null ? '' : ` --node ${s.nodeFlag}`}\`: ` +
      `modes ${s.modes.join(', ')}; 1 ms app: ${s.busyModes.length === 0 ? 'not run' : s.busyModes.join(', ')}; autocannon ${s.connections} connections. ` +
      'Every SDK at its default settings unless its row says otherwise.',
    '',
    '| app | SDK | req/s | ratio to bare (per round) | CPU µs/request | CPU ratio | p99 ms | delivered / navigations |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.app} | ${LABELS[x.mode] ?? x.mode} | ${x.rps} | ${x.ratio.toFixed(2)}${x.mode === 'bare' ? '' : ` (${x.ratios.map((n) => n.toFixed(2)).join(', ')})`} ` +
        `| ${x.cpuMicrosPerRequest.toFixed(1)} | ${(bareCpu[x.app] / x.cpuMicrosPerRequest).toFixed(2)} | ${x.p99} | ${
          x.delivered === '-'
            ? '-'
            : x.delivered
                .split('/')
                .map((n) => int(Number(n)))
                .join(' / ')
        } |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
