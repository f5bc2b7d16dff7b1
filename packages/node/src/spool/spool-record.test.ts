// The spool record format: round trip, torn tails at every cut, flipped bits, and CRC-32 against node:zlib.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, decodeRecord, encodeRecord, RECORD_HEADER_BYTES, scanRecords } from './spool-record.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const payloads = ['{"id":"a"}', '{"id":"b","name":"ünïcödé ✓"}', 'x'.repeat(5000)].map(utf8);

describe('spool record format', () => {
  it('computes the IEEE CRC-32 that node:zlib computes', () => {
    for (const p of [new Uint8Array(0), ...payloads, utf8('123456789')]) expect(crc32(p)).toBe(zlibCrc32(p));
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips records in order and ends cleanly', () => {
    const file = concat(...payloads.map(encodeRecord));
    const seen: string[] = [];
    let offset = 0;
    for (let d = decodeRecord(file, offset, 1 << 20); d.kind === 'record'; d = decodeRecord(file, offset, 1 << 20)) {
      seen.push(new TextDecoder().decode(d.payload));
      offset = d.next;
    }
    expect(seen).toEqual(payloads.map((p) => new TextDecoder().decode(p)));
    expect(decodeRecord(file, offset, 1 << 20)).toEqual({ kind: 'end' });
    expect(scanRecords(file, 1 << 20)).toEqual({ records: 3, validBytes: file.length, stopped: null });
  });

  it('detects a torn tail at every possible cut and keeps the intact prefix', () => {
    const whole = concat(...payloads.slice(0, 2).map(encodeRecord));
    const firstEnd = RECORD_HEADER_BYTES + (payloads[0] as Uint8Array).length;
    for (let cut = 0; cut <= whole.length; cut++) {
      const scan = scanRecords(whole.subarray(0, cut), 1 << 20);
      const expected = cut === whole.length ? 2 : cut >= firstEnd ? 1 : 0;
      expect(scan.records, `cut at ${cut}`).toBe(expected);
      expect(scan.validBytes).toBe(expected === 2 ? whole.length : expected === 1 ? firstEnd : 0);
      const isBoundary = cut === 0 || cut === firstEnd || cut === whole.length;
      expect(scan.stopped?.kind ?? null).toBe(isBoundary ? null : 'torn');
    }
  });

  it('reports a flipped bit in any payload byte as damaged, never as a record', () => {
    const record = encodeRecord(payloads[1] as Uint8Array);
    for (let i = RECORD_HEADER_BYTES; i < record.length; i++) {
      const bad = record.slice();
      bad[i] = (bad[i] as number) ^ 0x10;
      expect(decodeRecord(bad, 0, 1 << 20)).toEqual({ kind: 'damaged', at: 0, reason: 'checksum mismatch' });
    }
  });

  it('treats a zero or oversized length as damaged rather than waiting for bytes that will never come', () => {
    const zeros = new Uint8Array(64);
    expect(decodeRecord(zeros, 0, 1024).kind).toBe('damaged');
    const huge = encodeRecord(utf8('{}'));
    new DataView(huge.buffer).setUint32(0, 0x7fffffff, true);
    expect(decodeRecord(huge, 0, 1024)).toMatchObject({ kind: 'damaged', reason: expect.stringContaining('outside') });
  });

  it('stops a scan at a damaged record in the middle: the records before it stay usable', () => {
    const a = encodeRecord(payloads[0] as Uint8Array);
    const b = encodeRecord(payloads[1] as Uint8Array);
    b[RECORD_HEADER_BYTES] = (b[RECORD_HEADER_BYTES] as number) ^ 1;
    const scan = scanRecords(concat(a, b, encodeRecord(payloads[2] as Uint8Array)), 1 << 20);
    expect(scan).toEqual({
      records: 1,
      validBytes: a.length,
      stopped: { kind: 'damaged', at: a.length, reason: 'checksum mismatch' },
    });
  });
});
