// The pruner's walk: each step starts where the last one stopped, the cutoff is keepDays before now, and a run ends when a step is done or the pruner stops.
import { describe, expect, it } from 'vitest';
import type { InboxCompactStep, InboxPruneOptions, InboxPruneStep } from '@touchline/storage';
import { pruneProcessedInbox, type CompactionMark } from './inbox-pruner.js';

const DAY = 86_400_000;

/** A storage whose inbox is `pages` steps long, each deleting `perStep` rows. */
function fakeStorage(pages: number, perStep: number) {
  const calls: InboxPruneOptions[] = [];
  return {
    calls,
    storage: {
      async pruneInbox(options: InboxPruneOptions): Promise<InboxPruneStep> {
        calls.push(options);
        return { deleted: perStep, lastSeq: options.afterSeq + options.limit, done: calls.length >= pages };
      },
      compactInbox(): Promise<InboxCompactStep> {
        throw new Error('compaction was not asked for');
      },
    },
  };
}

describe('pruneProcessedInbox', () => {
  it('walks from seq 0, one bounded step after another, until a step is done', async () => {
    const { storage, calls } = fakeStorage(3, 7);
    expect(await pruneProcessedInbox({ storage, keepDays: 32, now: 100 * DAY, stepRows: 10 })).toEqual({
      deleted: 21,
      compacted: 0,
      steps: 3,
    });
    expect(calls).toEqual([0, 10, 20].map((afterSeq) => ({ before: 68 * DAY, afterSeq, limit: 10 })));
  });

  it('ends after the current step once it is asked to stop', async () => {
    const { storage, calls } = fakeStorage(100, 1);
    expect(
      await pruneProcessedInbox({ storage, keepDays: 32, now: 100 * DAY, stopping: () => calls.length >= 2 }),
    ).toEqual({ deleted: 2, compacted: 0, steps: 2 });
  });

  it('compacts after pruning, from where the previous run stopped compacting, and restarts at its unfinished last page', async () => {
    const compactCalls: InboxPruneOptions[] = [];
    const storage = {
      async pruneInbox(options: InboxPruneOptions): Promise<InboxPruneStep> {
        return { deleted: 1, lastSeq: options.afterSeq + options.limit, done: true };
      },
      async compactInbox(options: InboxPruneOptions): Promise<InboxCompactStep> {
        compactCalls.push(options);
        // The inbox ends at seq 40: the step that reaches it is done.
        const lastSeq = Math.min(40, options.afterSeq + options.limit);
        return { compacted: 3, lastSeq, done: lastSeq >= 40 };
      },
    };
    const mark: CompactionMark = { afterSeq: 0 };
    const first = await pruneProcessedInbox({
      storage,
      keepDays: 32,
      compactDays: 2,
      mark,
      now: 100 * DAY,
      stepRows: 10,
    });
    expect(first).toEqual({ deleted: 1, compacted: 12, steps: 5 });
    expect(compactCalls.map((c) => c.afterSeq)).toEqual([0, 10, 20, 30]);
    expect(compactCalls[0]?.before).toBe(98 * DAY);
    // The last page (30, 40] may hold rows too young then: the next run starts there, not at 0.
    expect(mark).toEqual({ afterSeq: 30 });
    compactCalls.length = 0;
    await pruneProcessedInbox({ storage, keepDays: null, compactDays: 2, mark, now: 101 * DAY, stepRows: 10 });
    expect(compactCalls).toEqual([{ before: 99 * DAY, afterSeq: 30, limit: 10 }]);
  });

  it('without compactDays never compacts, and with keepDays null never prunes', async () => {
    const storage = {
      pruneInbox(): Promise<InboxPruneStep> {
        throw new Error('pruning was not asked for');
      },
      compactInbox(): Promise<InboxCompactStep> {
        throw new Error('compaction was not asked for');
      },
    };
    expect(await pruneProcessedInbox({ storage, keepDays: null, compactDays: null, now: 100 * DAY })).toEqual({
      deleted: 0,
      compacted: 0,
      steps: 0,
    });
  });
});
