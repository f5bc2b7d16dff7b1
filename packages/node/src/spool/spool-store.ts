// The contract between the transport's queue and an on-disk spool; no runtime imports, so edge builds stay free of node:fs.

/** One record handed back from disk, in write order, with the segment it lives in. */
export interface SpoolEntry {
  readonly json: string;
  readonly segment: number;
}

export type SpoolAppend =
  | { kind: 'appended'; segment: number }
  | { kind: 'full'; message: string }
  /** The write failed (disk full, I/O error); the segment was cut back to its last whole record. */
  | { kind: 'failed'; message: string };

export interface SpoolStats {
  /** Bytes of all segment files this process owns (adopted ones included). */
  bytes: number;
  /** Records on disk not yet handed to the memory queue. */
  backlog: number;
  /** Records adopted from processes that died (or closed) with items undelivered. */
  adopted: number;
  /** Records that could not be read back (torn tail of a killed writer, damaged bytes). */
  skipped: number;
}

/**
 * An append-only log in segments. Everything synchronous: an item is on disk (in the OS page
 * cache, so it survives a kill of the process) before `append` returns.
 */
export interface SpoolStore {
  /**
   * Appends one item. `handOut` says the caller keeps it in memory too, so it never comes back
   * from `take`; honoured only while the backlog is empty (order would break otherwise).
   */
  append(json: string, handOut: boolean): SpoolAppend;
  /** The next `max` backlog records, oldest first. */
  take(max: number): SpoolEntry[];
  /** Every item of segments below `segment` is settled: delete them. */
  settleBelow(segment: number): void;
  stats(): SpoolStats;
  /** `stats().backlog` without building the object: read on every enqueue. */
  backlog(): number;
  /**
   * Releases the files: removes them when `settled`, otherwise leaves them for the next process
   * (or the next client of this one) to adopt and send.
   */
  close(settled: boolean): void;
}

/** How the Node entry opens a spool; edge entries have none (see client/create-client.ts). */
export type OpenSpool = (settings: { path: string; maxBytes: number }, report: (error: Error) => void) => SpoolStore;
