// Identifier helpers: time-ordered item and visitor ids, and deterministic session ids.
import { v7 as uuidv7 } from 'uuid';
import { murmur3x86128 } from './murmur3-128.js';

/** Fixed seed for session ids: hash(visitor id, session number) must never change. */
const SESSION_SEED = 0x746c7331; // 'tls1'
const encoder = new TextEncoder();

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUIDv7 whose timestamp is `nowMs`, so ids sort by creation time. */
export function newId(nowMs: number = Date.now()): string {
  return uuidv7({ msecs: nowMs });
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** Two hex digits for every byte value: formatting an id is 16 lookups, not 4 toString + padStart. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex4 = (n: number): string => (HEX[(n >>> 24) & 0xff] as string) + (HEX[(n >>> 16) & 0xff] as string);
const hex4lo = (n: number): string => (HEX[(n >>> 8) & 0xff] as string) + (HEX[n & 0xff] as string);

/**
 * The id of a visitor's n-th session, as a UUIDv8 (RFC 9562 "custom"): 122 bits of
 * MurmurHash3-128 of "<visitor id>:<n>". Pure: every request that computes the same number for
 * the same visitor gets the same id, which is what makes racing requests agree. Not a
 * cryptographic hash on purpose: the inputs hold a random visitor id, the id protects nothing
 * (a client chooses its own cookies anyway), and a native SHA-1 per request cost ~15 µs of CPU.
 */
export function deriveSessionId(visitorId: string, sessionNumber: number): string {
  const [a, b0, c0, d] = murmur3x86128(encoder.encode(`${visitorId}:${sessionNumber}`), SESSION_SEED);
  const b = ((b0 & 0xffff0fff) | 0x00008000) >>> 0;
  const c = ((c0 & 0x3fffffff) | 0x80000000) >>> 0;
  return `${hex4(a)}${hex4lo(a)}-${hex4(b)}-${hex4lo(b)}-${hex4(c)}-${hex4lo(c)}${hex4(d)}${hex4lo(d)}`;
}
