// The live events feed: polls for events newer than the newest shown, every few seconds, while the page is visible.
import { apiUrl, getJson } from './api.js';
import type { EventRow, Rows } from './api-types.js';
import { fmt, h, replaceChildren } from './dom.js';
import { describeEvent, sinceOf } from './feed-item.js';

const POLL_MS = 5000;
const KEEP = 50;

export interface LiveFeed {
  element: HTMLElement;
  stop(): void;
}

/** One event's line; a row that cannot be drawn says so and the rest still render (bad stored data never stops the feed). */
function feedLine(e: EventRow): HTMLElement {
  try {
    return h(
      'li',
      {},
      h('span', { class: `chip ${e.type}` }, e.type),
      h('span', { class: 'feed-what' }, describeEvent(e, location.href)),
      h('time', { class: 'muted', datetime: e.time }, fmt.clock(e.time)),
    );
  } catch {
    return h(
      'li',
      { class: 'unreadable' },
      h('span', { class: 'feed-what muted' }, 'an event this page cannot display (see the CSV export)'),
    );
  }
}

export function liveFeed(accountId: string): LiveFeed {
  const list = h('ul', { class: 'feed', id: 'feed-list' });
  const status = h('span', { class: 'live-dot', title: 'updates every 5 seconds' }, 'live');
  const element = h(
    'section',
    { class: 'panel', id: 'live' },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', {}, 'Live events'),
      h(
        'div',
        { class: 'panel-tools' },
        status,
        h(
          'a',
          {
            class: 'csv',
            href: apiUrl('events', { account: accountId, format: 'csv' }),
            download: '',
            'data-csv': 'events',
          },
          'CSV',
        ),
      ),
    ),
    list,
  );
  let shown: EventRow[] = [];
  let timer: number | undefined;
  let stopped = false;

  const render = (): void => {
    if (shown.length === 0) {
      replaceChildren(
        list,
        h('li', { class: 'empty' }, 'No events in the last 7 days yet. They appear here within seconds of arriving.'),
      );
      return;
    }
    replaceChildren(list, ...shown.map(feedLine));
  };
  const poll = async (): Promise<void> => {
    const since = sinceOf(shown[0]);
    try {
      const answer = await getJson<Rows<EventRow>>('events', { account: accountId, since });
      const known = new Set(shown.map((e) => e.id));
      shown = [...answer.rows.filter((e) => !known.has(e.id)), ...shown].slice(0, KEEP);
      status.classList.remove('stale');
      render();
    } catch {
      status.classList.add('stale');
    }
    if (!stopped)
      timer = window.setTimeout(() => {
        void poll();
      }, POLL_MS);
  };
  void poll();
  return {
    element,
    stop: () => {
      stopped = true;
      window.clearTimeout(timer);
    },
  };
}
