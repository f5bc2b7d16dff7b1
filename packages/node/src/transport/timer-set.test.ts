// Timers: unref'd unless a flush holds them, cancellable, and cleared sleeps resolve false.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTimerSet, realScheduler } from './timer-set.js';

/** A setTimeout that remembers its handles, so the test can ask each whether it keeps the process alive. */
function recordingSetTimeout() {
  const handles: NodeJS.Timeout[] = [];
  const set = (fn: () => void, ms: number): NodeJS.Timeout => {
    const handle = setTimeout(fn, ms);
    handles.push(handle);
    return handle;
  };
  return { set, refCount: () => handles.filter((h) => h.hasRef()).length };
}

describe('createTimerSet', () => {
  it('runs callbacks once and forgets them', async () => {
    const timers = createTimerSet();
    const fired: number[] = [];
    timers.after(1, () => fired.push(1));
    expect(timers.size).toBe(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toEqual([1]);
    expect(timers.size).toBe(0);
  });

  it('cancel prevents the callback', async () => {
    const timers = createTimerSet();
    let fired = false;
    const cancel = timers.after(1, () => {
      fired = true;
    });
    cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(false);
  });

  it('sleep resolves true when it ran out, false when the set was cleared', async () => {
    const timers = createTimerSet();
    expect(await timers.sleep(1)).toBe(true);
    const pending = timers.sleep(10_000);
    timers.clear();
    expect(await pending).toBe(false);
    expect(timers.size).toBe(0);
  });

  it('keeps the process alive only while held, and never for non-holdable timers', () => {
    const { set, refCount } = recordingSetTimeout();
    const timers = createTimerSet({ setTimeout: set, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) });
    timers.after(10_000, () => undefined);
    timers.after(10_000, () => undefined, { holdable: false });
    expect(refCount()).toBe(0);
    timers.hold();
    expect(refCount()).toBe(1);
    timers.after(10_000, () => undefined);
    void timers.sleep(10_000);
    expect(refCount()).toBe(3);
    timers.release();
    expect(refCount()).toBe(0);
    timers.clear();
    expect(timers.size).toBe(0);
  });
});

describe('realScheduler on a Web-standard runtime', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('wraps numeric timer ids (edge, workers, Deno) so ref/unref are no-ops and clearTimeout gets the id', () => {
    const cleared: unknown[] = [];
    vi.stubGlobal('setTimeout', () => 42);
    vi.stubGlobal('clearTimeout', (id: unknown) => {
      cleared.push(id);
    });
    const timers = createTimerSet(realScheduler);
    const cancel = timers.after(10, () => undefined);
    timers.hold();
    timers.release();
    cancel();
    expect(cleared).toEqual([42]);
  });
});
