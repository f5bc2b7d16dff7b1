// MurmurHash3 x86 128-bit (Austin Appleby, public domain): a fast, pure-JS hash for deriving ids.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Little-endian 32-bit word of a byte string at `i` (all four bytes inside the string). */
function block(bytes: string, i: number): number {
  return (
    bytes.charCodeAt(i) |
    (bytes.charCodeAt(i + 1) << 8) |
    (bytes.charCodeAt(i + 2) << 16) |
    (bytes.charCodeAt(i + 3) << 24)
  );
}

/** The same near the end: bytes past `len` read as 0 (reading past the end would leave the integer fast path). */
function tailBlock(bytes: string, i: number, len: number): number {
  let word = 0;
  for (let j = Math.min(3, len - i - 1); j >= 0; j--) word = (word << 8) | bytes.charCodeAt(i + j);
  return word;
}

/**
 * The hash over a byte string (every char code 0-255). Ids hash strings that are ASCII, so
 * reading char codes directly skips a TextEncoder round trip (~0.5 µs per call, twice per request).
 */
function hashByteString(bytes: string, seed: number): [number, number, number, number] {
  let h1 = seed;
  let h2 = seed;
  let h3 = seed;
  let h4 = seed;
  const len = bytes.length;
  const blocks = len - (len % 16);
  for (let i = 0; i < blocks; i += 16) {
    let k1 = block(bytes, i);
    let k2 = block(bytes, i + 4);
    let k3 = block(bytes, i + 8);
    let k4 = block(bytes, i + 12);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const rest = len - blocks;
  let k4 = tailBlock(bytes, blocks + 12, len);
  let k3 = tailBlock(bytes, blocks + 8, len);
  let k2 = tailBlock(bytes, blocks + 4, len);
  let k1 = tailBlock(bytes, blocks, len);
  if (rest > 12) {
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
  }
  if (rest > 8) {
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
  }
  if (rest > 4) {
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
  }
  if (rest > 0) {
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
  }
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const encoder = new TextEncoder();
const NON_ASCII = /[\u0080-\uffff]/;

/** Four 32-bit words of the 128-bit hash of `bytes`. */
export function murmur3x86128(bytes: Uint8Array, seed = 0): [number, number, number, number] {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return hashByteString(text, seed);
}

/** The hash of `text`'s UTF-8 bytes: the same words as `murmur3x86128(utf8(text))`. */
export function murmur3x86128Text(text: string, seed = 0): [number, number, number, number] {
  return !NON_ASCII.test(text) ? hashByteString(text, seed) : murmur3x86128(encoder.encode(text), seed);
}
