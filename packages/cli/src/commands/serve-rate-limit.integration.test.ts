// `touchline serve` takes its rate limits from the environment: the real child answers 429 + Retry-After beyond them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, serveChild, type ServeChild } from '../test-support/serve-child.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

describe('touchline serve rate limits', () => {
  it('applies TOUCHLINE_RATE_LIMIT_IP to /api routes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-rl-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const served: ServeChild = await serveChild(join(dir, 'touchline.db'), await freePort(), {
      TOUCHLINE_RATE_LIMIT_IP: '0.01/2',
    });
    cleanup.push(() => served.child.kill('SIGKILL'));
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${served.url}/api/v1/stats`);
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses.slice(2)).toEqual([429]); // the first two are 401 or 503 (no key sent), but still spend the IP's tokens
    expect(Number(retryAfter)).toBeGreaterThan(1);
  });
});
