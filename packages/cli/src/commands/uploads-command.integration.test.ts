// Runs the built `touchline uploads` against real SQLite and PostgreSQL: destinations added (bad ones refused with the API's message), toggled, exported and removed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { batch, session } from '../../../storage/src/test-support/temp-storage.js';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));

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

describe.each(await storageFactories(process.env, import.meta.url))('touchline uploads on $dialect', (factory) => {
  it('adds, lists, enables, exports and removes destinations; refusals name the field', async () => {
    const db = await factory.open();
    try {
      const shop = await db.storage.ensureAccount('shop', 1);
      const t = Date.parse('2026-11-10T10:00:00Z');
      await db.storage.applyProcessed(
        batch({
          sessions: [
            session(shop.id, {
              id: 's1',
              visitorId: 'v1',
              startedAt: t - 60_000,
              clickIds: { gclid: 'GCLID-1', fbclid: 'FB-1' },
              landingUrl: 'https://shop.example/',
            }),
          ],
          conversions: [
            {
              accountId: shop.id,
              id: 'order-1',
              name: 'purchase',
              visitorId: 'v1',
              sessionId: 's1',
              timestamp: t,
              revenue: 49.9,
              currency: 'EUR',
              properties: '{}',
            },
          ],
        }),
      );
      const base = ['--account', 'shop', '--db', db.url];
      expect(
        await cli(
          'uploads',
          'add',
          'Google',
          '--platform',
          'google_ads',
          '--token',
          'tok',
          '--types',
          'purchase',
          ...base,
        ),
      ).toMatchObject({ code: 1, stderr: expect.stringContaining('conversion_action: is required for google_ads') });
      expect(
        await cli(
          'uploads',
          'add',
          'Meta',
          '--platform',
          'meta',
          '--token',
          'tok',
          '--types',
          'purchase',
          '--pixel-id',
          'abc',
          ...base,
        ),
      ).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('pixel_id: must be the Meta pixel (dataset) id, digits only'),
      });
      const google = JSON.parse(
        (
          await cli(
            'uploads',
            'add',
            'Google',
            '--platform',
            'google_ads',
            '--token',
            'secret-google-token',
            '--developer-token',
            'dev',
            '--conversion-action',
            'customers/123/conversionActions/9',
            '--types',
            'purchase',
            ...base,
            '--json',
          )
        ).stdout,
      ) as { id: string; token: string; enabled: boolean; endpoint_url: string };
      expect(google).toMatchObject({
        token: '…oken',
        enabled: false,
        endpoint_url: 'https://googleads.googleapis.com/v22/customers/123:uploadClickConversions',
      });
      const meta = JSON.parse(
        (
          await cli(
            'uploads',
            'add',
            'Meta',
            '--platform',
            'meta',
            '--token',
            'tok',
            '--pixel-id',
            '42',
            '--types',
            'purchase',
            ...base,
            '--json',
          )
        ).stdout,
      ) as { id: string };
      expect((await cli('uploads', 'enable', google.id, ...base)).stdout).toBe(`Destination ${google.id} enabled.\n`);
      const list = await cli('uploads', 'list', ...base);
      expect(list.stdout).toContain(
        `${google.id}  Google (google_ads, enabled) purchase -> https://googleads.googleapis.com/v22/customers/123:uploadClickConversions`,
      );
      expect(list.stdout).not.toContain('secret-google-token');

      const range = ['--from', '2026-11-10T00:00:00Z', '--to', '2026-11-11T00:00:00Z'];
      expect((await cli('uploads', 'export', google.id, ...range, '--conversion-name', 'Sale', ...base)).stdout).toBe(
        'Parameters:TimeZone=+0000\r\nGoogle Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\r\nGCLID-1,Sale,2026-11-10 10:00:00,49.9,EUR\r\n',
      );
      const events = JSON.parse((await cli('uploads', 'export', meta.id, ...range, ...base)).stdout) as {
        data: unknown[];
      };
      expect(events.data).toEqual([
        {
          event_name: 'Purchase',
          event_time: t / 1000,
          event_id: 'order-1',
          action_source: 'website',
          event_source_url: 'https://shop.example/',
          user_data: { fbc: `fb.1.${t - 60_000}.FB-1` },
          custom_data: { value: 49.9, currency: 'EUR' },
        },
      ]);
      expect((await cli('uploads', 'log', google.id, ...base)).stdout).toBe('No deliveries yet.\n');
      expect(await cli('uploads', 'log', google.id, '--status', 'lost', ...base)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--status must be pending, delivered, failed or skipped'),
      });
      expect((await cli('uploads', 'remove', meta.id, ...base)).code).toBe(0);
      expect(await cli('uploads', 'remove', meta.id, ...base)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`no conversion upload destination ${meta.id} in this account`),
      });
    } finally {
      await db.remove();
    }
  });
});
