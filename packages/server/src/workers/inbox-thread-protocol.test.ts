// The inbox thread's messages are checked before use: a storage fault code must be one storage defines.
import { err, ok } from '@touchline/core';
import { describe, expect, it } from 'vitest';
import { isInboxThreadMessage } from './inbox-thread-protocol.js';

const reply = { kind: 'reply', run: 'r1', replyTo: 'id-1', op: 'runOnce' };
const failed = { ...reply, result: err({ message: 'locked' }) };
const failedWith = (fault: string) => ({ ...reply, result: err({ message: 'locked', fault }) });

describe('isInboxThreadMessage', () => {
  it('accepts replies and events, with or without a storage fault code', () => {
    expect(isInboxThreadMessage(failed)).toBe(true);
    expect(isInboxThreadMessage(failedWith('busy'))).toBe(true);
    expect(isInboxThreadMessage({ ...reply, result: ok({ handled: 3, stats: { done: 3, dead: 0 } }) })).toBe(true);
    expect(isInboxThreadMessage({ kind: 'error', run: 'r1', message: 'disk full', fault: 'unavailable' })).toBe(true);
    expect(isInboxThreadMessage({ kind: 'processed', run: 'r1', outcome: 'done', count: 3 })).toBe(true);
  });

  it('refuses a fault code storage does not define, so it never becomes a StorageError', () => {
    expect(isInboxThreadMessage(failedWith('query_failed'))).toBe(false);
    expect(isInboxThreadMessage({ kind: 'error', run: 'r1', message: 'x', fault: 'BUSY' })).toBe(false);
  });

  it('refuses messages without a run or of an unknown kind', () => {
    expect(isInboxThreadMessage({ ...failed, run: 1 })).toBe(false);
    expect(isInboxThreadMessage({ ...failed, kind: 'hello' })).toBe(false);
    expect(isInboxThreadMessage({ ...reply, result: { ok: true, handled: 1 } })).toBe(false);
    expect(isInboxThreadMessage(null)).toBe(false);
  });
});
