// Identifier helpers: time-ordered item and visitor ids, and deterministic session ids.
import { murmur3x86128Text } from './murmur3-128.js';

/** Fixed seed for session ids: hash(visitor id, session number) must never change. */
const SESSION_SEED = 0x746c7331; // 'tls1'
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * Random bytes for ids, drawn 10 per id from a pool refilled 4 KiB at a time: one
 * getRandomValues call per ~400 ids instead of one per 16 (uuid's 256-byte pool) plus a
 * 16-byte copy per id. The pool holds nothing but random bytes; no request data.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

function takeRandom(count: number): number {
  if (poolAt + count > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += count;
  return at;
}

/** Two hex digits for every byte value: formatting an id is 16 lookups, not 4 toString + padStart. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex4 = (n: number): string => (HEX[(n >>> 24) & 0xff] as string) + (HEX[(n >>> 16) & 0xff] as string);
const hex4lo = (n: number): string => (HEX[(n >>> 8) & 0xff] as string) + (HEX[n & 0xff] as string);

/** Pool byte `at` as two hex digits, masked and with the version or variant bits set. */
const randomHex = (at: number, mask = 0xff, set = 0): string => HEX[((pool[at] ?? 0) & mask) | set] as string;

/**
 * A UUIDv7 (RFC 9562) whose timestamp is `nowMs`, so ids sort by creation time: 48 bits of
 * Unix milliseconds, version 7, 74 random bits, variant 10.
 */
export function newId(nowMs: number = Date.now()): string {
  const r = takeRandom(10);
  const ms = Math.max(0, Math.floor(nowMs));
  const high = Math.floor(ms / 0x10000) % 0x100000000; // top 32 of the 48 bits
  const low = ms % 0x10000;
  return (
    `${hex4(high)}${hex4lo(high)}-${hex4lo(low)}-${randomHex(r, 0x0f, 0x70)}${randomHex(r + 1)}-` +
    `${randomHex(r + 2, 0x3f, 0x80)}${randomHex(r + 3)}-${randomHex(r + 4)}${randomHex(r + 5)}` +
    `${randomHex(r + 6)}${randomHex(r + 7)}${randomHex(r + 8)}${randomHex(r + 9)}`
  );
}

/**
 * The id of a visitor's n-th session, as a UUIDv8 (RFC 9562 "custom"): 122 bits of
 * MurmurHash3-128 of "<visitor id>:<n>". Pure: every request that computes the same number for
 * the same visitor gets the same id, which is what makes racing requests agree. Not a
 * cryptographic hash on purpose: the inputs hold a random visitor id, the id protects nothing
 * (a client chooses its own cookies anyway), and a native SHA-1 per request cost ~15 µs of CPU.
 */
export function deriveSessionId(visitorId: string, sessionNumber: number): string {
  const [a, b0, c0, d] = murmur3x86128Text(`${visitorId}:${sessionNumber}`, SESSION_SEED);
  const b = ((b0 & 0xffff0fff) | 0x00008000) >>> 0;
  const c = ((c0 & 0x3fffffff) | 0x80000000) >>> 0;
  return `${hex4(a)}${hex4lo(a)}-${hex4(b)}-${hex4lo(b)}-${hex4(c)}-${hex4lo(c)}${hex4(d)}${hex4lo(d)}`;
}
