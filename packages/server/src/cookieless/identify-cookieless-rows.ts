// Worker step: gives the claimed rows of cookieless items their visitor (the daily keyed hash) and a session by inactivity.
import { COOKIELESS_ID, deriveSessionId, type Item } from '@touchline/core';
import { secretKey, type InboxRow, type SecretRequest, type Storage } from '@touchline/storage';
import { decodeStoredItem, encodeStoredItem } from '../pipeline/stored-item-codec.js';
import { cookielessVisitorId, siteOf } from './cookieless-visitor-id.js';
import type { CookielessSettings } from './cookieless-settings.js';

const DAY_MS = 86_400_000;

export interface IdentifiedRows {
  /** The rows to process: cookieless ones rewritten (in memory only) with their visitor and session. */
  rows: InboxRow[];
  /** Cookieless rows that can no longer be identified (their day's secret is gone). */
  dead: Array<{ seq: number; error: string }>;
  /** The cookieless visitors among the rows, whose sessions storage re-clusters (sessionize-cookieless.ts). */
  visitors: Array<{ accountId: string; visitorId: string }>;
}

interface Found {
  row: InboxRow;
  item: Item;
  ts: number;
  day: number;
}
interface Named {
  found: Found;
  visitorId: string;
  provisional: string;
}

/** A session named by one item, so a session's id is its earliest item's, whatever order items come in. */
const provisionalSession = (visitorId: string, itemId: string): string => deriveSessionId(`${visitorId}/${itemId}`, 0);

/** The pass's cookieless rows, decoded; a row that does not decode is left to the pass (it is dead-lettered there). */
function findCookieless(rows: readonly InboxRow[]): Found[] {
  const out: Found[] = [];
  for (const row of rows) {
    if (!row.payload.includes(COOKIELESS_ID)) continue; // nearly every row: one substring search
    const decoded = decodeStoredItem(row);
    if (decoded.kind === 'err' || decoded.value.item.visitor_id !== COOKIELESS_ID) continue;
    const { item, ts } = decoded.value;
    out.push({ row, item, ts, day: Math.floor(ts / DAY_MS) });
  }
  return out;
}

/**
 * Inside the pass, a visitor's items less than the timeout apart already share a session (the same
 * clustering storage applies across passes): fewer rows to write and merge. Each cluster is named
 * by its earliest item (ties: the smallest provisional id), the rule storage's merge keeps.
 */
function sessionsOf(named: readonly Named[], timeoutMs: number): Map<Named, string> {
  const byVisitor = new Map<string, Named[]>();
  for (const n of named) {
    if (n.found.item.type === 'identify' || n.found.item.type === 'alias') continue; // no session activity
    const key = `${n.found.row.accountId}\u0000${n.visitorId}`;
    const list = byVisitor.get(key);
    if (list === undefined) byVisitor.set(key, [n]);
    else list.push(n);
  }
  const out = new Map<Named, string>();
  for (const list of byVisitor.values()) {
    list.sort(
      (a, b) => a.found.ts - b.found.ts || (a.provisional < b.provisional ? -1 : a.provisional > b.provisional ? 1 : 0),
    );
    let session = '';
    let last = -Infinity;
    for (const n of list) {
      if (n.found.ts - last >= timeoutMs) session = n.provisional;
      last = Math.max(last, n.found.ts);
      out.set(n, session);
    }
  }
  return out;
}

function rewritten(n: Named, sessionId: string | null): InboxRow {
  const item = { ...n.found.item, visitor_id: n.visitorId, session_id: sessionId } as Item;
  return { ...n.found.row, payload: encodeStoredItem(item) };
}

/**
 * Fetches (or creates) the secrets of the rows' accounts and UTC days, one storage call per pass
 * with cookieless rows and none otherwise. A row whose day's secret has expired is dead-lettered
 * with the reason: identifying it would need a new secret, and a new secret would split its visitor.
 */
export async function identifyCookielessRows(
  storage: Partial<Pick<Storage, 'cookielessSecrets'>>,
  rows: readonly InboxRow[],
  settings: CookielessSettings,
  now: number,
): Promise<IdentifiedRows> {
  const found = findCookieless(rows);
  if (found.length === 0) return { rows: [...rows], dead: [], visitors: [] };
  const requests: SecretRequest[] = found.map((f) => ({ accountId: f.row.accountId, day: f.day }));
  const secrets =
    storage.cookielessSecrets === undefined
      ? new Map<string, string>()
      : await storage.cookielessSecrets(requests, now, settings.secretMarginMs);
  const dead: IdentifiedRows['dead'] = [];
  const named: Named[] = [];
  for (const f of found) {
    const secret = secrets.get(secretKey(f.row.accountId, f.day));
    if (secret === undefined) {
      const day = new Date(f.day * DAY_MS).toISOString().slice(0, 10);
      dead.push({
        seq: f.row.seq,
        error: `cookieless item of ${day} (UTC) reached the worker after that day's secret was deleted (it lives ${settings.secretMarginMs / 3_600_000} h past the day): its visitor cannot be computed any more`,
      });
      continue;
    }
    const ctx = f.item.context;
    const visitorId = cookielessVisitorId(secret, ctx?.ip ?? '', ctx?.user_agent ?? '', siteOf(ctx?.url ?? null));
    named.push({ found: f, visitorId, provisional: provisionalSession(visitorId, f.item.id) });
  }
  const sessions = sessionsOf(named, settings.sessionTimeoutMs);
  const replaced = new Map<number, InboxRow | null>(found.map((f) => [f.row.seq, null]));
  const visitors = new Map<string, { accountId: string; visitorId: string }>();
  for (const n of named) {
    replaced.set(n.found.row.seq, rewritten(n, sessions.get(n) ?? null));
    if (sessions.has(n))
      visitors.set(`${n.found.row.accountId}\u0000${n.visitorId}`, {
        accountId: n.found.row.accountId,
        visitorId: n.visitorId,
      });
  }
  const out: InboxRow[] = [];
  for (const row of rows) {
    const r = replaced.has(row.seq) ? replaced.get(row.seq) : row;
    if (r !== null && r !== undefined) out.push(r);
  }
  return { rows: out, dead, visitors: [...visitors.values()] };
}
