// A read thread's program: its own read-only connection to the collector's database, one query at a time.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { err, ok } from '@touchline/core';
import { openPostgresStorage, openSqliteStorage, type Storage } from '@touchline/storage';
import { lowerThreadPriority } from '../workers/lower-thread-priority.js';
import { isReadOpName, runReadOp } from './read-ops.js';
import type { ReadThreadData, ReadThreadReply, ReadThreadRequest } from './read-thread-protocol.js';

/** A thread runs one query at a time: a pool of 2 (unless the URL names one) serves a query's parallel reads. */
function withPool(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('pool')) parsed.searchParams.set('pool', '2');
  return parsed.toString();
}

function open(data: ReadThreadData): Storage {
  return data.target.dialect === 'sqlite'
    ? openSqliteStorage({ path: data.target.path, readOnly: true })
    : openPostgresStorage({ url: withPool(data.target.url) });
}

export function runReadThread(port: MessagePort, data: ReadThreadData): void {
  // Queries are background work next to ingest's acknowledgements (see settings reads.threadNice).
  if (data.nice > 0) lowerThreadPriority(data.nice);
  // Opened on the first query, after the collector has migrated the database.
  let storage: Storage | null = null;
  const reply = (message: ReadThreadReply): void => port.postMessage(message);
  port.on('message', (request: ReadThreadRequest) => {
    if (request.kind === 'close') {
      void (storage?.close() ?? Promise.resolve()).finally(() => port.close());
      return;
    }
    const { id, op, args } = request;
    void (async () => {
      try {
        if (!isReadOpName(op)) throw new Error(`unknown read operation ${String(op)}`);
        storage ??= open(data);
        reply({ id, result: ok(await runReadOp(storage, op, args as never)) });
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        const code = (e as { code?: unknown }).code;
        reply({ id, result: err({ name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) }) });
      }
    })();
  });
}

if (parentPort !== null) runReadThread(parentPort, workerData as ReadThreadData);
