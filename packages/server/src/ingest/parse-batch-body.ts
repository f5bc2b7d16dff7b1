// A POST /api/v1/batch body from raw text to validated, encoded inbox items: the same on the main thread and on the parse thread.
import { batchRequestSchema, zodProblems, type BatchRequest, type ItemError } from '@touchline/core';
import type { InboxItem } from '@touchline/storage';
import sjson from 'secure-json-parse';
import { validateItems, type ItemRules } from './validate-items.js';

export type BatchParse =
  | { kind: 'ok'; batchId: string; sdk: BatchRequest['sdk']; accepted: InboxItem[]; errors: ItemError[] }
  | { kind: 'invalid_json'; message: string }
  | { kind: 'invalid_batch'; message: string; batchId: string | null };

/** As fastify's own JSON parser is configured (create-collector.ts): prototype keys are dropped while parsing. */
const JSON_OPTIONS = { protoAction: 'remove', constructorAction: 'remove' } as const;

/** JSON text to a value as fastify's parser gives it (prototype keys dropped); throws SyntaxError. */
export function parseJsonBody(text: string): unknown {
  return sjson.parse(text, null, JSON_OPTIONS);
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
  const parsed = batchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const maybeId = (body as { batch_id?: unknown } | null)?.batch_id;
    return {
      kind: 'invalid_batch', message: zodProblems(parsed.error).map((p) => `${p.path || 'body'}: ${p.message}`).join('; '),
      batchId: typeof maybeId === 'string' ? maybeId.slice(0, 64) : null,
    };
  }
  const { accepted, errors } = validateItems(parsed.data.items, rules);
  return { kind: 'ok', batchId: parsed.data.batch_id, sdk: parsed.data.sdk, accepted, errors };
}
