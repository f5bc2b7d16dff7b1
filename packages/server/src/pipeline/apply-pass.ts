// One worker pass over claimed inbox rows: process them and apply the result, narrowing to the rows still pending.
import type { InboxRow, ProcessedBatch, Storage } from '@touchline/storage';
import { dropErasedRows } from './drop-erased-rows.js';
import { processInboxRows } from './process-inbox-rows.js';

/** Erasures met by one pass before it gives up (each one committed while the pass was being prepared). */
const MAX_ERASURES_MET = 5;

/**
 * Processes `rows` and applies the batch. If another worker finished some of them meanwhile (our
 * lease ran out and they were claimed again), storage wrote nothing and names the rows still
 * pending: those are processed alone and applied again, because counting a finished row's item into
 * its session a second time would break exactly-once counts. Returns how many rows this call
 * finished (0 when another worker had finished them all).
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
  storage: Pick<Storage, 'applyProcessed'> & Partial<Pick<Storage, 'findTombstones'>>, rows: readonly InboxRow[],
  process: (rows: readonly InboxRow[]) => ProcessedBatch = processInboxRows, now: number = Date.now(), erasuresMet = 0,
): Promise<number> {
  const checked = storage.findTombstones !== undefined;
  const split = storage.findTombstones === undefined
    ? { keep: [...rows], erased: [] }
    : await dropErasedRows({ findTombstones: storage.findTombstones.bind(storage) }, rows, now);
  const batch: ProcessedBatch = { ...process(split.keep), ...(split.erased.length === 0 ? {} : { erased: split.erased }), ...(checked ? { tombstonesAt: now } : {}) };
  const outcome = await storage.applyProcessed(batch);
  if (outcome.kind === 'partial') {
    const pending = new Set(outcome.pending);
    return applyPass(storage, rows.filter((r) => pending.has(r.seq)), process, now, erasuresMet);
  }
  if (outcome.kind === 'tombstoned') {
    // Each round follows a committed erasure, whose tombstones the next check sees; a check that keeps
    // disagreeing with storage's is a broken contract, not something to loop on.
    if (erasuresMet >= MAX_ERASURES_MET) throw new Error(`applyPass: storage refused the pass ${erasuresMet + 1} times for erased items the tombstone check did not find`);
    return applyPass(storage, rows, process, now, erasuresMet + 1);
  }
  return outcome.kind === 'applied' ? rows.length : 0;
}
