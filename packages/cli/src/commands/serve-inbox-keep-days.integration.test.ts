// `touchline serve --inbox-keep-days` and `--inbox-payload-keep-days`: days or `forever`; a bad or too short value is refused before anything starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../run-cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(
  env: Record<string, string>,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-keep-'));
  dirs.push(dir);
  let stdout = '';
  let stderr = '';
  // Stops at once: a started collector closes again; a refused setting never gets that far.
  const io: CliIo = {
    stdout: {
      write: (t: string) => {
        stdout += t;
      },
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
      },
    },
    env,
    stopSignal: Promise.resolve(),
  };
  const code = await runCli(['serve', '--port', '0', '--db', join(dir, 'touchline.db'), ...argv], io);
  return { code, stdout, stderr };
}

describe('touchline serve --inbox-keep-days', () => {
  it('takes days or forever, from the flag or TOUCHLINE_INBOX_KEEP_DAYS', async () => {
    expect((await serve({}, '--inbox-keep-days', '45')).code).toBe(0);
    expect((await serve({}, '--inbox-keep-days', 'forever')).code).toBe(0);
    expect((await serve({ TOUCHLINE_INBOX_KEEP_DAYS: 'forever' })).code).toBe(0);
  });

  it('refuses a value that is not days, and one shorter than the age at which items are still accepted', async () => {
    const bad = await serve({}, '--inbox-keep-days', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--inbox-keep-days must be a positive integer or "forever", got "soon"');
    const short = await serve({ TOUCHLINE_INBOX_KEEP_DAYS: '7' });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('inboxKeepDays: must be at least 31 days');
  });
});

describe('touchline serve --inbox-payload-keep-days', () => {
  it('takes days (0 too) or forever, from the flag or TOUCHLINE_INBOX_PAYLOAD_KEEP_DAYS, and refuses anything else by name', async () => {
    expect((await serve({}, '--inbox-payload-keep-days', '0')).code).toBe(0);
    expect((await serve({}, '--inbox-payload-keep-days', 'forever')).code).toBe(0);
    expect((await serve({ TOUCHLINE_INBOX_PAYLOAD_KEEP_DAYS: '7' })).code).toBe(0);
    const bad = await serve({ TOUCHLINE_INBOX_PAYLOAD_KEEP_DAYS: '-1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--inbox-payload-keep-days must be a whole number of days (0 or more) or "forever", got "-1"',
    );
  });
});
