// Erasure's cookieless matcher (decode + keyed hash per cookieless inbox row, cookieless-inbox-visitor.ts) against a bare JSON.parse of the same payloads, same run: node bench/cookieless-erasure-matcher.mjs (after npm run build).
import { cookielessInboxVisitor } from '../packages/server/dist/index.js';
import { encodeStoredItem } from '../packages/server/dist/pipeline/stored-item-codec.js';
import { COOKIELESS_ID } from '../packages/core/dist/index.js';
const day = Math.floor(Date.now() / 86400000);
const storage = { liveCookielessSecrets: async () => [{ day, secret: 'ab'.repeat(32) }] };
const match = await cookielessInboxVisitor(storage, 'a', Date.now());
const rows = Array.from({ length: 20000 }, (_, i) => {
  const item = {
    type: 'pageview',
    id: `0193aaaa-0000-7000-8000-${String(i).padStart(12, '0')}`,
    timestamp: new Date(day * 86400000 + i * 1000).toISOString(),
    visitor_id: COOKIELESS_ID,
    session_id: COOKIELESS_ID,
    context: {
      url: 'https://shop.example/p',
      referrer: null,
      user_agent: `Mozilla/5.0 UA${i % 50}`,
      ip: `203.0.113.${i % 200}`,
      utm: {},
      click_ids: {},
      session_start: null,
    },
  };
  return { itemId: item.id, type: 'pageview', payload: encodeStoredItem(item) };
});
for (let r = 0; r < 3; r++) {
  let t = process.hrtime.bigint();
  let n = 0;
  for (const row of rows) if (match(row) !== null) n++;
  const m = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  let k = 0;
  for (const row of rows) k += JSON.parse(row.payload).length;
  if (k === 0) throw new Error('no payload parsed');
  const p = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(
    `matcher ${((m * 1000) / rows.length).toFixed(2)} us/row (${n} matched), JSON.parse alone ${((p * 1000) / rows.length).toFixed(2)} us/row, ratio ${(m / p).toFixed(1)}`,
  );
}
