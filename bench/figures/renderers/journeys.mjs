// Renders bench/journeys.mjs's result: per-journey models read live against materialized journeys, the refresher's build, and ingest's cost of the marks.
import { int, machineLine, ms, nonDefault, when } from '../format.mjs';

/**
 * bench/journeys.mjs: p50 / p95 per model live and materialized (same-run alternating), the refresher, one journey,
 * ingest. One result, or a reads run and an `--ingest-only` run (the block names both files; each run's line is kept).
 */
export function renderJourneys(results) {
  const r = results.find((x) => x.reads !== null) ?? results[0];
  const reads = r.reads;
  const ingestRun = results.find((x) => x.ingest !== null) ?? null;
  const ingest = ingestRun?.ingest ?? null;
  const lines = [
    `Run ${when(r.date)} UTC, ${machineLine(r)}. ${r.dialect}, in process, read + journeys + model over a 30-day window, ` +
      `lookback ${r.settings.lookback} d, ${r.settings.rounds} alternating runs per arm, answers checked equal. ` +
      `Settings that differ from the bench's defaults: ${nonDefault(r.settings, r.defaults)}.`,
  ];
  if (reads !== null) {
    const f = reads.refresher;
    lines.push(
      '',
      `Before any refresh (every visitor marked) the linear read took ${ms(reads.pendingRead.ms)} ms (${int(reads.pendingRead.sessions)} sessions, exact through the live walk); ` +
        `the refresher then built ${int(f.conversions)} conversions' journeys for ${int(f.visitors)} marked visitors in ${int(f.steps)} steps, ${f.seconds.toFixed(1)} s.`,
      '',
      '| model | live p50 / p95 ms | materialized p50 / p95 ms | p50 live / materialized |',
      '|---|---|---|---|',
      ...Object.entries(reads.models).map(
        ([model, m]) =>
          `| ${model} | ${ms(m.live.p50)} / ${ms(m.live.p95)} | ${ms(m.materialized.p50)} / ${ms(m.materialized.p95)} | ${(m.live.p50 / m.materialized.p50).toFixed(2)} |`,
      ),
      `| one conversion's journey (${reads.oneJourney.conversions} conversions) | | ${ms(reads.oneJourney.p50)} / ${ms(reads.oneJourney.p95)} | |`,
    );
  }
  lines.push(
    '',
    ingest === null
      ? "Ingest's cost of the marks was not measured in this run (it needs `--base-storage`, a build without them)."
      : `${ingestRun === r ? '' : `Ingest run ${when(ingestRun.date)} UTC, ${machineLine(ingestRun)}, ${ingestRun.settings.rounds} alternating runs per arm: `}` +
          `\`applyProcessed\` of ${int(ingest.itemsPerRun)} items a run, ${int(ingest.without)} items/s with the base build (\`--base-storage\`, without the marks), ` +
          `${int(ingest.with)} with this one (${(ingest.with / ingest.without).toFixed(2)}).`,
  );
  return `${lines.join('\n')}\n`;
}
