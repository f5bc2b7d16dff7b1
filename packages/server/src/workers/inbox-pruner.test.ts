// The pruner's walk: each step starts where the last one stopped, the cutoff is keepDays before now, and a run ends when a step is done or the pruner stops.
import { describe, expect, it } from 'vitest';
import type { InboxPruneOptions, InboxPruneStep } from '@touchline/storage';
import { pruneProcessedInbox } from './inbox-pruner.js';

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
    },
  };
}

describe('pruneProcessedInbox', () => {
  it('walks from seq 0, one bounded step after another, until a step is done', async () => {
    const { storage, calls } = fakeStorage(3, 7);
    expect(await pruneProcessedInbox({ storage, keepDays: 32, now: 100 * DAY, stepRows: 10 })).toEqual({ deleted: 21, steps: 3 });
    expect(calls).toEqual([0, 10, 20].map((afterSeq) => ({ before: 68 * DAY, afterSeq, limit: 10 })));
  });

  it('ends after the current step once it is asked to stop', async () => {
    const { storage, calls } = fakeStorage(100, 1);
    expect(await pruneProcessedInbox({ storage, keepDays: 32, now: 100 * DAY, stopping: () => calls.length >= 2 })).toEqual({ deleted: 2, steps: 2 });
  });
});
