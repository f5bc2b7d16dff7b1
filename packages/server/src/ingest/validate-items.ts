// Validates a batch's items one by one: good items are accepted even when others are rejected.
import {
  COOKIELESS_ID,
  err,
  itemSchema,
  ok,
  parseItemFast,
  zodProblems,
  type Item,
  type ItemError,
  type Result,
} from '@touchline/core';
import type { InboxItem } from '@touchline/storage';
import { encodeStoredItem } from '../pipeline/stored-item-codec.js';
import { anonymizeIp } from './anonymize-ip.js';
import { findNul } from './find-nul.js';
import { correctionMs, describeOffset, type ClockRules, type SenderClock } from './sender-clock.js';

export interface ItemRules extends ClockRules {
  now: number;
  maxFutureSkewMs: number;
  maxPastAgeMs: number;
  storeFullIp: boolean;
}

export interface ValidatedItems {
  accepted: InboxItem[];
  errors: ItemError[];
  /** Items repeated in the batch with the same id and identical content: stored once, counted as duplicates. */
  repeats: number;
}

function idOf(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' ? id.slice(0, 64) : null;
}

/** Why the sender's clock could not explain a bad timestamp away, for the item's error. */
function skewNote(clock: SenderClock | null, rules: ItemRules): string {
  if (clock?.kind !== 'too_far') return '';
  return (
    ` (the sender's clock is ${describeOffset(clock.offsetMs)} the collector's by sent_at, more than the ` +
    `${rules.maxClockCorrectionMs / 3_600_000} h the collector corrects: fix the host's clock, e.g. with NTP)`
  );
}

/**
 * Checks the item's time, read on the collector's clock: a corrected sender's skew is taken off
 * first (and the stored timestamp is the corrected one), so a host with a fast clock loses nothing.
 */
function timeProblem(item: Item, rules: ItemRules, clock: SenderClock | null): string | null {
  const ts = Date.parse(item.timestamp) - correctionMs(clock);
  const shown =
    correctionMs(clock) === 0
      ? item.timestamp
      : `${item.timestamp} (${new Date(ts).toISOString()} corrected for the sender's clock)`;
  if (ts > rules.now + rules.maxFutureSkewMs)
    return `timestamp ${shown} is more than ${rules.maxFutureSkewMs / 60_000} minutes in the future${skewNote(clock, rules)}`;
  if (ts < rules.now - rules.maxPastAgeMs)
    return `timestamp ${shown} is older than ${Math.round(rules.maxPastAgeMs / 86_400_000)} days${skewNote(clock, rules)}`;
  if (ts !== Date.parse(item.timestamp)) item.timestamp = new Date(ts).toISOString();
  return null;
}

/** The item as the hand-written parser reads it, or else zod's verdict: the item, or the message naming every problem. */
function checked(raw: unknown, index: number): Result<Item> {
  const fast = parseItemFast(raw);
  if (fast !== undefined) return ok(fast);
  const parsed = itemSchema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  return err(
    zodProblems(parsed.error)
      .map((p) => `items[${index}].${p.path}: ${p.message}`)
      .join('; '),
  );
}

/**
 * A cookieless item (visitor_id is the nil UUID, docs/privacy.md) is identified by the worker from
 * its truncated IP and user agent: without them every such item would become one visitor.
 */
function cookielessProblem(item: Item, index: number): string | null {
  if (item.visitor_id !== COOKIELESS_ID) return null;
  if (item.type === 'alias')
    return `items[${index}].visitor_id: an alias names two real visitors; the nil UUID (cookieless) cannot be one`;
  if (item.context === null || item.context.ip === null || item.context.user_agent === null) {
    return `items[${index}].context: a cookieless item (visitor_id ${COOKIELESS_ID}) needs context.ip and context.user_agent: the collector identifies its visitor by them`;
  }
  return null;
}

/**
 * `checkNul: false` only when the caller saw the raw body and it cannot hold a NUL (mayHoldNul).
 * `clock`: the sender's clock as its batch's sent_at shows it (null for single items, which carry no sent_at).
 * Parses each raw item; `__proto__`-style keys are plain data here (both parsers build fresh
 * objects). Well-formed items take the hand-written path; zod decides (and explains) the rest.
 */
export function validateItems(
  rawItems: readonly unknown[],
  rules: ItemRules,
  checkNul = true,
  clock: SenderClock | null = null,
): ValidatedItems {
  const accepted: InboxItem[] = [];
  const errors: ItemError[] = [];
  /** Each id's first accepted item: its index and stored form. */
  const seen = new Map<string, { index: number; payload: string }>();
  let repeats = 0;
  rawItems.forEach((raw, index) => {
    const result = checked(raw, index);
    if (result.kind === 'err') {
      errors.push({ index, id: idOf(raw), code: 'invalid_item', message: result.error });
      return;
    }
    const item = result.value;
    const problem = timeProblem(item, rules, clock);
    if (problem !== null) {
      errors.push({ index, id: item.id, code: 'invalid_timestamp', message: `items[${index}].timestamp: ${problem}` });
      return;
    }
    const cookieless = cookielessProblem(item, index);
    if (cookieless !== null) {
      errors.push({ index, id: item.id, code: 'invalid_item', message: cookieless });
      return;
    }
    const nul = checkNul ? findNul(item) : null;
    if (nul !== null) {
      errors.push({
        index,
        id: item.id,
        code: 'invalid_item',
        message: `items[${index}].${nul}: contains a NUL character (U+0000), which no text field may hold`,
      });
      return;
    }
    // Both parsers return fresh objects (never the request's), so the address is truncated in place.
    // A cookieless item's address is always truncated: its visitor is the hash of the truncated one,
    // and keeping the raw address would defeat the mode (docs/privacy.md).
    if (item.context !== null && (!rules.storeFullIp || item.visitor_id === COOKIELESS_ID))
      item.context.ip = anonymizeIp(item.context.ip);
    const payload = encodeStoredItem(item);
    const first = seen.get(item.id);
    if (first === undefined) {
      seen.set(item.id, { index, payload });
      accepted.push({ itemId: item.id, type: item.type, payload });
    } else if (first.payload === payload) {
      repeats += 1; // the same item twice (a client's own retry inside one batch): stored once
    } else {
      // Two different items under one id: only one can be stored, so the other is reported, never dropped silently.
      errors.push({
        index,
        id: item.id,
        code: 'duplicate_id',
        message: `items[${index}].id: ${item.id} is also the id of items[${first.index}], with different content; items[${first.index}] is stored, this item is not: give it an id of its own`,
      });
    }
  });
  return { accepted, errors, repeats };
}
