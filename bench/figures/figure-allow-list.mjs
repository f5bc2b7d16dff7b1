// Texts in the README and the wholly checked docs pages that hold a number with a unit but are no measurement: defaults,
// limits, intervals, a test's or a bench's own settings. hand-copied-figures.mjs skips each `text` (an exact piece of a line,
// as written, backticks included) and fails when an entry matches no line any more. Every entry says why it is not a figure
// that needs a result file; a measurement never goes here (render it, or move it to docs/benchmark-history.md).

const DEFAULT = 'a default setting, from the settings schema';
const LIMIT = 'a limit the code enforces, not a measurement';
const SCHEDULE = 'an interval or backoff step the code is configured with, not a measurement';
const TEST = "a test's or a bench's own input or setting, not its result";
const THRESHOLD = 'an integrity check threshold, a constant of the check';
const EXACT =
  'the outcome of deterministic synthetic traffic, asserted exactly by a test, not a measurement of a machine';
const MIX = "the demo generator's traffic mix (its probabilities), a setting";
const VERSION = 'a version number, not a measurement';
const TARGET = "an issue's target, not a measurement";

/** @type {{ file: string, text: string, reason: string }[]} */
export const FIGURE_ALLOW_LIST = [
  // README: the collector, its commands and settings
  {
    file: 'README.md',
    text: 'revocation reaches running collectors within 5 s',
    reason: 'the key cache reload period (`keyRefreshMs` 5000), a promise tested by the revocation tests',
  },
  { file: 'README.md', text: '413 (body over 1 MiB)', reason: LIMIT },
  { file: 'README.md', text: '`integrity.firstPassAfterMs` (1 min)', reason: DEFAULT },
  { file: 'README.md', text: '`clockToleranceMs` (1 min,', reason: DEFAULT },
  {
    file: 'README.md',
    text: 'batch bodies of 16 KiB and more',
    reason: 'the size from which parsing moves off the main thread, a constant',
  },
  { file: 'README.md', text: 'with a 10 s lease', reason: DEFAULT },
  { file: 'README.md', text: 'once 60 s old', reason: DEFAULT },
  { file: 'README.md', text: 'a background loop every 10 s', reason: DEFAULT },
  { file: 'README.md', text: '(30 s doubling,', reason: DEFAULT },
  { file: 'README.md', text: 'started < 1 s apart', reason: THRESHOLD },
  { file: 'README.md', text: '| 3x / 10x |', reason: THRESHOLD },
  { file: 'README.md', text: 'more than 1 min off) | > 1 min /', reason: THRESHOLD },
  { file: 'README.md', text: '`disk.minFreeBytes`, 1 GiB;', reason: DEFAULT },
  { file: 'README.md', text: 'writes it every 10 s', reason: DEFAULT },
  { file: 'README.md', text: '`integrity.intervalMs` (5 min)', reason: DEFAULT },
  { file: 'README.md', text: '(1 s doubling, at most 60 s, 5 attempts)', reason: DEFAULT },
  { file: 'README.md', text: '5x visit inflation', reason: TEST },
  {
    file: 'README.md',
    text: 'picks up the new key within 5 s',
    reason: 'the key cache reload period (`keyRefreshMs` 5000)',
  },
  { file: 'README.md', text: 'backing off from 50 ms to 1 s', reason: SCHEDULE },
  { file: 'README.md', text: '| `bodyLimitBytes` | 1 MiB |', reason: DEFAULT },
  { file: 'README.md', text: '| 1 min / 24 h |', reason: DEFAULT },
  { file: 'README.md', text: '| 30 min / 6 h |', reason: DEFAULT },
  { file: 'README.md', text: 'capped at 60 s', reason: DEFAULT },
  { file: 'README.md', text: '| `disk.walLimitBytes` | 64 MiB |', reason: DEFAULT },
  { file: 'README.md', text: '| `disk.minFreeBytes` | 1 GiB |', reason: DEFAULT },
  { file: 'README.md', text: '  5 s); the integrity panel', reason: "the live feed's polling period, a constant" },
  // README: the SDK
  { file: 'README.md', text: '| 100 / 480 KiB / 1000 |', reason: DEFAULT },
  { file: 'README.md', text: '| none / 256 MiB |', reason: DEFAULT },
  {
    file: 'README.md',
    text: '| base 500 ms, max 60 s, Retry-After cap 120 s, 10 attempts, 10 min budget, auth probe max 60 s |',
    reason: DEFAULT,
  },
  {
    file: 'README.md',
    text: '(under 1 KB gzipped,',
    reason: 'a size bound a test asserts on every build, not a measured figure',
  },
  // README: failure modes, bounded disk, proof suite
  { file: 'README.md', text: 'to 5 s) and give', reason: SCHEDULE },
  { file: 'README.md', text: 'full below 1 MiB free', reason: LIMIT },
  { file: 'README.md', text: '(a 16 MiB tmpfs', reason: TEST },
  { file: 'README.md', text: '(2 s):', reason: DEFAULT },
  { file: 'README.md', text: 'warns (above 1 min)', reason: THRESHOLD },
  { file: 'README.md', text: 'gives up after 5 s', reason: 'the connection timeout, a constant' },
  { file: 'README.md', text: 'default 64 MiB', reason: DEFAULT },
  { file: 'README.md', text: 'waits for readers 20 ms at first,', reason: SCHEDULE },
  { file: 'README.md', text: 'doubling to 640 ms', reason: SCHEDULE },
  { file: 'README.md', text: '1 MiB bound: continuous writes', reason: TEST },
  { file: 'README.md', text: '1-item batch every 20 ms', reason: TEST },
  { file: 'README.md', text: '(every 5 s) queries', reason: TEST },
  { file: 'README.md', text: 'files every 100 ms', reason: TEST },
  { file: 'README.md', text: 'sends ~1,000 events/s', reason: TEST },
  { file: 'README.md', text: '100 KB headers', reason: TEST },
  { file: 'README.md', text: 'with a 1 MiB WAL bound', reason: TEST },
  { file: 'README.md', text: '(50,000 requests/s,', reason: DEFAULT },
  // docs pages
  { file: 'docs/hand-written.md', text: 'flushes on its 1 s', reason: DEFAULT },
  { file: 'docs/hand-written.md', text: 'bodies for 5 s,', reason: TEST },
  { file: 'docs/privacy.md', text: 'timeout, 5 s)', reason: 'the busy timeout, a constant' },
  { file: 'docs/privacy.md', text: 'every 25 ms, up to 20 times', reason: SCHEDULE },
  { file: 'docs/privacy.md', text: '`cookieless.sessionTimeoutMs` (30 min)', reason: DEFAULT },
  {
    file: 'docs/privacy.md',
    text: 'the ~1 ms rule',
    reason: "the project's bound on work per ingest event-loop turn, a rule",
  },
  { file: 'docs/privacy.md', text: 'the write lock up to 640 ms', reason: SCHEDULE },
  {
    file: 'docs/storage-bytes.md',
    text: '## Not yet: what 300 B/item still needs',
    reason: "issue 15's target, not a measurement",
  },
  { file: 'docs/wal-bound.md', text: 'PASSIVE checkpoints, every 100 ms', reason: SCHEDULE },
  { file: 'docs/wal-bound.md', text: '(64 MiB by default;', reason: DEFAULT },
  { file: 'docs/wal-bound.md', text: '| every 100 ms |', reason: SCHEDULE },
  { file: 'docs/wal-bound.md', text: '(20, 40, ... 640 ms)', reason: SCHEDULE },
  { file: 'docs/wal-bound.md', text: 'resets it to 20 ms', reason: SCHEDULE },
  { file: 'docs/wal-bound.md', text: '(640 ms) plus the copy', reason: SCHEDULE },
  { file: 'docs/wal-bound.md', text: '(3B/4 - B/4)', reason: 'a formula: B is the bound, not bytes' },
  { file: 'docs/wal-bound.md', text: '(20 ms, doubling to 640 ms', reason: SCHEDULE },
  {
    file: 'docs/wal-bound.md',
    text: 'for 1 GiB of disk',
    reason: 'what the example setting (1024 MB) reserves, not a measurement',
  },
  { file: 'docs/wal-bound.md', text: '(1 GiB; `--min-free-disk-mb`)', reason: DEFAULT },
  // README: percentages and sizes
  { file: 'README.md', text: '| any / 5% |', reason: THRESHOLD },
  { file: 'README.md', text: '| 1% / 5% |', reason: THRESHOLD },
  { file: 'README.md', text: '| any / 1% |', reason: THRESHOLD },
  { file: 'README.md', text: '| 20% / 50% |', reason: THRESHOLD },
  { file: 'README.md', text: '| 15% / 40% |', reason: THRESHOLD },
  { file: 'README.md', text: '| -30% / -60%, +200% / +500% |', reason: THRESHOLD },
  { file: 'README.md', text: '| 60% / 90% |', reason: THRESHOLD },
  { file: 'README.md', text: '(warn 50%, alert 100%;', reason: THRESHOLD },
  { file: 'README.md', text: 'under 25%), and', reason: 'the restart threshold of the checkpointer, a constant' },
  { file: 'README.md', text: 'two devices, ~4% of', reason: MIX },
  { file: 'README.md', text: '~5% of visitors on a second', reason: MIX },
  { file: 'README.md', text: '~1.5% of visitors buy', reason: MIX },
  { file: 'README.md', text: '30% returning next day', reason: TEST },
  { file: 'README.md', text: 'item ids as 16-byte blobs', reason: 'the size of a binary UUID, a constant' },
  // docs pages: percentages and sizes
  { file: 'docs/conversion-uploads.md', text: '40% landing with a gclid', reason: TEST },
  {
    file: 'docs/privacy.md',
    text: 'the top browser version 40% of users, 1-3 visits of 1-8 pages a day, 30% back the next day',
    reason: TEST,
  },
  { file: 'docs/privacy.md', text: '(-15% of browser-days) / 727 sessions (-1.6%)', reason: EXACT },
  { file: 'docs/storage-bytes.md', text: '16-byte blobs', reason: 'the size of a binary UUID, a constant' },
  // README: versions and targets (bare decimals)
  { file: 'README.md', text: 'OpenAPI 3.1', reason: VERSION },
  { file: 'README.md', text: '(Next 15.5,', reason: VERSION },
  { file: 'README.md', text: '(Next 16.5,', reason: VERSION },
  { file: 'README.md', text: 'Next.js 15.5 and 16.5', reason: VERSION },
  { file: 'README.md', text: '| Next 15.5 (', reason: VERSION },
  { file: 'README.md', text: '| Next 16.5 (', reason: VERSION },
  { file: 'README.md', text: '(with/without >= 0.85', reason: TARGET },
  { file: 'README.md', text: '**At least 0.65 of bare', reason: TARGET },
  { file: 'README.md', text: '**At least 0.95 of bare', reason: TARGET },
  // the other wholly checked docs pages
  { file: 'docs/client-routing.md', text: 'Next.js 15.5 and 16.5', reason: VERSION },
  { file: 'docs/client-routing.md', text: 'the 1 KB gzipped budget', reason: LIMIT },
  { file: 'docs/conversion-uploads.md', text: '`uploads.settleMs` (60 s)', reason: DEFAULT },
  { file: 'docs/conversion-uploads.md', text: '(`uploads.intervalMs`, 10 s)', reason: DEFAULT },
  { file: 'docs/conversion-uploads.md', text: '(`uploads.leaseMs`, 2 min;', reason: DEFAULT },
  { file: 'docs/conversion-uploads.md', text: '`uploads.timeoutMs` (30 s)', reason: DEFAULT },
  { file: 'docs/conversion-uploads.md', text: '`backoffMs` (30 s)', reason: DEFAULT },
  { file: 'docs/racing-first-navigations.md', text: '150 ms, so both navigations', reason: TEST },
  { file: 'docs/read-model.md', text: '`journeyRefreshMs` (2 s)', reason: DEFAULT },
  {
    file: 'docs/read-model.md',
    text: 'about 10% of the session',
    reason: "the journey-facts test's own input (it holds back each session copy with probability 0.1)",
  },
  {
    file: 'docs/read-model.md',
    text: 'sets `work_mem` to 64 MB',
    reason: 'the `work_mem` the steps query sets for its transaction (`STEPS_WORK_MEM`), a constant',
  },
  { file: 'docs/sdk-spool.md', text: '(default 256 MiB, at least 1 MiB)', reason: DEFAULT },
  { file: 'docs/sdk-spool.md', text: '(between 64 KiB and 4 MiB)', reason: LIMIT },
  { file: 'docs/sdk-spool.md', text: 'over 1 MiB, is damage', reason: LIMIT },
  { file: 'docs/sdk-spool.md', text: 'an outage 20x the memory queue', reason: TEST },
  { file: 'docs/sdk-spool.md', text: '500 ms). The collector is down.', reason: TEST },
  { file: 'docs/sdk-spool.md', text: '15-30x the memory queue', reason: TEST },
];
