// Runs the built `touchline funnels` against real SQLite and PostgreSQL: goals and a funnel defined, refusals named, a report as text, JSON and CSV.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { batch, event, session } from '../../../storage/src/test-support/temp-storage.js';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));

/** The CLI as a child process (async, so a slow machine does not block the test runner's event loop). */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(await storageFactories(process.env, import.meta.url))('touchline funnels on $dialect', (factory) => {
  it('defines goals and a funnel, names what is wrong, and reports steps by entry channel', async () => {
    const db = await factory.open();
    try {
      const shop = await db.storage.ensureAccount('shop', 1);
      const t = Date.parse('2026-11-10T10:00:00Z');
      await db.storage.applyProcessed(
        batch({
          sessions: [
            session(shop.id, { id: 's1', visitorId: 'v1', channel: 'email' }),
            session(shop.id, { id: 's2', visitorId: 'v2', channel: 'direct' }),
          ],
          events: [
            event(shop.id, {
              id: 'p1',
              visitorId: 'v1',
              sessionId: 's1',
              timestamp: t,
              url: 'https://shop.example/product/1',
            }),
            event(shop.id, {
              id: 'e1',
              type: 'event',
              name: 'add_to_cart',
              visitorId: 'v1',
              sessionId: 's1',
              timestamp: t + 1000,
            }),
            event(shop.id, {
              id: 'p2',
              visitorId: 'v2',
              sessionId: 's2',
              timestamp: t,
              url: 'https://shop.example/product/2',
            }),
          ],
        }),
      );
      const base = ['--account', 'shop', '--db', db.url];
      const product = JSON.parse(
        (await cli('funnels', 'goal', 'Product page', '--kind', 'pageview', '--match', '/product/*', ...base, '--json'))
          .stdout,
      ) as { id: string };
      const cart = JSON.parse(
        (await cli('funnels', 'goal', 'Added to cart', '--kind', 'event', '--match', 'add_to_cart', ...base, '--json'))
          .stdout,
      ) as { id: string };
      expect(await cli('funnels', 'goal', 'Bad', '--kind', 'click', '--match', 'x', ...base)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('kind: must be one of pageview, event, conversion'),
      });
      expect(await cli('funnels', 'create', 'Shop', '--steps', `${product.id},nope`, ...base)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('steps[1]: no goal nope in this account'),
      });
      const created = await cli(
        'funnels',
        'create',
        'Shop',
        '--steps',
        `${product.id},${cart.id}`,
        '--window',
        '1h',
        ...base,
        '--json',
      );
      const funnel = JSON.parse(created.stdout) as { id: string };
      expect((await cli('funnels', 'list', ...base)).stdout).toContain(
        `funnel ${funnel.id}  Shop (1h): Product page > Added to cart`,
      );

      const range = ['--from', '2026-11-10T00:00:00Z', '--to', '2026-11-11T00:00:00Z'];
      const text = await cli('funnels', 'report', funnel.id, ...range, ...base);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/1\. Product page\s+2\s+100\.00% of entries\s+- of previous/);
      expect(text.stdout).toMatch(/2\. Added to cart\s+1\s+50\.00% of entries\s+50\.00% of previous/);
      expect(JSON.parse((await cli('funnels', 'report', funnel.id, ...range, ...base, '--json')).stdout)).toMatchObject(
        {
          steps: [{ count: 2 }, { count: 1 }],
          channels: expect.arrayContaining([{ channel: 'email', counts: [1, 1] }]),
        },
      );
      expect((await cli('funnels', 'report', funnel.id, ...range, ...base, '--csv')).stdout.split('\r\n')[1]).toBe(
        'all,1,Product page,2,1,',
      );
      expect(await cli('funnels', 'report', funnel.id, '--unit', 'person', ...base)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--unit must be visitor or session'),
      });
      expect((await cli('funnels', 'report', 'nope', ...base)).code).toBe(1);
      expect((await cli('funnels', 'list', '--account', 'nobody', '--db', db.url)).code).toBe(2);
    } finally {
      await db.remove();
    }
  }, 180_000); // thirteen CLI starts, each a second or more of CPU on a loaded machine
});
