// Request counting: tallied per request, reported once per scrape, never twice.
import { describe, expect, it } from 'vitest';
import type { Storage } from '@touchline/storage';
import { createCollectorMetrics } from './collector-metrics.js';

const storage = { inboxHealth: async () => ({ pending: 0, dead: 0, oldestPendingAt: null }) } as unknown as Storage;
const line = (text: string, route: string, status: number): string | undefined =>
  text.split('\n').find((l) => l.startsWith(`touchline_http_requests_total{route="${route}",status="${status}"}`));

describe('countRequest', () => {
  it('reports each request once, by route pattern and status, across scrapes', async () => {
    const metrics = createCollectorMetrics(storage, () => 0);
    metrics.countRequest('/api/v1/events', 202);
    metrics.countRequest('/api/v1/events', 202);
    metrics.countRequest('/api/v1/events', 400);
    let text = await metrics.registry.metrics();
    expect(line(text, '/api/v1/events', 202)).toBe('touchline_http_requests_total{route="/api/v1/events",status="202"} 2');
    expect(line(text, '/api/v1/events', 400)).toBe('touchline_http_requests_total{route="/api/v1/events",status="400"} 1');
    metrics.countRequest('/api/v1/events', 202);
    text = await metrics.registry.metrics();
    text = await metrics.registry.metrics();
    expect(line(text, '/api/v1/events', 202)).toBe('touchline_http_requests_total{route="/api/v1/events",status="202"} 3');
  });
});

describe('countIngested', () => {
  it('adds item counts per type and reports them once per scrape', async () => {
    const metrics = createCollectorMetrics(storage, () => 0);
    metrics.countIngested('event', 500);
    metrics.countIngested('pageview', 1);
    metrics.countIngested('event', 2);
    let text = await metrics.registry.metrics();
    text = await metrics.registry.metrics();
    expect(text).toContain('touchline_ingested_items_total{type="event"} 502');
    expect(text).toContain('touchline_ingested_items_total{type="pageview"} 1');
  });
});
