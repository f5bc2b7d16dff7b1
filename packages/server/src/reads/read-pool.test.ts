import { describe, expect, it } from 'vitest';
import { ReadCancelledError } from './read-cancelled-error.js';
import { createReadPool, type ReadSlot } from './read-pool.js';
import { ReadsBusyError } from './reads-busy-error.js';

/** Slots whose queries finish only when the test says so, recording what ran and what was cancelled. */
function heldSlots(count: number) {
  const running: Array<{ op: string; finish(value: unknown): void; cancelled: boolean }> = [];
  let closed = 0;
  const slots: ReadSlot[] = Array.from({ length: count }, () => {
    let answered = false;
    return {
      exec(op) {
        let finish!: (value: unknown) => void;
        let fail!: (error: Error) => void;
        const result = new Promise<unknown>((resolve, reject) => {
          finish = (value) => {
            answered = true;
            resolve(value);
          };
          fail = reject;
        });
        const entry = { op, finish, cancelled: false };
        running.push(entry);
        return {
          result,
          cancel: () => {
            entry.cancelled = true;
            fail(new Error('terminated'));
          },
        };
      },
      ready: () => answered,
      close: async () => {
        closed += 1;
      },
    };
  });
  return { slots, running, closed: () => closed };
}

const args = ['acct', 0, 1] as const;

describe('read pool', () => {
  it('runs as many queries as it has slots, queues maxQueued more, and refuses the next with ReadsBusyError', async () => {
    const held = heldSlots(2);
    const pool = createReadPool({ mode: 'inline', slots: held.slots, maxQueued: 1, retryAfterSeconds: 3 });
    const a = pool.run('stats', [...args]);
    const b = pool.run('stats', [...args]);
    const c = pool.run('stats', [...args]);
    expect(pool.stats()).toMatchObject({ running: 2, queued: 1 });
    const refused = await pool.run('stats', [...args]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReadsBusyError);
    expect((refused as ReadsBusyError).retryAfterSeconds).toBe(3);
    expect((refused as Error).message).toContain('2 queries with 1 more waiting');
    expect(pool.stats().rejected).toBe(1);

    held.running[0]?.finish('first');
    await expect(a).resolves.toBe('first');
    // The freed slot took the queued query.
    expect(held.running).toHaveLength(3);
    held.running[1]?.finish('second');
    held.running[2]?.finish('third');
    await expect(b).resolves.toBe('second');
    await expect(c).resolves.toBe('third');
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('drops a queued query whose client went away, and stops a running one through its slot', async () => {
    const held = heldSlots(1);
    const pool = createReadPool({ mode: 'thread', slots: held.slots, maxQueued: 4, retryAfterSeconds: 1 });
    const first = new AbortController();
    const second = new AbortController();
    const a = pool.run('stats', [...args], { signal: first.signal });
    const b = pool.run('stats', [...args], { signal: second.signal });
    second.abort();
    await expect(b).rejects.toBeInstanceOf(ReadCancelledError);
    expect(pool.stats()).toMatchObject({ running: 1, queued: 0, cancelled: 1 });
    first.abort();
    await expect(a).rejects.toBeInstanceOf(ReadCancelledError);
    expect(held.running[0]?.cancelled).toBe(true);
    // The cancelled query never reached a slot; the stopped one freed its slot for the next query.
    expect(held.running).toHaveLength(1);
    const next = pool.run('stats', [...args]);
    await Promise.resolve();
    held.running[1]?.finish('after');
    await expect(next).resolves.toBe('after');
    expect(pool.stats()).toMatchObject({ running: 0, cancelled: 2 });
  });

  it('an already aborted signal runs nothing', async () => {
    const held = heldSlots(1);
    const pool = createReadPool({ mode: 'inline', slots: held.slots, maxQueued: 0, retryAfterSeconds: 1 });
    await expect(pool.run('stats', [...args], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      ReadCancelledError,
    );
    expect(held.running).toHaveLength(0);
  });

  it("lets the collector's own work wait past the queue bound that refuses users", async () => {
    const held = heldSlots(1);
    const pool = createReadPool({ mode: 'inline', slots: held.slots, maxQueued: 0, retryAfterSeconds: 1 });
    const user = pool.run('stats', [...args]);
    await expect(pool.run('stats', [...args])).rejects.toBeInstanceOf(ReadsBusyError);
    const monitor = pool.run('integrityFacts', ['acct', 5], { internal: true });
    expect(pool.stats().queued).toBe(1);
    held.running[0]?.finish('user');
    await expect(user).resolves.toBe('user');
    expect(held.running[1]?.op).toBe('integrityFacts');
    held.running[1]?.finish('facts');
    await expect(monitor).resolves.toBe('facts');
  });

  it('warm starts every thread slot at once with one warm operation each, and leaves inline slots alone', async () => {
    const held = heldSlots(2);
    const pool = createReadPool({ mode: 'thread', slots: held.slots, maxQueued: 0, retryAfterSeconds: 1 });
    expect(pool.stats().ready).toBe(0);
    let warmed = false;
    const warming = pool.warm().then(() => {
      warmed = true;
    });
    // Both at once, past a queue bound of 0: no slot waits for another to warm.
    expect(held.running.map((r) => r.op)).toEqual(['warm', 'warm']);
    held.running[0]?.finish(null);
    await Promise.resolve();
    expect(warmed).toBe(false);
    held.running[1]?.finish(null);
    await warming;
    expect(pool.stats()).toMatchObject({ running: 0, ready: 2 });

    const inline = heldSlots(2);
    await createReadPool({ mode: 'inline', slots: inline.slots, maxQueued: 0, retryAfterSeconds: 1 }).warm();
    expect(inline.running).toHaveLength(0);
  });

  it('close refuses new queries, drops queued ones, waits for running ones and closes every slot', async () => {
    const held = heldSlots(1);
    const pool = createReadPool({ mode: 'inline', slots: held.slots, maxQueued: 2, retryAfterSeconds: 1 });
    const running = pool.run('stats', [...args]);
    const queued = pool.run('stats', [...args]);
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    await expect(queued).rejects.toThrow('shutting down');
    await expect(pool.run('stats', [...args])).rejects.toThrow('shutting down');
    await Promise.resolve();
    expect(closed).toBe(false);
    held.running[0]?.finish('done');
    await expect(running).resolves.toBe('done');
    await closing;
    expect(held.closed()).toBe(1);
  });
});
