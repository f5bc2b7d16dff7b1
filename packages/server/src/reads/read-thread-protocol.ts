// Messages between the collector and a read thread: one query at a time, each answer carries its request's id.
import type { Result } from '@touchline/core';
import type { StorageTarget } from '@touchline/storage';
import type { ReadOpName } from './read-ops.js';

/** What a read thread opens: the same database as the collector, by path or URL. */
export interface ReadThreadData {
  target: StorageTarget;
  /** The thread lowers its own priority to this nice value (0: unchanged); see settings reads.threadNice. */
  nice: number;
}

/** Main -> thread: run `op`, or close the connection and exit. */
export type ReadThreadRequest = { kind: 'run'; id: number; op: ReadOpName; args: unknown[] } | { kind: 'close' };

/** A query's error as it crosses the thread boundary: its name, message and code, if any. */
export interface ReadThreadFailure {
  name: string;
  message: string;
  code?: string;
}

/** Thread -> main: the answer to request `id`, or the error the query threw. */
export interface ReadThreadReply {
  id: number;
  result: Result<unknown, ReadThreadFailure>;
}
