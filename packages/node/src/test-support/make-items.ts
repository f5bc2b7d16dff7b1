// Valid wire items for tests, each with a fresh UUIDv7 id.
import { newId, type EventItem } from '@touchline/core';

const VISITOR = '0190a8f2-6c1e-7b3a-9d4f-1a2b3c4d5e6f';

/** An event item; `padding` adds a string property of that many characters to make it heavy. */
export function makeEvent(
  name = 'test_event',
  options: { padding?: number; properties?: Record<string, unknown> } = {},
): EventItem {
  const now = Date.now();
  const properties = { ...options.properties, ...(options.padding ? { padding: 'x'.repeat(options.padding) } : {}) };
  return {
    type: 'event',
    id: newId(now),
    timestamp: new Date(now).toISOString(),
    visitor_id: VISITOR,
    session_id: null,
    context: null,
    name,
    properties,
  };
}

export function makeEvents(count: number, name = 'test_event'): EventItem[] {
  return Array.from({ length: count }, (_, i) => makeEvent(name, { properties: { i } }));
}
