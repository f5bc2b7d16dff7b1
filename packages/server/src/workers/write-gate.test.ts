// Tests for the write gate between ingest and the inbox worker thread (both sides on one thread here).
import { describe, expect, it } from 'vitest';
import {
  createIngestWriteGate,
  createWorkerWriteGate,
  createWriteGateBuffer,
  releaseWorkerHold,
} from './write-gate.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('write gate', () => {
  it('lets ingest write at once while the worker is outside a transaction', async () => {
    const buffer = createWriteGateBuffer();
    await expect(createIngestWriteGate(buffer).write(async () => 'written')).resolves.toBe('written');
  });

  it('makes ingest wait until the worker transaction in progress has ended', async () => {
    const buffer = createWriteGateBuffer();
    const order: string[] = [];
    const tx = deferred();
    const worker = createWorkerWriteGate(buffer).run(async () => {
      order.push('worker start');
      await tx.promise;
      order.push('worker end');
    });
    const ingest = createIngestWriteGate(buffer).write(async () => {
      order.push('ingest');
    });
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['worker start']);
    tx.resolve();
    await Promise.all([worker, ingest]);
    expect(order).toEqual(['worker start', 'worker end', 'ingest']);
  });

  it('lets the worker go ahead after its maximum wait when ingest keeps wanting to write', async () => {
    const buffer = createWriteGateBuffer();
    const insert = deferred();
    const ingest = createIngestWriteGate(buffer).write(() => insert.promise);
    await expect(createWorkerWriteGate(buffer, 5).run(async () => 'applied')).resolves.toBe('applied');
    insert.resolve();
    await ingest;
  });

  it('counts an announced request as waiting until it is released, once however often released', async () => {
    const buffer = createWriteGateBuffer();
    const state = new Int32Array(buffer);
    const release = createIngestWriteGate(buffer).announce();
    expect(state[0]).toBe(1);
    release();
    release();
    expect(state[0]).toBe(0);
    await expect(createWorkerWriteGate(buffer).run(async () => 'applied')).resolves.toBe('applied');
  });

  it('frees ingest when the worker thread died inside a transaction', async () => {
    const buffer = createWriteGateBuffer();
    void createWorkerWriteGate(buffer).run(() => new Promise(() => {})); // never settles: a dead thread
    const ingest = createIngestWriteGate(buffer).write(async () => 'written');
    releaseWorkerHold(buffer);
    await expect(ingest).resolves.toBe('written');
  });
});
