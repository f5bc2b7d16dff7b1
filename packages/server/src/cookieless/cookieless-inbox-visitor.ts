// The visitor id the worker gives a cookieless inbox item, recomputed from the account's live secrets: erasure and export find the person's cookieless items in the inbox with it.
import { COOKIELESS_ID } from '@touchline/core';
import type { CookielessVisitorOf, Storage } from '@touchline/storage';
import { decodeStoredItem } from '../pipeline/stored-item-codec.js';
import { cookielessVisitorId, siteOf } from './cookieless-visitor-id.js';

const DAY_MS = 86_400_000;

/**
 * The inbox keeps cookieless items as received (nil visitor, truncated address, user agent); the
 * worker computes their visitor (identify-cookieless-rows.ts). This does the same for one row, with
 * the secrets read once here: undefined when the account has none left (no item can be linked to
 * anyone any more), and null for a row that is not cookieless or whose day's secret is gone.
 */
export async function cookielessInboxVisitor(
  storage: Pick<Storage, 'liveCookielessSecrets'>,
  accountId: string,
  now: number,
): Promise<CookielessVisitorOf | undefined> {
  const secrets = new Map((await storage.liveCookielessSecrets(accountId, now)).map((s) => [s.day, s.secret]));
  if (secrets.size === 0) return undefined;
  return function cookielessVisitorOf(row) {
    const decoded = decodeStoredItem(row);
    if (decoded.kind === 'err' || decoded.value.item.visitor_id !== COOKIELESS_ID) return null;
    const { item, ts } = decoded.value;
    const secret = secrets.get(Math.floor(ts / DAY_MS));
    if (secret === undefined) return null;
    const ctx = item.context;
    return cookielessVisitorId(secret, ctx?.ip ?? '', ctx?.user_agent ?? '', siteOf(ctx?.url ?? null));
  };
}
