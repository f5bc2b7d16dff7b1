// Builds wire items from SDK calls and validates them, returning problems as values.
import {
  deriveSessionId,
  err,
  isoTimestamp,
  itemSchema,
  newId,
  ok,
  zodProblems,
  type GhostVisitor,
  type Item,
  type RequestContext,
  type Result,
} from '@touchline/core';

export interface ItemOrigin {
  visitorId: string;
  sessionId: string | null;
  context: RequestContext | null;
  timestamp: number;
}

export type ItemBody =
  | { type: 'pageview' }
  | { type: 'event'; name: unknown; properties: unknown }
  | { type: 'conversion'; name: unknown; revenue: unknown; currency: unknown; properties: unknown }
  | { type: 'identify'; user_id: unknown; traits: unknown }
  | { type: 'session_end'; next_session_id: string };

/** Validates against the same schema the collector enforces, so bad calls fail here, loudly. */
export function buildItem(origin: ItemOrigin, body: ItemBody): Result<Item> {
  const candidate = {
    ...body,
    id: newId(origin.timestamp),
    timestamp: isoTimestamp(origin.timestamp),
    visitor_id: origin.visitorId,
    session_id: origin.sessionId,
    context: origin.context,
  };
  const parsed = itemSchema.safeParse(candidate);
  if (parsed.success) return ok(parsed.data);
  const detail = zodProblems(parsed.error)
    .map((p) => `${p.path || '(item)'}: ${p.message}`)
    .join('; ');
  return err(`invalid ${body.type}: ${detail}`);
}

/**
 * Pageviews are built by the SDK itself from values the protocol produced, so they skip schema
 * validation: this runs on every navigation, where microseconds are the app's throughput.
 */
export function buildPageview(origin: ItemOrigin & { sessionId: string }): Item {
  return {
    type: 'pageview',
    id: newId(origin.timestamp),
    timestamp: isoTimestamp(origin.timestamp),
    visitor_id: origin.visitorId,
    session_id: origin.sessionId,
    context: origin.context,
  };
}

/**
 * The alias of a ghost visitor (racing first navigations, DESIGN.md L10) to the browser's canonical
 * visitor. Its id is derived from the pair, so the same alias sent by several racing requests (or
 * several app servers) is stored once: the collector dedupes on item ids.
 */
export function buildAlias(canonical: string, ghost: GhostVisitor, timestamp: number): Item {
  return {
    type: 'alias',
    id: deriveSessionId(`alias:${ghost.visitorId}:${canonical}`, 0),
    timestamp: isoTimestamp(timestamp),
    visitor_id: canonical,
    session_id: ghost.into,
    context: null,
    previous_id: ghost.visitorId,
    previous_session_id: ghost.sessionId,
  };
}
