// What the live feed says about one event, as a pure function: a stored value it cannot read becomes text, never an exception.
import type { EventRow } from './api-types.js';

/** Longest text a feed line shows; the CSV export keeps the whole value. */
export const MAX_FEED_TEXT = 120;

const clip = (text: string): string => (text.length > MAX_FEED_TEXT ? `${text.slice(0, MAX_FEED_TEXT - 1)}…` : text);

/**
 * A pageview's path (resolved against `base`, as a browser would), or the stored URL itself when it does
 * not parse; any other event's name, else its type. Total over whatever the API returns: one unreadable
 * row must not stop the feed (issue 16 item 7: an unparseable URL used to freeze it).
 */
export function describeEvent(e: Partial<EventRow>, base: string): string {
  const type = typeof e.type === 'string' && e.type !== '' ? e.type : 'event';
  if (type === 'pageview') return typeof e.url === 'string' && e.url !== '' ? pathOf(e.url, base) : 'pageview';
  return clip(typeof e.name === 'string' && e.name !== '' ? e.name : type);
}

function pathOf(url: string, base: string): string {
  try {
    return clip(new URL(url, base).pathname);
  } catch {
    return clip(url);
  }
}

/** The newest event's time as epoch ms for the next poll's `since`, or undefined (poll the default window) when it is not a time. */
export function sinceOf(newest: Partial<EventRow> | undefined): number | undefined {
  const ms = typeof newest?.time === 'string' ? Date.parse(newest.time) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
