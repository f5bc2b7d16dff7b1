// Renders bench/conversion-uploads.mjs's result: one delivery pass's reads and writes against the journey API's read and bare posting.
import { int, machineLine, ms, nonDefault, when } from '../format.mjs';

/** bench/conversion-uploads.mjs: gather per conversion, whole pass against bare posting, the pass's SQLite writes. */
export function renderConversionUploads(r) {
  const t = r.ms;
  const lines = [
    `Run ${when(r.date)} UTC, ${machineLine(r)}. SQLite, ${int(r.data.visitors)} visitors, ${int(r.data.sessions)} sessions, ` +
      `${int(r.data.conversions)} conversions; one pass of ${int(r.pass.conversions)} conversions (${int(r.pass.sent)} with a gclid sent, ` +
      `${int(r.pass.skipped)} logged skipped) to a local endpoint that answers 200 at once. Settings that differ from the bench's defaults: ` +
      `${nonDefault(r.settings, r.defaults)}.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| gather: journeys and payloads, per conversion (on a read thread in the collector) | ${(t.gather / r.pass.conversions).toFixed(3)} ms |`,
    `| gather / the journey API's own read (\`personSessions\`) of the same conversions | ${(t.gather / t.journeyRead).toFixed(2)}x |`,
    `| whole pass (queue, claim, requests, record) / the same requests posted bare | ${(t.pass / t.bare).toFixed(2)}x (${ms(t.pass)} / ${ms(t.bare)} ms) |`,
    `| conversions per second through a whole pass | ${int(r.pass.conversions / (t.pass / 1000))} |`,
    `| SQLite writes, one transaction each: queue ${int(r.rows.enqueued)} rows / claim ${int(r.rows.claimed)} / record ${int(r.rows.recorded)} | ` +
      `${ms(t.enqueue)} / ${ms(t.claim)} / ${ms(t.record)} ms |`,
  ];
  return `${lines.join('\n')}\n`;
}
