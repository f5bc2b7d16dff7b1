// A POST /api/v1/batch body from raw bytes or text to validated, encoded inbox items: the same on the main thread and on the parse thread.
import {
  batchRequestSchema,
  err,
  ok,
  zodProblems,
  type BatchRequest,
  type ItemError,
  type Result,
} from '@touchline/core';
import type { InboxItem } from '@touchline/storage';
import sjson from 'secure-json-parse';
import { findNul, mayHoldNul } from './find-nul.js';
import { senderClock, type SenderClock } from './sender-clock.js';
import { validateItems, type ItemRules } from './validate-items.js';

/** A batch whose envelope is valid: its good items encoded for the inbox, its bad ones reported by index. */
export interface ParsedBatch {
  batchId: string;
  sdk: BatchRequest['sdk'];
  accepted: InboxItem[];
  errors: ItemError[];
  repeats: number;
  clock: SenderClock;
}

/** Why the whole body was refused; `code` is the HTTP error code the route answers with. */
export type BatchProblem =
  | { code: 'invalid_json'; message: string }
  | { code: 'invalid_batch'; message: string; batchId: string | null };

export type BatchParse = Result<ParsedBatch, BatchProblem>;

/** As fastify's own JSON parser is configured (create-collector.ts): prototype keys are dropped while parsing. */
const JSON_OPTIONS = { protoAction: 'remove', constructorAction: 'remove' } as const;

/** JSON text to a value as fastify's parser gives it (prototype keys dropped); throws SyntaxError. */
export function parseJsonBody(text: string): unknown {
  return sjson.parse(text, null, JSON_OPTIONS);
}

/** The verdict on a parsed body: its envelope, then each item (good items are accepted even when others are not). */
function judge(body: unknown, rules: ItemRules, checkNul: boolean): BatchParse {
  const parsed = batchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const maybeId = (body as { batch_id?: unknown } | null)?.batch_id;
    return err({
      code: 'invalid_batch',
      message: zodProblems(parsed.error)
        .map((p) => `${p.path || 'body'}: ${p.message}`)
        .join('; '),
      batchId: typeof maybeId === 'string' ? maybeId.slice(0, 64) : null,
    });
  }
  const sdkNul = checkNul ? findNul(parsed.data.sdk) : null;
  if (sdkNul !== null) {
    return err({
      code: 'invalid_batch',
      message: `sdk.${sdkNul}: contains a NUL character (U+0000), which no text field may hold`,
      batchId: parsed.data.batch_id,
    });
  }
  const clock = senderClock(Date.parse(parsed.data.sent_at), rules.now, rules);
  const { accepted, errors, repeats } = validateItems(parsed.data.items, rules, checkNul, clock);
  return ok({ batchId: parsed.data.batch_id, sdk: parsed.data.sdk, accepted, errors, repeats, clock });
}

/**
 * Parses and validates one batch body. Only plain data goes in and out (text, rules, strings and
 * numbers), so the result can cross a thread boundary as it is.
 */
export function parseBatchBody(text: string, rules: ItemRules): BatchParse {
  let body: unknown;
  try {
    body = parseJsonBody(text);
  } catch (error) {
    return err({ code: 'invalid_json', message: error instanceof Error ? error.message : String(error) });
  }
  return judge(body, rules, mayHoldNul(text));
}

/**
 * As parseBatchBody, from the body's bytes (UTF-8). A byte scanner that parsed large bodies item by
 * item (fewer page faults on 221 KB bodies) was removed: its same-run A/B showed no gain (docs/hand-written.md).
 */
export function parseBatchBytes(bytes: Uint8Array, rules: ItemRules): BatchParse {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return parseBatchBody(buffer.toString('utf8'), rules);
}
