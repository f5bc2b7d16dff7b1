// Messages between the collector and its inbox worker thread: every one carries a correlation id (DESIGN L3).
import type { Result } from '@touchline/core';
import { isStorageFaultCode, type ErasureResult, type StorageFaultCode, type SubjectKind } from '@touchline/storage';
import type { ServerSettings } from '../server-settings.js';

/** What the thread is started with: `run` tags every message it sends, so a stale thread's messages are ignored. */
export interface InboxThreadData {
  run: string;
  databasePath: string;
  worker: ServerSettings['worker'];
  /** Cookieless sessions and secrets (the worker identifies cookieless items). */
  cookieless: ServerSettings['cookieless'];
  /** The WAL bound the thread's connection enforces on its writes; the main connection checkpoints. */
  walLimitBytes: number;
  /** Shared with the collector's ingest writes, which take priority (see write-gate.ts). */
  writeGate?: SharedArrayBuffer;
  /** Prune and compact processed inbox rows on the thread's connection (settings.inboxKeepDays, inboxPayloadKeepDays), while the worker runs. */
  prune?: { keepDays: number | null; compactDays: number | null; intervalMs: number };
  /** Refresh the materialized journeys on the thread's connection every this many ms, while the worker runs. */
  journeyRefreshMs?: number;
}

export type InboxThreadOp = 'start' | 'stop' | 'drain' | 'runOnce' | 'stats' | 'erase';

/**
 * An erasure the thread runs on its connection (erasePerson, docs/privacy.md): plain data only. The
 * thread finds the person's cookieless inbox items itself, with the account's secrets as of `now`.
 */
export interface ErasureOrder {
  accountId: string;
  subject: { kind: SubjectKind; id: string };
  requestedBy: string;
  now: number;
  tombstoneMs: number;
}

/** Main -> thread: a request; the thread answers each with exactly one reply carrying the same `id`. */
export interface InboxThreadRequest {
  id: string;
  op: InboxThreadOp;
  /** With op 'erase' only. */
  erasure?: ErasureOrder;
}

/** Rows the thread has finished since it started, by outcome. */
export interface InboxThreadStats {
  done: number;
  dead: number;
}

/** What a request achieved: rows handled, and the thread's totals so far. */
export interface InboxThreadAnswer {
  handled: number;
  stats: InboxThreadStats;
  /** The answer to op 'erase'. */
  erasure?: ErasureResult;
}

/** Why a request failed. A storage fault keeps its code across the thread boundary: the caller tells "retry later" from bad data. */
export interface InboxThreadFailure {
  message: string;
  fault?: StorageFaultCode;
}

/** Thread -> main: a reply, checked against the pending request with that id and op. */
export interface InboxThreadReply {
  kind: 'reply';
  run: string;
  replyTo: string;
  op: InboxThreadOp;
  result: Result<InboxThreadAnswer, InboxThreadFailure>;
}

/** Thread -> main: progress and errors of the thread's own loop, tagged with its run id. */
export type InboxThreadEvent =
  | { kind: 'processed'; run: string; outcome: 'done' | 'dead'; count: number }
  | { kind: 'error'; run: string; message: string; fault?: StorageFaultCode };

export type InboxThreadMessage = InboxThreadReply | InboxThreadEvent;

const OPS: ReadonlySet<string> = new Set<InboxThreadOp>(['start', 'stop', 'drain', 'runOnce', 'stats', 'erase']);

function isErasureOrder(value: unknown): value is ErasureOrder {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const subject = v.subject as Record<string, unknown> | null | undefined;
  return (
    typeof v.accountId === 'string' &&
    typeof v.requestedBy === 'string' &&
    typeof v.now === 'number' &&
    typeof v.tombstoneMs === 'number' &&
    typeof subject === 'object' &&
    subject !== null &&
    (subject.kind === 'visitor' || subject.kind === 'user') &&
    typeof subject.id === 'string'
  );
}

/** A request of a known op; 'erase' only with a well-formed order, and no other op with one. */
export function isInboxThreadRequest(value: unknown): value is InboxThreadRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.op !== 'string' || !OPS.has(v.op)) return false;
  return v.op === 'erase' ? isErasureOrder(v.erasure) : v.erasure === undefined;
}

export function isInboxThreadMessage(value: unknown): value is InboxThreadMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.run !== 'string') return false;
  if (v.kind === 'reply') return isReplyResult(v.result);
  return (v.kind === 'processed' || v.kind === 'error') && isFaultField(v.fault);
}

/** A fault code is rebuilt into a StorageError on this side: only the codes storage defines pass. */
function isFaultField(fault: unknown): boolean {
  return fault === undefined || isStorageFaultCode(fault);
}

function isReplyResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.kind === 'ok') return typeof r.value === 'object' && r.value !== null;
  if (r.kind !== 'err' || typeof r.error !== 'object' || r.error === null) return false;
  const failure = r.error as Record<string, unknown>;
  return typeof failure.message === 'string' && isFaultField(failure.fault);
}
