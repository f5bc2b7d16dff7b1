// Identifier helpers: time-ordered item and visitor ids, and deterministic session ids.
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Fixed namespace for session ids: hash(visitor id, session number) must never change. */
const SESSION_NAMESPACE = '6f1c5d2e-3b8a-4c1f-9e7d-2a4b6c8d0e1f';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUIDv7 whose timestamp is `nowMs`, so ids sort by creation time. */
export function newId(nowMs: number = Date.now()): string {
  return uuidv7({ msecs: nowMs });
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * The id of a visitor's n-th session. Pure: every request that computes the same number for the
 * same visitor gets the same id, which is what makes racing requests agree.
 */
export function deriveSessionId(visitorId: string, sessionNumber: number): string {
  return uuidv5(`${visitorId}:${sessionNumber}`, SESSION_NAMESPACE);
}
