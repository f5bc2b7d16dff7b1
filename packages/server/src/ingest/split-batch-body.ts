// Finds a batch body's items in its bytes, so a large body is decoded and parsed item by item instead of as one huge string.

/** Byte ranges of a batch body: the envelope around the items array, and each element of that array. */
export interface BatchBodySplit {
  /** The `[` and `]` of the top-level "items" array. */
  open: number;
  close: number;
  /** Start and end (exclusive) of each element, in order: [start0, end0, start1, end1, ...]. */
  elements: number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** "items" */
const ITEMS = [0x69, 0x74, 0x65, 0x6d, 0x73];

function isItemsKey(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== ITEMS.length) return false;
  for (let k = 0; k < ITEMS.length; k++) if (bytes[start + k] !== ITEMS[k]) return false;
  return true;
}

/**
 * Only a scanner: it tracks strings (with escapes) and bracket nesting, and returns null when the
 * body does not look like one object with exactly one top-level "items" array (unbalanced or
 * mismatched brackets, an unterminated string, no or two "items" arrays, an escape in a top-level
 * string, which might spell a second "items" key). It does not validate
 * JSON: the caller parses the envelope and every element on its own, and any failure there sends
 * the body to the whole-text parse, which then names the error. Splitting only at ASCII structural
 * bytes outside strings never cuts a UTF-8 sequence, and the parsed pieces put together are what
 * parsing the whole text gives.
 */
export function splitBatchBody(bytes: Uint8Array): BatchBodySplit | null {
  const n = bytes.length;
  const stack: number[] = [];
  let keyStart = -1;
  let keyEnd = -1;
  let open = -1;
  let close = -1;
  let elementStart = -1;
  const elements: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      const start = i + 1;
      let escaped = false;
      for (i = start; i < n && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) { escaped = true; i++; }
      if (i >= n) return null;
      // An escaped top-level string could be a second "items" key ("it\u0065ms"), whose array JSON.parse would keep.
      if (stack.length === 1 && escaped) return null;
      if (stack.length === 1) { keyStart = start; keyEnd = i; }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (stack.length === 0 && (c !== OPEN_OBJECT || i > skipSpace(bytes, 0))) return null;
      stack.push(c);
      if (stack.length === 2 && c === OPEN_ARRAY && isItemsKey(bytes, keyStart, keyEnd)) {
        if (open >= 0) return null;
        open = i;
        elementStart = i + 1;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (stack.pop() !== (c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) return null;
      if (stack.length === 1 && elementStart >= 0) {
        elements.push(elementStart, i);
        close = i;
        elementStart = -1;
      }
    } else if (c === COMMA && stack.length === 2 && elementStart >= 0) {
      elements.push(elementStart, i);
      elementStart = i + 1;
    }
  }
  return stack.length === 0 && open >= 0 && close > open ? { open, close, elements } : null;
}

/** The index of the first byte after leading JSON whitespace (and a UTF-8 byte order mark). */
function skipSpace(bytes: Uint8Array, from: number): number {
  let i = from;
  if (bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) i += 3;
  while (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09) i++;
  return i;
}
