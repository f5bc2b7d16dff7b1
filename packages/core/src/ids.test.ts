// Checks id helpers: UUIDv7 layout and time order, and stable session ids.
import { describe, expect, it } from 'vitest';
import { deriveSessionId, isUuid, newId } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  it('is a UUIDv7 carrying the given millisecond timestamp', () => {
    for (const ms of [0, 1, 0xffff, 0x10000, 1_700_000_000_123, 2 ** 48 - 1]) {
      const id = newId(ms);
      expect(id).toMatch(V7);
      expect(msOf(id)).toBe(ms);
    }
    expect(msOf(newId(1_700_000_000_123.9))).toBe(1_700_000_000_123);
  });

  it('defaults to the current time', () => {
    const before = Date.now();
    const at = msOf(newId());
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('never repeats across many pool refills, and its random bits vary', () => {
    const ids = Array.from({ length: 20_000 }, () => newId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit of the random tail takes many values: the bytes are not stuck or reused.
    for (let pos = 24; pos < 36; pos++) expect(new Set(ids.map((id) => id[pos])).size).toBe(16);
  });

  it('sorts by time as strings', () => {
    const ids = [5, 1_000, 70_000, 1_700_000_000_000, 1_700_000_000_001].map((ms) => newId(ms));
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('deriveSessionId', () => {
  it('is stable for known inputs (ids already stored must never change)', () => {
    // Values computed by the TextEncoder-based implementation this replaced.
    expect(deriveSessionId('0190f7c2-0000-7000-8000-000000000001', 1)).toBe(SESSION_1);
    expect(deriveSessionId('0190f7c2-0000-7000-8000-000000000001', 1_048_577)).toBe(SESSION_LOGOUT);
  });

  it('is a UUID that differs by session number', () => {
    const a = deriveSessionId('0190f7c2-0000-7000-8000-000000000001', 1);
    expect(isUuid(a)).toBe(true);
    expect(deriveSessionId('0190f7c2-0000-7000-8000-000000000001', 2)).not.toBe(a);
  });
});

const SESSION_1 = 'ca56d33c-a1f8-8460-9b61-785716e27c7e';
const SESSION_LOGOUT = 'e49f25c0-2da4-8b5a-b2f6-526a1611d1b6';
