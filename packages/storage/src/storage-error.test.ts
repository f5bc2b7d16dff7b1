// Storage faults are told apart by class and typed code, never by the shape or text of an error.
import { TouchlineError } from '@touchline/core';
import { describe, expect, it } from 'vitest';
import { isStorageBusy, isStorageFault, isStorageFaultCode, StorageError } from './storage-error.js';

describe('StorageError', () => {
  it('is a TouchlineError with its code and name', () => {
    const error = new StorageError('busy', 'applyProcessed failed on sqlite storage /tmp/x.db: database is locked');
    expect(error).toBeInstanceOf(TouchlineError);
    expect(error).toMatchObject({ name: 'StorageError', code: 'busy' });
  });

  it('counts busy and unavailable as faults of the storage, and only those', () => {
    expect(isStorageFault(new StorageError('busy', 'locked'))).toBe(true);
    expect(isStorageFault(new StorageError('unavailable', 'disk full'))).toBe(true);
    expect(isStorageFault(new StorageError('query_failed', 'value too long'))).toBe(false);
    // An error that merely looks like one (the old duck-typed check) is not a fault.
    expect(isStorageFault(Object.assign(new Error('locked'), { code: 'busy' }))).toBe(false);
    expect(isStorageFault({ name: 'StorageError', code: 'busy' })).toBe(false);
  });

  it('tells busy from the other codes', () => {
    expect(isStorageBusy(new StorageError('busy', 'the write-ahead log is at its bound'))).toBe(true);
    expect(isStorageBusy(new StorageError('unavailable', 'connection lost'))).toBe(false);
    expect(isStorageBusy(Object.assign(new Error('locked'), { code: 'busy' }))).toBe(false);
  });

  it('checks a fault code that crossed a thread boundary as data', () => {
    expect(isStorageFaultCode('busy')).toBe(true);
    expect(isStorageFaultCode('unavailable')).toBe(true);
    expect(isStorageFaultCode('query_failed')).toBe(false);
    expect(isStorageFaultCode(undefined)).toBe(false);
  });
});
