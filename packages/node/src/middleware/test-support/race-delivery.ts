// Test-only delivery check: every item the collector stub received belongs to the browser it claims.
import type { StubItem } from './collector-stub.js';

/** A browser's ids as its responses reported them; `sessions[r]` is the session after round r. */
export interface BrowserIds {
  visitorId: string | null;
  sessions: Record<number, string | null>;
}

interface DeliveryViolation {
  check: 'delivery' | 'asset';
  browser: string;
  message: string;
}

/** Exactly one item of each kind per round: nothing lost, nothing duplicated. */
const EXPECTED_KINDS = [
  'pageview:1',
  'pageview:2',
  'pageview:3',
  'pageview:4',
  'event:1',
  'event:2',
  'event:3',
  'event:4',
  'identify:2',
  'session_end:3',
];

function urlMarker(item: StubItem): { browser: string | null; round: number } {
  try {
    const url = new URL(item.context?.url ?? '');
    return { browser: url.searchParams.get('b'), round: Number(url.searchParams.get('r')) };
  } catch {
    return { browser: null, round: 0 };
  }
}

/** The browser and round an item says it is from: the app's own data first, else its page URL. */
function claimedMarker(item: StubItem): { browser: string | null; round: number } {
  const fromUrl = urlMarker(item);
  if (item.type === 'event') {
    const props = item.properties ?? {};
    return { browser: typeof props.browser === 'string' ? props.browser : null, round: Number(props.round) };
  }
  if (item.type === 'identify') return { browser: item.user_id?.replace(/^user-/, '') ?? null, round: fromUrl.round };
  return fromUrl;
}

/** Events before the logout belong to the first session; round 4 to the one endSession() began. */
const expectedSession = (ids: BrowserIds, round: number): string | null | undefined =>
  round === 4 ? ids.sessions[4] : ids.sessions[1];

export function checkDelivery(
  items: readonly StubItem[],
  browsers: ReadonlyMap<string, BrowserIds>,
  assets: ReadonlySet<string>,
): DeliveryViolation[] {
  const out: DeliveryViolation[] = [];
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const item of items) {
    if (seen.has(item.id)) out.push({ check: 'delivery', browser: '?', message: `item ${item.id} delivered twice` });
    seen.add(item.id);
    const { browser, round } = claimedMarker(item);
    const fail = (message: string): void => {
      out.push({ check: 'delivery', browser: browser ?? '?', message: `${item.type} of round ${round}: ${message}` });
    };
    if (browser !== null && assets.has(browser)) {
      out.push({ check: 'asset', browser, message: `asset request produced a ${item.type} item` });
      continue;
    }
    const ids = browser === null ? undefined : browsers.get(browser);
    if (ids === undefined) {
      fail(`cannot be attributed to any browser (url ${item.context?.url})`);
      continue;
    }
    const key = `${item.type}:${round}`;
    counts.set(`${browser}|${key}`, (counts.get(`${browser}|${key}`) ?? 0) + 1);
    if (item.visitor_id !== ids.visitorId) fail(`visitor ${item.visitor_id}, expected ${ids.visitorId}`);
    if (item.session_id !== expectedSession(ids, round))
      fail(`session ${item.session_id}, expected ${expectedSession(ids, round)}`);
    const recordedIn = urlMarker(item);
    if (recordedIn.browser !== browser || recordedIn.round !== round)
      fail(`recorded in the request of ${recordedIn.browser} round ${recordedIn.round}`);
    if (item.type === 'session_end' && item.next_session_id !== ids.sessions[3])
      fail(`next session ${item.next_session_id}, expected ${ids.sessions[3]}`);
  }
  for (const [key, n] of counts) {
    const [browser = '?', kind = ''] = key.split('|');
    if (!EXPECTED_KINDS.includes(kind))
      out.push({ check: 'delivery', browser, message: `${n} unexpected ${kind} items` });
  }
  for (const browser of browsers.keys()) {
    for (const key of EXPECTED_KINDS) {
      const n = counts.get(`${browser}|${key}`) ?? 0;
      if (n !== 1)
        out.push({ check: 'delivery', browser, message: `${n} ${key.replace(':', ' items of round ')}, expected 1` });
    }
  }
  return out;
}
