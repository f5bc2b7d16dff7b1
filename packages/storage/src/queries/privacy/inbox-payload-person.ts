// Whether an inbox payload belongs to a person: its visitor id, or the user id of an identify item.
//
// The inbox keeps each item as the collector stored it (server/src/pipeline/stored-item-codec.ts):
// a compact array [1, timestamp, visitor_id, session_id, context, ...type fields], identify's
// user_id at index 5, or, for rows stored before that layout, a JSON object. Storage cannot import
// the server's codec (layers only point down), so the two positions it needs are read here; the
// codec's tests pin the layout. A payload that is not JSON at all (a poison row) belongs to the
// person when it holds one of their ids as a JSON string anywhere: erring towards erasure.
import { COOKIELESS_ID } from '@touchline/core';

const VISITOR_SLOT = 2;
const USER_SLOT = 5;

export interface PersonIds {
  visitors: ReadonlySet<string>;
  users: ReadonlySet<string>;
}

/**
 * The visitor id a cookieless inbox item gets from the worker (the daily keyed hash of its address,
 * user agent and site), or null when it is not cookieless or its day's secret is gone. The inbox
 * keeps cookieless items as received (nil visitor), so erasure and export need this to find them;
 * the server builds it (it owns the codec and the hash) from the account's live secrets.
 */
export type CookielessVisitorOf = (row: { itemId: string; type: string; payload: string }) => string | null;

/** The ids as they appear inside a payload (JSON string literals): the SQL prefilter searches for these. */
export function quotedIds(person: PersonIds, cookieless?: CookielessVisitorOf): string[] {
  const ids = [...person.visitors, ...person.users];
  // With a cookieless matcher the nil visitor id is searched for too: those rows are decided by their computed id.
  if (cookieless !== undefined) ids.push(COOKIELESS_ID);
  return ids.map((id) => JSON.stringify(id));
}

function fieldsOf(type: string, json: unknown): { visitor: unknown; user: unknown } | null {
  if (Array.isArray(json))
    return { visitor: json[VISITOR_SLOT], user: type === 'identify' ? json[USER_SLOT] : undefined };
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>;
    return { visitor: o.visitor_id, user: type === 'identify' ? o.user_id : undefined };
  }
  return null;
}

/** payloadBelongsTo, or (given a matcher) a cookieless item whose computed visitor is the person's. */
export function rowBelongsTo(
  row: { itemId: string; type: string; payload: string },
  person: PersonIds,
  cookieless?: CookielessVisitorOf,
): boolean {
  if (payloadBelongsTo(row.type, row.payload, person)) return true;
  if (cookieless === undefined || !row.payload.includes(COOKIELESS_ID)) return false;
  const visitor = cookieless(row);
  return visitor !== null && person.visitors.has(visitor);
}

export function payloadBelongsTo(type: string, payload: string, person: PersonIds): boolean {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    json = undefined;
  }
  const fields = fieldsOf(type, json);
  if (fields === null) return quotedIds(person).some((q) => payload.includes(q));
  return (
    (typeof fields.visitor === 'string' && person.visitors.has(fields.visitor)) ||
    (typeof fields.user === 'string' && person.users.has(fields.user))
  );
}

/**
 * The visitor an identify payload links to one of the person's user ids, else null: a device not yet
 * processed (its identify still pending) is the person's too, so the erasure takes its items as well.
 * Never the nil id of a cookieless identify: as one of the person's visitors it would match every
 * cookieless item of the account (everyone's) and erase them all. Such a device's id is computed only
 * when the worker processes the identify; the identify itself goes (its user id is the person's).
 */
export function linkedVisitor(type: string, payload: string, person: PersonIds): string | null {
  if (type !== 'identify') return null;
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const fields = fieldsOf(type, json);
  return fields !== null &&
    typeof fields.user === 'string' &&
    person.users.has(fields.user) &&
    typeof fields.visitor === 'string' &&
    fields.visitor !== COOKIELESS_ID
    ? fields.visitor
    : null;
}
