// The thread channel settles a request only with the reply carrying its id, from its own thread run (DESIGN L3).
import { Worker } from 'node:worker_threads';
import { StorageError } from '@touchline/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { createInboxThreadChannel } from './inbox-thread-channel.js';
import { isInboxThreadRequest } from './inbox-thread-protocol.js';

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

// Answers an erasure of user "busy" as a thread meeting a locked database does, and any other with its result.
const ERASER = `
const { parentPort, workerData } = require('node:worker_threads');
const stats = { done: 0, dead: 0 };
parentPort.on('message', (m) => {
  const base = { kind: 'reply', run: workerData.run, replyTo: m.id, op: m.op };
  if (m.erasure.subject.id === 'busy')
    parentPort.postMessage({ ...base, result: { kind: 'err', error: { message: 'database is locked', fault: 'busy' } } });
  else {
    const value = { handled: 0, stats, erasure: { auditId: 'a-' + m.erasure.subject.id } };
    parentPort.postMessage({ ...base, result: { kind: 'ok', value } });
  }
});`;

const ORDER = {
  accountId: 'acc',
  subject: { kind: 'user', id: 'u1' },
  requestedBy: 'cli',
  now: 1,
  tombstoneMs: 2,
} as const;

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

  it("settles an erasure with its own result, and a storage fault's code crosses as a StorageError", async () => {
    thread = new Worker(ERASER, { eval: true, workerData: { run: 'r3' } });
    const channel = createInboxThreadChannel({ thread, run: 'r3', onEvent: () => {}, onError: () => {} });
    const [one, two] = await Promise.all([
      channel.request('erase', ORDER),
      channel.request('erase', { ...ORDER, subject: { kind: 'user', id: 'u2' } }),
    ]);
    expect(one.erasure).toEqual({ auditId: 'a-u1' });
    expect(two.erasure).toEqual({ auditId: 'a-u2' });
    const busy = channel.request('erase', { ...ORDER, subject: { kind: 'user', id: 'busy' } });
    await expect(busy).rejects.toBeInstanceOf(StorageError);
    await expect(busy).rejects.toMatchObject({ code: 'busy', message: /erase failed: database is locked/ });
  });

  it('takes an erase request only with a well-formed order, and no other op with one', () => {
    expect(isInboxThreadRequest({ id: 'i', op: 'erase', erasure: ORDER })).toBe(true);
    expect(isInboxThreadRequest({ id: 'i', op: 'erase' })).toBe(false);
    expect(
      isInboxThreadRequest({ id: 'i', op: 'erase', erasure: { ...ORDER, subject: { kind: 'device', id: 'x' } } }),
    ).toBe(false);
    expect(isInboxThreadRequest({ id: 'i', op: 'erase', erasure: { ...ORDER, now: '1' } })).toBe(false);
    expect(isInboxThreadRequest({ id: 'i', op: 'runOnce', erasure: ORDER })).toBe(false);
    expect(isInboxThreadRequest({ id: 'i', op: 'runOnce' })).toBe(true);
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
