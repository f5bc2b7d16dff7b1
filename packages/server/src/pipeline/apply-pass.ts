// One worker pass over claimed inbox rows: process them and apply the result, narrowing to the rows still pending.
import type { InboxRow, ProcessedBatch, Storage } from '@touchline/storage';
import { DEFAULT_COOKIELESS, type CookielessSettings } from '../cookieless/cookieless-settings.js';
import { identifyCookielessRows, type IdentifiedRows } from '../cookieless/identify-cookieless-rows.js';
import { dropErasedRows } from './drop-erased-rows.js';
import { processInboxRows } from './process-inbox-rows.js';

/** Erasures met by one pass before it gives up (each one committed while the pass was being prepared). */
const MAX_ERASURES_MET = 5;

type PassStorage = Pick<Storage, 'applyProcessed'> & Partial<Pick<Storage, 'findTombstones' | 'cookielessSecrets'>>;

/**
 * Processes `rows` and applies the batch. If another worker finished some of them meanwhile (our
 * lease ran out and they were claimed again), storage wrote nothing and names the rows still
 * pending: those are processed alone and applied again, because counting a finished row's item into
 * its session a second time would break exactly-once counts. Returns how many rows this call
 * finished (0 when another worker had finished them all).
 *
 * Cookieless items (docs/privacy.md) first get their visitor and session (identify-cookieless-rows.ts),
 * so everything after, the erasure check included, sees the visitor id the rows are stored under.
 *
 * Rows of an erased person are left out and deleted (drop-erased-rows.ts) when the storage can tell
 * (findTombstones); the worker's storage always can, tests of the pure transform may pass one without.
 * An erasure that commits between that check and the write makes storage write nothing (`tombstoned`,
 * storage batch-tombstones.ts): the rows are checked and applied again, now without the person's.
 *
 * `process` is the pure transform (processInboxRows); tests pass a deliberately broken one to
 * show that the order-independence property detects it.
 */
export async function applyPass(
  storage: PassStorage,
  rows: readonly InboxRow[],
  process: (rows: readonly InboxRow[]) => ProcessedBatch = processInboxRows,
  now: number = Date.now(),
  cookieless: CookielessSettings = DEFAULT_COOKIELESS,
): Promise<number> {
  const identified = await identifyCookielessRows(storage, rows, cookieless, now);
  return applyIdentified(storage, identified, process, now, cookieless.sessionTimeoutMs, 0);
}

async function applyIdentified(
  storage: PassStorage,
  identified: IdentifiedRows,
  process: (rows: readonly InboxRow[]) => ProcessedBatch,
  now: number,
  timeoutMs: number,
  erasuresMet: number,
): Promise<number> {
  const { rows } = identified;
  const checked = storage.findTombstones !== undefined;
  const split =
    storage.findTombstones === undefined
      ? { keep: [...rows], erased: [] }
      : await dropErasedRows({ findTombstones: storage.findTombstones.bind(storage) }, rows, now);
  const processed = process(split.keep);
  const batch: ProcessedBatch = {
    ...processed,
    dead: identified.dead.length === 0 ? processed.dead : [...processed.dead, ...identified.dead],
    ...(split.erased.length === 0 ? {} : { erased: split.erased }),
    ...(checked ? { tombstonesAt: now } : {}),
    ...(identified.visitors.length === 0 ? {} : { cookieless: { timeoutMs, visitors: identified.visitors } }),
  };
  const outcome = await storage.applyProcessed(batch);
  if (outcome.kind === 'partial') {
    const pending = new Set(outcome.pending);
    const narrowed: IdentifiedRows = {
      rows: rows.filter((r) => pending.has(r.seq)),
      dead: identified.dead.filter((d) => pending.has(d.seq)),
      visitors: identified.visitors,
    };
    return applyIdentified(storage, narrowed, process, now, timeoutMs, erasuresMet);
  }
  if (outcome.kind === 'tombstoned') {
    // Each round follows a committed erasure, whose tombstones the next check sees; a check that keeps
    // disagreeing with storage's is a broken contract, not something to loop on.
    if (erasuresMet >= MAX_ERASURES_MET)
      throw new Error(
        `applyPass: storage refused the pass ${erasuresMet + 1} times for erased items the tombstone check did not find`,
      );
    return applyIdentified(storage, identified, process, now, timeoutMs, erasuresMet + 1);
  }
  return outcome.kind === 'applied' ? rows.length + identified.dead.length : 0;
}
