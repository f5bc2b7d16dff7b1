// One worker pass over claimed inbox rows: process them and apply the result, narrowing to the rows still pending.
import type { InboxRow, ProcessedBatch, Storage } from '@touchline/storage';
import { dropErasedRows } from './drop-erased-rows.js';
import { processInboxRows } from './process-inbox-rows.js';

/**
 * Processes `rows` and applies the batch. If another worker finished some of them meanwhile (our
 * lease ran out and they were claimed again), storage wrote nothing and names the rows still
 * pending: those are processed alone and applied again, because counting a finished row's item into
 * its session a second time would break exactly-once counts. Returns how many rows this call
 * finished (0 when another worker had finished them all).
 *
 * Rows of an erased person are left out and deleted (drop-erased-rows.ts) when the storage can tell
 * (findTombstones); the worker's storage always can, tests of the pure transform may pass one without.
 *
 * `process` is the pure transform (processInboxRows); tests pass a deliberately broken one to
 * show that the order-independence property detects it.
 */
export async function applyPass(
  storage: Pick<Storage, 'applyProcessed'> & Partial<Pick<Storage, 'findTombstones'>>, rows: readonly InboxRow[],
  process: (rows: readonly InboxRow[]) => ProcessedBatch = processInboxRows, now: number = Date.now(),
): Promise<number> {
  const split = storage.findTombstones === undefined
    ? { keep: [...rows], erased: [] }
    : await dropErasedRows({ findTombstones: storage.findTombstones.bind(storage) }, rows, now);
  const batch = process(split.keep);
  const outcome = await storage.applyProcessed(split.erased.length === 0 ? batch : { ...batch, erased: split.erased });
  if (outcome.kind === 'partial') {
    const pending = new Set(outcome.pending);
    return applyPass(storage, rows.filter((r) => pending.has(r.seq)), process, now);
  }
  return outcome.kind === 'applied' ? rows.length : 0;
}
