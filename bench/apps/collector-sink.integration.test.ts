// The bench sink really receives and counts what each peer SDK sends, so the peer-SDK bench's "delivered" column can be trusted.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Analytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SINK = fileURLToPath(new URL('./collector-sink.mjs', import.meta.url));

interface SinkCounts {
  touchline: number;
  posthog: number;
  segment: number;
  other: Record<string, number>;
  malformed: number;
}

let sink: ChildProcess;
let url: string;

function counts(): Promise<SinkCounts> {
  return new Promise((resolve) => {
    const onMessage = (msg: { counts?: SinkCounts }) => {
      if (msg.counts === undefined) return;
      sink.off('message', onMessage);
      resolve(msg.counts);
    };
    sink.on('message', onMessage);
    sink.send('counts');
  });
}

beforeAll(async () => {
  sink = fork(SINK, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  url = await new Promise<string>((resolve, reject) => {
    sink.once('message', (msg: { url: string }) => resolve(msg.url));
    sink.once('error', reject);
  });
});

afterAll(() => {
  sink.kill();
});

describe('bench collector sink', () => {
  it('counts every pageview posthog-node delivers in its default gzipped batches', async () => {
    const before = await counts();
    const posthog = new PostHog('phc_test', { host: url });
    // 45 events: two full default batches of 20 and a partial one left for the flush.
    for (let i = 0; i < 45; i++)
      posthog.capture({
        distinctId: `visitor-${i}`,
        event: '$pageview',
        properties: { $current_url: `http://app.test/p/${i}` },
      });
    await posthog.shutdown();
    const after = await counts();
    expect(after.posthog - before.posthog).toBe(45);
    expect(after.malformed).toBe(before.malformed);
    expect(after.other).toEqual(before.other);
  });

  it('counts every page call @segment/analytics-node delivers', async () => {
    const before = await counts();
    const analytics = new Analytics({ writeKey: 'test', host: url });
    const failures: unknown[] = [];
    analytics.on('error', (err) => failures.push(err));
    for (let i = 0; i < 40; i++)
      analytics.page({ anonymousId: `visitor-${i}`, properties: { url: `http://app.test/p/${i}` } });
    await analytics.closeAndFlush({ timeout: 20_000 });
    const after = await counts();
    expect(failures).toEqual([]);
    expect(after.segment - before.segment).toBe(40);
    expect(after.malformed).toBe(before.malformed);
  });

  it('answers Touchline batches with their batch id and counts their items', async () => {
    const before = await counts();
    const body = JSON.stringify({
      batch_id: 'b-1',
      sent_at: '2026-12-06T00:00:00.000Z',
      items: [
        { type: 'event', id: 'a' },
        { type: 'pageview', id: 'b' },
      ],
    });
    const res = await fetch(`${url}/api/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ batch_id: 'b-1', accepted: 2, duplicates: 0, errors: [] });
    expect((await counts()).touchline - before.touchline).toBe(2);
  });

  it('refuses a peer batch it cannot read and counts it, instead of counting nothing as delivered', async () => {
    const before = await counts();
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"batch": 3}',
    });
    expect(res.status).toBe(400);
    const after = await counts();
    expect(after.malformed - before.malformed).toBe(1);
    expect(after.segment).toBe(before.segment);
  });

  it('answers any other path 200 and counts it by path, so an SDK calling home shows', async () => {
    const before = await counts();
    const res = await fetch(`${url}/flags/?v=2`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect((await counts()).other['/flags/']).toBe((before.other['/flags/'] ?? 0) + 1);
  });
});
