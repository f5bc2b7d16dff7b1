// Request counting: tallied per request, reported once per scrape, never twice; disk gauges and checkpoint outcomes read at scrape time.
import { describe, expect, it } from 'vitest';
import type { DiskUsage, Storage } from '@touchline/storage';
import { createCollectorMetrics } from './collector-metrics.js';

const checkpoints = {
  passive: 10,
  complete: 2,
  busy: 1,
  failed: 0,
  busyStreak: 0,
  lastHoldMs: 3,
  maxHoldMs: 40,
  totalHoldMs: 50,
};
const disk: DiskUsage = { databaseBytes: 4096, walBytes: 8192, walLimitBytes: 65536, freeBytes: 1 << 30, checkpoints };
const storage = {
  inboxHealth: async () => ({ pending: 0, dead: 0, oldestPendingAt: null }),
  diskUsage: async () => structuredClone(disk),
} as unknown as Storage;
const line = (text: string, route: string, status: number): string | undefined =>
  text.split('\n').find((l) => l.startsWith(`touchline_http_requests_total{route="${route}",status="${status}"}`));

describe('countRequest', () => {
  it('reports each request once, by route pattern and status, across scrapes', async () => {
    const metrics = createCollectorMetrics(storage, () => 0);
    metrics.countRequest('/api/v1/events', 202);
    metrics.countRequest('/api/v1/events', 202);
    metrics.countRequest('/api/v1/events', 400);
    let text = await metrics.registry.metrics();
    expect(line(text, '/api/v1/events', 202)).toBe(
      'touchline_http_requests_total{route="/api/v1/events",status="202"} 2',
    );
    expect(line(text, '/api/v1/events', 400)).toBe(
      'touchline_http_requests_total{route="/api/v1/events",status="400"} 1',
    );
    metrics.countRequest('/api/v1/events', 202);
    text = await metrics.registry.metrics();
    text = await metrics.registry.metrics();
    expect(line(text, '/api/v1/events', 202)).toBe(
      'touchline_http_requests_total{route="/api/v1/events",status="202"} 3',
    );
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

describe('disk metrics', () => {
  it('exports file sizes and adds checkpoint outcomes as they grow, never twice', async () => {
    const metrics = createCollectorMetrics(storage, () => 0);
    let text = await metrics.registry.metrics();
    expect(text).toContain('touchline_storage_database_bytes 4096');
    expect(text).toContain('touchline_storage_wal_bytes 8192');
    expect(text).toContain('touchline_storage_wal_limit_bytes 65536');
    expect(text).toContain('touchline_wal_checkpoints_total{outcome="complete"} 2');
    expect(text).toContain('touchline_wal_checkpoints_total{outcome="busy"} 1');
    expect(text).toContain('touchline_wal_checkpoint_max_hold_seconds 0.04');
    checkpoints.complete = 5;
    text = await metrics.registry.metrics();
    text = await metrics.registry.metrics();
    expect(text).toContain('touchline_wal_checkpoints_total{outcome="complete"} 5');
    expect(text).toContain('touchline_wal_checkpoints_total{outcome="busy"} 1');
  });
});
