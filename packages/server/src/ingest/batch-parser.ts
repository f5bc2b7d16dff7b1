// Parses batch bodies on a worker thread, so the event loop keeps only HTTP and the inbox commits; falls back to the main thread.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { isBatchParseReply, type BatchParseRequest } from './batch-parse-protocol.js';
import { parseBatchBytes, type BatchParse } from './parse-batch-body.js';
import type { ItemRules } from './validate-items.js';

export interface BatchParser {
  /** The body's verdict; never rejects (a failed thread means the main thread parses it). */
  parse(body: Buffer, rules: ItemRules): Promise<BatchParse>;
  /** Where bodies are parsed now: 'thread', or 'inline' without one or after it failed. */
  mode(): 'thread' | 'inline';
  /** The live thread, if any (tests use it to simulate a crash). */
  thread(): Worker | null;
  close(): Promise<void>;
}

/**
 * Bodies smaller than this are parsed on the main thread: for a few items the copy and the two
 * messages cost more than the parse. A 500-item batch is ~150 KiB.
 */
export const THREAD_MIN_BYTES = 16 * 1024;

/**
 * The compiled thread program. Beside this module in dist/; under vitest this module runs from
 * src/, where a Worker cannot load the .ts twin, so the built dist/ file is used. Null if neither exists.
 */
export function resolveBatchParseThreadEntry(base: string = import.meta.url): URL | null {
  const beside = new URL('./batch-parse-thread-entry.js', base);
  if (existsSync(beside)) return beside;
  const built = new URL('../../dist/ingest/batch-parse-thread-entry.js', base);
  return existsSync(built) ? built : null;
}

const parseInline = (body: Buffer, rules: ItemRules): BatchParse => parseBatchBytes(body, rules);

interface Pending {
  body: Buffer;
  rules: ItemRules;
  resolve: (result: BatchParse) => void;
}

/**
 * With `entry`, one thread parses and validates large bodies (JSON parse, schema checks, payload
 * encoding: ~4 of the ~9 µs the event loop spent per batched item). Each request is sent with an
 * id and a copy of the body; a reply resolves only the request with its id. If the thread dies,
 * the error goes to `onError`, the requests it held are parsed from the kept bodies on the main
 * thread, and so is everything after: nothing is lost or answered twice.
 */
export function createBatchParser(deps: { entry: URL | null; onError: (error: Error) => void }): BatchParser {
  const pending = new Map<number, Pending>();
  let thread: Worker | null = null;
  let closing = false;
  let nextId = 0;

  /** The thread is gone ('error' and 'exit' may both come): the first call takes over its requests. */
  function fail(error: Error): void {
    if (thread === null) return;
    thread = null;
    if (!closing)
      deps.onError(new Error(`batch parse thread failed, batches are parsed on the main thread: ${error.message}`));
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve(parseInline(p.body, p.rules));
    }
  }

  function onMessage(message: unknown): void {
    if (!isBatchParseReply(message)) {
      deps.onError(new Error('batch parse thread: ignored a message of unknown shape'));
      return;
    }
    const p = pending.get(message.id);
    if (p === undefined) {
      deps.onError(new Error(`batch parse thread: reply ${message.id} matches no pending request; ignored`));
      return;
    }
    pending.delete(message.id);
    if (message.result.kind === 'ok') {
      p.resolve(message.result.value);
      return;
    }
    deps.onError(new Error(`batch parse thread: ${message.result.error}; parsed on the main thread instead`));
    p.resolve(parseInline(p.body, p.rules));
  }

  if (deps.entry !== null) {
    const worker = new Worker(deps.entry);
    // In-flight HTTP requests keep the process alive; an idle parse thread must not.
    worker.unref();
    worker.on('message', onMessage);
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`thread exited with code ${code}`)));
    thread = worker;
  }

  return {
    parse(body, rules) {
      const target = thread;
      if (target === null || body.length < THREAD_MIN_BYTES) return Promise.resolve(parseInline(body, rules));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { body, rules, resolve });
        const request: BatchParseRequest = { id, body, rules };
        target.postMessage(request);
      });
    },
    mode: () => (thread === null ? 'inline' : 'thread'),
    thread: () => thread,
    async close() {
      closing = true;
      const target = thread;
      if (target !== null) await target.terminate();
    },
  };
}
