// The Node-only spool: per-process segment files in one directory, adoption of dead processes' files, reads back in order.
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { SpoolError } from './spool-error.js';
import {
  decideOwnership,
  freeName,
  ownedName,
  parseSpoolName,
  type ProcessIdentity,
  type SpoolFileName,
} from './spool-owner.js';
import { decodeRecord, encodeRecord, scanRecords } from './spool-record.js';
import type { OpenSpool, SpoolAppend, SpoolEntry, SpoolStats, SpoolStore } from './spool-store.js';

/** No item is near this (the collector's per-item limit is far lower); a longer length is damage. */
const MAX_PAYLOAD = 1024 * 1024;
const READ_CHUNK = 64 * 1024;

export interface FileSpoolDeps {
  /** Injected for tests. @default this process (pid, performance.timeOrigin) */
  self?: ProcessIdentity;
  /** Injected for tests. @default signal 0 (EPERM counts as alive) */
  isAlive?: (pid: number) => boolean;
  /** Segment size before rotating; settled segments are deleted whole. @default maxBytes / 8, within 64 KiB..4 MiB */
  segmentBytes?: number;
  /** Injected for tests (a disk that fills mid-record). @default node:fs writeSync */
  write?: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
}

interface Segment {
  readonly id: number;
  readonly file: string;
  /** Bytes a reader may trust (an adopted file's torn tail is past this). */
  size: number;
  /** Bytes on disk, for the byte bound. */
  fileBytes: number;
  records: number;
  taken: number;
  readFd: number | null;
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM';
  }
}

const byAge = (a: SpoolFileName, b: SpoolFileName): number =>
  a.origin - b.origin || a.pid - b.pid || a.segment - b.segment;

/**
 * Opens (creating it if needed) the spool directory for this process. Throws SpoolError when the
 * directory is unusable or this process already has a spool open there: both are set-up
 * mistakes, refused at createClient rather than found during an outage.
 *
 * @example
 * const store = openFileSpool({ path: '/var/lib/app/touchline-spool', maxBytes: 256 * 1024 * 1024 }, console.error);
 */
export function openFileSpool(
  settings: { path: string; maxBytes: number },
  report: (error: Error) => void,
  deps: FileSpoolDeps = {},
): SpoolStore {
  const dir = settings.path;
  const self = deps.self ?? { pid: process.pid, origin: Math.round(performance.timeOrigin) };
  const segmentBytes =
    deps.segmentBytes ?? Math.max(64 * 1024, Math.min(4 * 1024 * 1024, Math.floor(settings.maxBytes / 8)));
  const totals = { bytes: 0, backlog: 0, adopted: 0, skipped: 0 };
  const segments: Segment[] = [];
  let nextId = 1;

  let names: string[];
  try {
    mkdirSync(dir, { recursive: true });
    names = readdirSync(dir);
  } catch (error) {
    throw new SpoolError('spool_unavailable', `cannot use directory ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const found = names.map(parseSpoolName).filter((f): f is SpoolFileName => f !== null);
  const isAlive = deps.isAlive ?? processAlive;
  const write =
    deps.write ??
    ((fd: number, buffer: Uint8Array, offset: number, length: number) => writeSync(fd, buffer, offset, length));
  if (found.some((f) => decideOwnership(f, self, isAlive) === 'mine')) {
    throw new SpoolError(
      'spool_in_use',
      `${dir} is already open in this process (pid ${self.pid}); give each client its own spool path`,
    );
  }

  /** Renaming is the claim: of two processes adopting one file, exactly one rename succeeds. */
  function adopt(file: SpoolFileName): void {
    const from = join(dir, file.kind === 'free' ? freeName(file, file.segment) : ownedName(file, file.segment));
    const id = nextId;
    const to = join(dir, ownedName(self, id));
    try {
      renameSync(from, to);
    } catch (error) {
      if (errno(error) === 'ENOENT') return;
      throw new SpoolError('spool_unavailable', `cannot adopt ${from}: ${(error as Error).message}`, { cause: error });
    }
    nextId += 1;
    const bytes = readFileSync(to);
    const scan = scanRecords(bytes, MAX_PAYLOAD);
    if (scan.stopped !== null) {
      totals.skipped += 1;
      report(
        new SpoolError(
          'spool_damaged',
          `${from}: ${scan.stopped.reason} at byte ${scan.stopped.at}; the ${scan.records} records before it are replayed (a write cut short by a kill is only ever the last one)`,
        ),
      );
    }
    if (scan.records === 0) {
      unlinkSync(to);
      return;
    }
    segments.push({
      id,
      file: to,
      size: scan.validBytes,
      fileBytes: bytes.length,
      records: scan.records,
      taken: 0,
      readFd: null,
    });
    totals.bytes += bytes.length;
    totals.backlog += scan.records;
    totals.adopted += scan.records;
  }

  for (const file of found.filter((f) => decideOwnership(f, self, isAlive) === 'adopt').sort(byAge)) adopt(file);

  function openWriter(): { segment: Segment; fd: number } {
    const id = nextId;
    nextId += 1;
    const file = join(dir, ownedName(self, id));
    const fd = openSync(file, 'ax');
    const segment: Segment = { id, file, size: 0, fileBytes: 0, records: 0, taken: 0, readFd: null };
    segments.push(segment);
    return { segment, fd };
  }

  let writer = openWriter();

  /** Opens the next segment first, so a failure leaves the current writer usable. */
  function rotate(): void {
    const next = openWriter();
    closeSync(writer.fd);
    writer = next;
  }
  /** The next record to hand out. */
  const cursor = { segment: (segments[0] as Segment).id, offset: 0 };

  function release(segment: Segment): void {
    if (segment.readFd !== null) closeSync(segment.readFd);
    segment.readFd = null;
  }

  function append(json: string, handOut: boolean): SpoolAppend {
    const record = encodeRecord(Buffer.from(json));
    if (totals.bytes + record.length > settings.maxBytes) {
      return {
        kind: 'full',
        message: `the spool at ${dir} holds ${totals.bytes} bytes; maxBytes is ${settings.maxBytes}`,
      };
    }
    try {
      if (writer.segment.fileBytes >= segmentBytes) rotate();
      let written = 0;
      while (written < record.length) written += write(writer.fd, record, written, record.length - written);
    } catch (error) {
      // A partial record would make every later one unreadable: cut the file back to the last whole record.
      try {
        ftruncateSync(writer.fd, writer.segment.fileBytes);
      } catch {
        /* the next write fails the same way */
      }
      return { kind: 'failed', message: `cannot write to ${writer.segment.file}: ${(error as Error).message}` };
    }
    const segment = writer.segment;
    segment.size += record.length;
    segment.fileBytes += record.length;
    segment.records += 1;
    totals.bytes += record.length;
    if (handOut && totals.backlog === 0) {
      segment.taken += 1;
      cursor.segment = segment.id;
      cursor.offset = segment.size;
    } else {
      totals.backlog += 1;
    }
    return { kind: 'appended', segment: segment.id };
  }

  /** Damage past the first intact records of a segment: the rest of it cannot be trusted. */
  function skipRest(segment: Segment, reason: string): void {
    const lost = segment.records - segment.taken;
    totals.skipped += lost;
    totals.backlog -= lost;
    segment.taken = segment.records;
    report(
      new SpoolError('spool_damaged', `${segment.file}: ${reason} at byte ${cursor.offset}; ${lost} records skipped`),
    );
    cursor.offset = segment.size;
  }

  function take(max: number): SpoolEntry[] {
    const out: SpoolEntry[] = [];
    const decoder = new TextDecoder();
    while (out.length < max && totals.backlog > 0) {
      const index = segments.findIndex((s) => s.id === cursor.segment);
      const segment = segments[index];
      if (segment === undefined) break;
      if (cursor.offset >= segment.size) {
        const next = segments[index + 1];
        if (next === undefined) break;
        release(segment);
        cursor.segment = next.id;
        cursor.offset = 0;
        continue;
      }
      segment.readFd ??= openSync(segment.file, 'r');
      const length = Math.min(segment.size - cursor.offset, READ_CHUNK);
      const chunk = Buffer.allocUnsafe(length);
      const read = readSync(segment.readFd, chunk, 0, length, cursor.offset);
      if (read === 0) {
        skipRest(segment, 'file is shorter than what was written');
        continue;
      }
      let at = 0;
      while (out.length < max) {
        const decoded = decodeRecord(chunk, at, MAX_PAYLOAD, read);
        if (decoded.kind === 'record') {
          out.push({ json: decoder.decode(decoded.payload), segment: segment.id });
          segment.taken += 1;
          totals.backlog -= 1;
          at = decoded.next;
          continue;
        }
        if (decoded.kind === 'damaged') {
          cursor.offset += at;
          skipRest(segment, decoded.reason);
          at = 0;
          break;
        }
        if (decoded.kind === 'end' || at > 0) break; // a chunk that ends mid-record is read again from that record
        // A record longer than one chunk (or a length running past the trusted bytes: damage).
        if (cursor.offset + decoded.needs > segment.size) {
          skipRest(segment, 'record runs past the written bytes');
          break;
        }
        const whole = Buffer.allocUnsafe(decoded.needs);
        const got = readSync(segment.readFd, whole, 0, decoded.needs, cursor.offset);
        const single = decodeRecord(whole, 0, MAX_PAYLOAD, got);
        if (single.kind !== 'record') {
          skipRest(segment, 'record cannot be read whole');
          break;
        }
        out.push({ json: decoder.decode(single.payload), segment: segment.id });
        segment.taken += 1;
        totals.backlog -= 1;
        at = single.next;
        break;
      }
      cursor.offset += at;
    }
    return out;
  }

  function settleBelow(id: number): void {
    for (let i = 0; i < segments.length; ) {
      const segment = segments[i] as Segment;
      const fullyRead = segment.taken === segment.records && cursor.segment > segment.id;
      if (segment.id >= id || segment === writer.segment || !fullyRead) {
        i += 1;
        continue;
      }
      release(segment);
      try {
        unlinkSync(segment.file);
      } catch (error) {
        report(
          new SpoolError('spool_unavailable', `cannot delete ${segment.file}: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
      totals.bytes -= segment.fileBytes;
      segments.splice(i, 1);
    }
  }

  function close(settled: boolean): void {
    closeSync(writer.fd);
    for (const segment of segments) {
      release(segment);
      try {
        if (settled && totals.backlog === 0) unlinkSync(segment.file);
        else renameSync(segment.file, join(dir, freeName(self, segment.id)));
      } catch (error) {
        report(
          new SpoolError('spool_unavailable', `cannot release ${segment.file}: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
    }
    segments.length = 0;
  }

  const stats = (): SpoolStats => ({ ...totals });
  return { append, take, settleBelow, stats, backlog: () => totals.backlog, close };
}

export const openNodeSpool: OpenSpool = (settings, report) => openFileSpool(settings, report);
