// A POST /api/v1/batch body from raw bytes or text to validated, encoded inbox items: the same on the main thread and on the parse thread.
import { batchRequestSchema, zodProblems, type BatchRequest, type ItemError } from '@touchline/core';
import type { InboxItem } from '@touchline/storage';
import sjson from 'secure-json-parse';
import { splitBatchBody } from './split-batch-body.js';
import { findNul, mayHoldNul } from './find-nul.js';
import { senderClock, type SenderClock } from './sender-clock.js';
import { validateItems, type ItemRules } from './validate-items.js';

export type BatchParse =
  | { kind: 'ok'; batchId: string; sdk: BatchRequest['sdk']; accepted: InboxItem[]; errors: ItemError[]; repeats: number; clock: SenderClock }
  | { kind: 'invalid_json'; message: string }
  | { kind: 'invalid_batch'; message: string; batchId: string | null };

/** As fastify's own JSON parser is configured (create-collector.ts): prototype keys are dropped while parsing. */
const JSON_OPTIONS = { protoAction: 'remove', constructorAction: 'remove' } as const;

/**
 * From this size a body is parsed item by item. V8 puts strings of 128 KiB and more in its large
 * object space, fresh memory for each one; on this VM the page faults made decoding a 221 KB
 * 500-item body take ~850 µs, against ~13 µs for a 120 KB one. Split, the body becomes ~500 small
 * strings: 1.3 instead of 2.0 ms to decode and parse it (two-byte text doubles a string's size, hence the margin).
 */
export const SPLIT_MIN_BYTES = 60 * 1024;

/** JSON text to a value as fastify's parser gives it (prototype keys dropped); throws SyntaxError. */
export function parseJsonBody(text: string): unknown {
  return sjson.parse(text, null, JSON_OPTIONS);
}

/**
 * The envelope and each item parsed on their own, or undefined when the body does not split or a
 * piece does not parse. Whenever it gives a value, it equals parseJsonBody of the whole text (tested).
 */
export function parseSplitBody(bytes: Buffer): unknown {
  const split = splitBatchBody(bytes);
  if (split === null) return undefined;
  try {
    const envelope = parseJsonBody(bytes.toString('utf8', 0, split.open + 1) + bytes.toString('utf8', split.close));
    if (envelope === null || typeof envelope !== 'object' || !Array.isArray((envelope as { items?: unknown }).items)) return undefined;
    const { elements } = split;
    const items: unknown[] = new Array(elements.length / 2);
    for (let k = 0; k < elements.length; k += 2) items[k / 2] = parseJsonBody(bytes.toString('utf8', elements[k], elements[k + 1]));
    (envelope as { items: unknown[] }).items = items;
    return envelope;
  } catch {
    return undefined; // the whole-text parse below says what is wrong
  }
}

/** The verdict on a parsed body: its envelope, then each item (good items are accepted even when others are not). */
function judge(body: unknown, rules: ItemRules, checkNul: boolean): BatchParse {
  const parsed = batchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const maybeId = (body as { batch_id?: unknown } | null)?.batch_id;
    return {
      kind: 'invalid_batch', message: zodProblems(parsed.error).map((p) => `${p.path || 'body'}: ${p.message}`).join('; '),
      batchId: typeof maybeId === 'string' ? maybeId.slice(0, 64) : null,
    };
  }
  const sdkNul = checkNul ? findNul(parsed.data.sdk) : null;
  if (sdkNul !== null) {
    return { kind: 'invalid_batch', message: `sdk.${sdkNul}: contains a NUL character (U+0000), which no text field may hold`, batchId: parsed.data.batch_id };
  }
  const clock = senderClock(Date.parse(parsed.data.sent_at), rules.now, rules);
  const { accepted, errors, repeats } = validateItems(parsed.data.items, rules, checkNul, clock);
  return { kind: 'ok', batchId: parsed.data.batch_id, sdk: parsed.data.sdk, accepted, errors, repeats, clock };
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
    return { kind: 'invalid_json', message: error instanceof Error ? error.message : String(error) };
  }
  return judge(body, rules, mayHoldNul(text));
}

/** As parseBatchBody, from the body's bytes (UTF-8): a large body is split into items first (see SPLIT_MIN_BYTES). */
export function parseBatchBytes(bytes: Uint8Array, rules: ItemRules, splitMinBytes = SPLIT_MIN_BYTES): BatchParse {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body = buffer.length >= splitMinBytes ? parseSplitBody(buffer) : undefined;
  return body === undefined ? parseBatchBody(buffer.toString('utf8'), rules) : judge(body, rules, mayHoldNul(buffer));
}
