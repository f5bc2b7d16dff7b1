// Issue 17 item 4: items posted straight to the HTTP API get their campaign from context.url, as SDK items do.
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { getJson, postBatch, startCollector, type Fixture } from '../test-support/collector-fixture.js';

let fixture: Fixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

/** What a Python or Ruby sender writes: no utm, no click_ids (or empty ones), only the page URL. */
function rawContext(url: string, campaign: Record<string, unknown> = {}) {
  return { url, referrer: null, user_agent: 'curl/8', ip: null, session_start: 'new_visitor', ...campaign };
}

const CASES: Array<{
  query: string;
  campaign?: Record<string, unknown>;
  channel: string;
  utm: object;
  clickIds: object;
}> = [
  {
    query: '?utm_source=newsletter&utm_medium=email',
    channel: 'email',
    utm: { utm_source: 'newsletter', utm_medium: 'email' },
    clickIds: {},
  },
  {
    query: '?gclid=G1',
    campaign: { utm: {}, click_ids: {} },
    channel: 'paid_search',
    utm: {},
    clickIds: { gclid: 'G1' },
  },
  { query: '?msclkid=M1', campaign: { utm: {} }, channel: 'paid_search', utm: {}, clickIds: { msclkid: 'M1' } },
  { query: '?li_fat_id=L1', channel: 'paid_social', utm: {}, clickIds: { li_fat_id: 'L1' } },
  { query: '?fbclid=F1', channel: 'organic_social', utm: {}, clickIds: { fbclid: 'F1' } },
  {
    query: '?fbclid=F1&utm_source=facebook&utm_medium=paid',
    channel: 'paid_social',
    utm: { utm_source: 'facebook', utm_medium: 'paid' },
    clickIds: { fbclid: 'F1' },
  },
  // The sender's explicit values win, whole: the URL's gclid is not mixed in.
  {
    query: '?gclid=G2',
    campaign: { utm: { utm_source: 'partner', utm_medium: 'affiliate' }, click_ids: {} },
    channel: 'affiliate',
    utm: { utm_source: 'partner', utm_medium: 'affiliate' },
    clickIds: {},
  },
  { query: '?q=shoes', channel: 'direct', utm: {}, clickIds: {} },
];

describe.each(await storageFactories(process.env, import.meta.url))('raw API campaigns on $dialect', (factory) => {
  it('classifies /api/v1/batch landings by the utm and click ids of context.url when the sender sent none', async () => {
    fixture = await startCollector({ integrity: { enabled: false } }, factory);
    const key = await fixture.keyFor('acme');
    const at = Date.now() - 60_000;
    const sent = CASES.map((c, i) => ({ ...c, visitor: newId(at), session: newId(at), at: at + i }));
    const items = sent.map((s) => ({
      type: 'pageview',
      id: newId(s.at),
      timestamp: new Date(s.at).toISOString(),
      visitor_id: s.visitor,
      session_id: s.session,
      context: rawContext(`https://shop.example/landing${s.query}`, s.campaign),
    }));
    const answer = await postBatch(fixture.url, key, items);
    expect(answer).toMatchObject({ status: 202, body: { accepted: CASES.length, errors: [] } });
    await fixture.collector.worker.drain();
    for (const s of sent) {
      const { body } = await getJson(fixture.url, key, `/api/v1/sessions?visitor_id=${s.visitor}`);
      expect({ query: s.query, sessions: body.sessions }).toEqual({
        query: s.query,
        sessions: [expect.objectContaining({ id: s.session, channel: s.channel, utm: s.utm, click_ids: s.clickIds })],
      });
    }
  });

  it('does the same for a single item posted to /api/v1/events', async () => {
    fixture = await startCollector({ integrity: { enabled: false } }, factory);
    const key = await fixture.keyFor('acme');
    const at = Date.now() - 1000;
    const visitor = newId(at);
    const session = newId(at);
    const res = await fetch(`${fixture.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: newId(),
        id: newId(at),
        timestamp: new Date(at).toISOString(),
        visitor_id: visitor,
        session_id: session,
        name: 'signup',
        properties: {},
        context: rawContext('https://shop.example/?ttclid=T1&utm_campaign=winter'),
      }),
    });
    expect(res.status).toBe(202);
    await fixture.collector.worker.drain();
    const { body } = await getJson(fixture.url, key, `/api/v1/sessions?visitor_id=${visitor}`);
    expect(body.sessions).toEqual([
      expect.objectContaining({ channel: 'paid_social', utm: { utm_campaign: 'winter' }, click_ids: { ttclid: 'T1' } }),
    ]);
  });
});
