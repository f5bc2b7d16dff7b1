// Tests for lowering a thread's priority: the thread id from /proc/thread-self, and every refusal as a value.
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerThreadPriority } from './lower-thread-priority.js';

describe('lowerThreadPriority', () => {
  it('sets the nice value of the thread /proc/thread-self names', () => {
    const calls: Array<[number, number]> = [];
    const result = lowerThreadPriority(10, {
      readlink: () => '4060/task/4071',
      setPriority: (pid, p) => {
        calls.push([pid, p]);
      },
    });
    expect(result).toEqual({ kind: 'lowered', tid: 4071 });
    expect(calls).toEqual([[4071, 10]]);
  });

  it('reports, never throws, when there is no /proc/thread-self or the system refuses', () => {
    const missing = lowerThreadPriority(10, {
      readlink: () => {
        throw new Error('ENOENT');
      },
      setPriority: () => {},
    });
    expect(missing.kind).toBe('unsupported');
    const refused = lowerThreadPriority(10, {
      readlink: () => '1/task/2',
      setPriority: () => {
        throw new Error('EACCES');
      },
    });
    expect(refused).toEqual({ kind: 'unsupported', reason: 'EACCES' });
  });

  it.runIf(process.platform === 'linux')('lowers only the calling thread on Linux', async () => {
    const before = getPriority();
    // The worker imports the built module: vitest's transform does not reach into worker threads.
    const url = new URL('../../dist/workers/lower-thread-priority.js', import.meta.url).href;
    const worker = new Worker(
      `import(${JSON.stringify(url)}).then((m) => {
      const r = m.lowerThreadPriority(7);
      require('node:worker_threads').parentPort.postMessage({ r, nice: r.kind === 'lowered' ? require('node:os').getPriority(r.tid) : null });
    });`,
      { eval: true },
    );
    const message = await new Promise<{ r: { kind: string }; nice: number | null }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(message.r.kind).toBe('lowered');
    expect(message.nice).toBe(Math.min(19, 7));
    expect(getPriority()).toBe(before);
  });
});
