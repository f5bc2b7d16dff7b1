// The spool's record format: [u32 payload length][u32 CRC-32 of payload][payload], little-endian; damage is a value, never an exception.

/** Bytes before each payload: its length, then its checksum. */
export const RECORD_HEADER_BYTES = 8;

/** CRC-32 (IEEE, the one zlib and gzip use), so `node:zlib`'s crc32 can check it in tests. */
const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One record, header included, ready for a single write (one write: a kill can tear only the tail). */
export function encodeRecord(payload: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  const view = new DataView(record.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32(payload), true);
  record.set(payload, RECORD_HEADER_BYTES);
  return record;
}

/**
 * What lies at an offset: a whole record, the clean end, a torn record (the buffer ends inside it:
 * a write cut short by a kill, or a read chunk that needs to grow), or a damaged one (checksum or
 * impossible length: nothing after it can be trusted, since its length cannot be).
 */
export type DecodedRecord =
  | { kind: 'record'; payload: Uint8Array; next: number }
  | { kind: 'end' }
  | { kind: 'torn'; at: number; needs: number }
  | { kind: 'damaged'; at: number; reason: string };

/** Reads the record at `offset` of `bytes[0, end)`; `maxPayload` bounds lengths a torn header could claim. */
export function decodeRecord(bytes: Uint8Array, offset: number, maxPayload: number, end = bytes.length): DecodedRecord {
  if (offset >= end) return { kind: 'end' };
  if (end - offset < RECORD_HEADER_BYTES) return { kind: 'torn', at: offset, needs: RECORD_HEADER_BYTES };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, RECORD_HEADER_BYTES);
  const length = view.getUint32(0, true);
  const checksum = view.getUint32(4, true);
  if (length === 0 || length > maxPayload)
    return { kind: 'damaged', at: offset, reason: `record length ${length} is outside 1..${maxPayload}` };
  const start = offset + RECORD_HEADER_BYTES;
  if (end - start < length) return { kind: 'torn', at: offset, needs: RECORD_HEADER_BYTES + length };
  if (crc32(bytes, start, start + length) !== checksum)
    return { kind: 'damaged', at: offset, reason: 'checksum mismatch' };
  return { kind: 'record', payload: bytes.subarray(start, start + length), next: start + length };
}

export interface RecordScan {
  /** Whole, intact records from the start. */
  records: number;
  /** Bytes up to the end of the last intact record: what a reader may trust. */
  validBytes: number;
  /** Why the scan stopped before the end, if it did. */
  stopped: { kind: 'torn' | 'damaged'; at: number; reason: string } | null;
}

/** Counts the intact prefix of a file's bytes (used when adopting a dead process's spool). */
export function scanRecords(bytes: Uint8Array, maxPayload: number): RecordScan {
  let offset = 0;
  let records = 0;
  for (;;) {
    const decoded = decodeRecord(bytes, offset, maxPayload);
    switch (decoded.kind) {
      case 'record':
        records += 1;
        offset = decoded.next;
        break;
      case 'end':
        return { records, validBytes: offset, stopped: null };
      case 'torn':
        return {
          records,
          validBytes: offset,
          stopped: {
            kind: 'torn',
            at: offset,
            reason: `torn tail: ${bytes.length - offset} of ${decoded.needs} bytes`,
          },
        };
      case 'damaged':
        return { records, validBytes: offset, stopped: { kind: 'damaged', at: offset, reason: decoded.reason } };
    }
  }
}
