// The thread channel settles a request only with the reply carrying its id, from its own thread run (DESIGN L3).
import { Worker } from 'node:worker_threads';
import { StorageError } from '@touchline/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { createInboxThreadChannel } from './inbox-thread-channel.js';

// Answers every request three times: with a wrong id, from another run, and correctly.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const stats = { done: 0, dead: 0 };
parentPort.on('message', (m) => {
  if (m.op === 'stats') return;
  parentPort.postMessage({ kind: 'reply', run: workerData.run, replyTo: 'not-' + m.id, op: m.op, result: { kind: 'ok', value: { handled: 1, stats } } });
  parentPort.postMessage({ kind: 'reply', run: 'another-run', replyTo: m.id, op: m.op, result: { kind: 'ok', value: { handled: 2, stats } } });
  parentPort.postMessage({ kind: 'processed', run: workerData.run, outcome: 'done', count: 7 });
  parentPort.postMessage({ kind: 'reply', run: workerData.run, replyTo: m.id, op: m.op, result: { kind: 'ok', value: { handled: 3, stats } } });
});`;

// Fails every request: runOnce with a storage fault, drain with a plain error.
const FAILING = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (m) => {
  const fault = m.op === 'runOnce' ? 'busy' : undefined;
  const error = { message: 'the write-ahead log is at its bound', fault };
  parentPort.postMessage({ kind: 'reply', run: workerData.run, replyTo: m.id, op: m.op, result: { kind: 'err', error } });
});`;

let thread: Worker | null = null;
afterEach(async () => {
  await thread?.terminate();
  thread = null;
});

describe('inbox thread channel', () => {
  it('ignores and reports replies with another id or run, and resolves with the matching one', async () => {
    thread = new Worker(SOURCE, { eval: true, workerData: { run: 'r1' } });
    const errors: string[] = [];
    const events: unknown[] = [];
    const channel = createInboxThreadChannel({
      thread,
      run: 'r1',
      onEvent: (e) => events.push(e),
      onError: (e) => errors.push(e.message),
    });
    expect(await channel.request('runOnce')).toEqual({ handled: 3, stats: { done: 0, dead: 0 } });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/matches no pending request/);
    expect(errors[1]).toMatch(/another thread/);
    expect(events).toEqual([{ kind: 'processed', run: 'r1', outcome: 'done', count: 7 }]);
  });

  it('rejects requests still waiting when the thread is gone', async () => {
    thread = new Worker(SOURCE, { eval: true, workerData: { run: 'r2' } });
    const channel = createInboxThreadChannel({ thread, run: 'r2', onEvent: () => {}, onError: () => {} });
    const waiting = channel.request('stats');
    channel.rejectAll('exited with code 1');
    await expect(waiting).rejects.toThrow(/died before answering stats: exited with code 1/);
  });

  it('rebuilds a storage fault from the thread as a StorageError with its code, anything else as a plain Error', async () => {
    thread = new Worker(FAILING, { eval: true, workerData: { run: 'r3' } });
    const channel = createInboxThreadChannel({ thread, run: 'r3', onEvent: () => {}, onError: () => {} });
    const busy = await channel.request('runOnce').catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(StorageError);
    expect(busy).toMatchObject({
      code: 'busy',
      message: 'inbox thread runOnce failed: the write-ahead log is at its bound',
    });
    const plain = await channel.request('drain').catch((e: unknown) => e);
    expect(plain).not.toBeInstanceOf(StorageError);
    expect(plain).toMatchObject({ message: 'inbox thread drain failed: the write-ahead log is at its bound' });
  });
});
