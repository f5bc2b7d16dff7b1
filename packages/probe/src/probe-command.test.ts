// `touchline probe` end to end in-process: exit codes, refusal of foreign hosts, JSON and human output, scripts.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { probeCommand } from './probe-command.js';
import type { ProbeReport } from './probe-report.js';
import type { RunningApp } from './test-support/serve-app.js';
import { serveSharedStateApp } from './test-support/shared-state-app.js';
import { serveTouchlineApp } from './test-support/touchline-app.js';
import { serveWrongConnectionApp, serveWrongConnectionAppFixed } from './test-support/wrong-connection-app.js';

const SCRIPT = fileURLToPath(new URL('./test-support/login-script.mjs', import.meta.url));
const SMALL = ['--users', '40', '--requests', '400', '--concurrency', '50'];

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: {
      write: (s: string) => {
        out.stdout += s;
      },
    },
    stderr: {
      write: (s: string) => {
        out.stderr += s;
      },
    },
    env: {},
  };
  return { io, out };
}

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});
async function start(serve: () => Promise<RunningApp>): Promise<string> {
  const app = await serve();
  running.push(app);
  return app.url;
}

describe('probeCommand', () => {
  it('exits 2 with help when the base URL is missing or a flag is wrong', async () => {
    const { io, out } = capture();
    expect(await probeCommand([], io)).toBe(2);
    expect(out.stderr).toMatch(/a base URL is required[\s\S]*Usage:/);
    expect(await probeCommand(['http://127.0.0.1:1/', '--nope'], io)).toBe(2);
    expect(await probeCommand(['http://127.0.0.1:1/', '--users', 'many', '--requests', '0'], io)).toBe(2);
    expect(out.stderr).toMatch(/users: must be an integer[\s\S]*requests: must be an integer/);
  });

  it('prints help and exits 0 on --help', async () => {
    const { io, out } = capture();
    expect(await probeCommand(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('touchline probe <base-url>');
  });

  it('refuses a non-loopback host and says why, unless --allow-host names it', async () => {
    const { io, out } = capture();
    expect(await probeCommand(['http://example.com/'], io)).toBe(2);
    expect(out.stderr).toContain('refusing to probe example.com: it is not a loopback address');
    expect(out.stderr).toContain('--allow-host example.com');
    // 0.0.0.0 is not loopback by the rule, so it needs naming; its port 9 is closed, so every
    // request fails fast: errors, never violations, but a run where nothing answered is no pass.
    expect(await probeCommand(['http://0.0.0.0:9/'], io)).toBe(2);
    const allowed = capture();
    expect(
      await probeCommand(
        ['http://0.0.0.0:9/', '--allow-host', '0.0.0.0', '--users', '2', '--requests', '4'],
        allowed.io,
      ),
    ).toBe(1);
    expect(allowed.out.stdout).toMatch(/4 errors[\s\S]*no violations/);
    expect(allowed.out.stderr).toContain('none of the 4 requests got a response');
  });

  it('exits 1 on violations and prints them as JSON with --json', async () => {
    const { io, out } = capture();
    expect(await probeCommand([await start(serveWrongConnectionApp), ...SMALL, '--json'], io)).toBe(1);
    const report = JSON.parse(out.stdout) as ProbeReport;
    expect(report.summary.byKind['crossed-response']).toBeGreaterThan(0);
    expect(report.violations[0]).toMatchObject({ kind: 'crossed-response', request: { method: 'GET' } });
  });

  it('exits 0 with a human summary on a clean app', async () => {
    const { io, out } = capture();
    expect(await probeCommand([await start(serveWrongConnectionAppFixed), ...SMALL], io)).toBe(0);
    expect(out.stdout).toMatch(/40 browsers, 400 requests, 0 errors, \d+ ms\n {2}no violations/);
  });

  it('runs a script: clean on the Touchline app, failing expectations on the L1 app', async () => {
    const clean = capture();
    expect(await probeCommand([await start(serveTouchlineApp), ...SMALL, '--script', SCRIPT], clean.io)).toBe(0);
    const leaky = capture();
    expect(await probeCommand([await start(serveSharedStateApp), ...SMALL, '--script', SCRIPT], leaky.io)).toBe(1);
    expect(leaky.out.stdout).toMatch(/script-expectation: \d+/);
    expect(leaky.out.stdout).toMatch(/received: account page answered for probe-/);
  });

  it('exits 2 when the script cannot be loaded', async () => {
    const { io, out } = capture();
    expect(await probeCommand(['http://127.0.0.1:9/', '--script', '/nonexistent/script.mjs'], io)).toBe(2);
    expect(out.stderr).toContain('cannot load probe script /nonexistent/script.mjs');
  });
});
