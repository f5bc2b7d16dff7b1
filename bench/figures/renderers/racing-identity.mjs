// Renders bench/racing-identity.mjs's result: resolveIdentity per settled navigation with and without the minted-id cookies.
import { machineLine, nonDefault, when } from '../format.mjs';

/** bench/racing-identity.mjs: nanoseconds per navigation and the same-round ratio to the jar without minted-id cookies. */
export function renderRacingIdentity(r) {
  const s = r.settings;
  const us = (ns) => (ns / 1000).toFixed(1);
  const lines = [
    `Run ${when(r.date)} UTC, ${machineLine(r)}. \`resolveIdentity\` in process on one settled navigation, ` +
      `${s.rounds - s.warmupRounds} interleaved rounds of ${s.callsPerRound.toLocaleString('en-US')} calls per cookie jar ` +
      `(the first ${s.warmupRounds} dropped); medians, the ratio the median of same-round ratios (range in brackets). ` +
      `Settings that differ from the bench's defaults: ${nonDefault(r.settings, r.defaults)}.`,
    '',
    '| cookie jar | µs per navigation | ratio to the first row |',
    '|---|---|---|',
    ...r.jars.map(
      (j) =>
        `| ${j.name} | ${us(j.nsPerNavigation)} | ${j.ratio.toFixed(2)} (${j.ratioRange[0].toFixed(2)}-${j.ratioRange[1].toFixed(2)}) |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
