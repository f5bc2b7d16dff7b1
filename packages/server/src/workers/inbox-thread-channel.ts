// The correlated request/reply channel to one inbox worker thread: each request has a fresh id, each reply is matched to it.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { StorageError, type StorageFaultCode } from '@touchline/storage';
import {
  isInboxThreadMessage,
  type ErasureOrder,
  type InboxThreadAnswer,
  type InboxThreadEvent,
  type InboxThreadOp,
} from './inbox-thread-protocol.js';

export interface InboxThreadChannel {
  /** Sends `op` and resolves with the reply carrying its id; rejects if the thread reports failure or dies. */
  request(op: InboxThreadOp, erasure?: ErasureOrder): Promise<InboxThreadAnswer>;
  /** Rejects every request still waiting (the thread is gone). */
  rejectAll(reason: string): void;
}

interface Pending {
  op: InboxThreadOp;
  resolve: (answer: InboxThreadAnswer) => void;
  reject: (error: Error) => void;
}

/** The thread's error as the caller can act on it: a storage fault stays a StorageError with its code. */
export function threadError(message: string, fault: StorageFaultCode | undefined): Error {
  return fault === undefined ? new Error(message) : new StorageError(fault, message);
}

/**
 * Listens to `thread`'s messages: replies settle their request, events tagged with `run` go to
 * `onEvent`, and anything else (another run's message, a reply nobody asked for) goes to `onError`.
 * While a request is in flight the thread keeps the process alive; an idle one does not.
 */
export function createInboxThreadChannel(deps: {
  thread: Worker;
  run: string;
  onEvent: (event: InboxThreadEvent) => void;
  onError: (error: Error) => void;
}): InboxThreadChannel {
  const { thread, run, onError } = deps;
  const pending = new Map<string, Pending>();
  thread.unref();

  thread.on('message', (message: unknown) => {
    if (!isInboxThreadMessage(message) || message.run !== run) {
      onError(new Error(`inbox thread ${run}: ignored a message from another thread or of unknown shape`));
      return;
    }
    if (message.kind !== 'reply') {
      deps.onEvent(message);
      return;
    }
    const request = pending.get(message.replyTo);
    if (request === undefined || request.op !== message.op) {
      onError(
        new Error(`inbox thread ${run}: reply ${message.replyTo} (${message.op}) matches no pending request; ignored`),
      );
      return;
    }
    pending.delete(message.replyTo);
    const { result } = message;
    if (result.kind === 'ok') request.resolve(result.value);
    else request.reject(threadError(`inbox thread ${message.op} failed: ${result.error.message}`, result.error.fault));
  });

  return {
    request(op, erasure) {
      const id = randomUUID();
      thread.ref();
      return new Promise<InboxThreadAnswer>((resolve, reject) => {
        pending.set(id, { op, resolve, reject });
        thread.postMessage(erasure === undefined ? { id, op } : { id, op, erasure });
      }).finally(() => {
        if (pending.size === 0) thread.unref();
      });
    },
    rejectAll(reason) {
      for (const [id, request] of pending) {
        pending.delete(id);
        request.reject(new Error(`inbox thread died before answering ${request.op}: ${reason}`));
      }
    },
  };
}
