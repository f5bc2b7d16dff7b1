// The fetch entry on a Web-standard runtime: bundled for platform=neutral, then run with Node built-ins blocked.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorStub, type CollectorStub } from '../test-support/collector-stub.js';

const run = promisify(execFile);
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

interface ScenarioOutput {
  status: number;
  body: string;
  cookies: string[];
  implicit: boolean;
  flush: { settled: boolean };
  blocked: string;
}

let dir: string;
let bundle: string;
let imports: string[];
let collector: CollectorStub;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'touchline-web-runtime-'));
  bundle = join(dir, 'touchline-fetch.mjs');
  // The two entry points edge code uses: the client (index) and the fetch adapter.
  const result = await build({
    input: { 'touchline-fetch': here('./test-support/web-entry.ts') },
    platform: 'neutral',
    resolve: { alias: { '@touchline/core': here('../../../../core/src/index.ts') }, mainFields: ['module', 'main'] },
    output: { dir, format: 'esm', entryFileNames: '[name].mjs' },
    logLevel: 'silent',
    write: true,
  });
  imports = result.output.flatMap((chunk) =>
    chunk.type === 'chunk' ? [...chunk.imports, ...chunk.dynamicImports] : [],
  );
  collector = await startCollectorStub();
});

afterAll(async () => {
  await collector.close();
  await rm(dir, { recursive: true, force: true });
});

async function scenario(edgeAls: boolean): Promise<ScenarioOutput> {
  const { stdout } = await run(
    process.execPath,
    ['--import', here('./test-support/block-node-builtins.mjs'), here('./test-support/web-runtime-scenario.mjs')],
    {
      env: {
        ...process.env,
        TOUCHLINE_BUNDLE: bundle,
        TOUCHLINE_ENDPOINT: collector.url,
        TOUCHLINE_EDGE_ALS: edgeAls ? '1' : '0',
      },
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout) as ScenarioOutput;
}

describe('the fetch adapter on a Web-standard runtime', () => {
  it('bundles for platform=neutral with no import left outside the bundle (no node: module)', () => {
    expect(imports).toEqual([]);
  });

  it.each([
    ['without AsyncLocalStorage (explicit scope)', false],
    ['with globalThis.AsyncLocalStorage (Next.js edge)', true],
  ])('handles a navigation end to end %s, delivering through fetch', async (_name, edgeAls) => {
    const before = collector.items().length;
    const out = await scenario(edgeAls);
    expect(out.blocked).toMatch(/blocked Node built-in import: node:http/);
    expect(out).toMatchObject({ status: 200, body: 'ok', implicit: edgeAls, flush: { settled: true } });
    const visitorCookie = out.cookies.find((c) => c.startsWith('tl_vid='));
    expect(visitorCookie).toBeDefined();
    const visitorId = /^tl_vid=([^;]+)/.exec(visitorCookie ?? '')?.[1];
    const items = collector.items().slice(before);
    expect(items.map((i) => `${i.type}:${i.name ?? ''}`).sort()).toEqual([
      'conversion:edge_purchase',
      'event:edge_hello',
      'pageview:',
    ]);
    expect(new Set(items.map((i) => i.visitor_id))).toEqual(new Set([visitorId]));
    expect(new Set(items.map((i) => i.session_id)).size).toBe(1);
    expect(items.find((i) => i.type === 'pageview')?.context?.url).toBe('https://shop.example/landing?utm_source=news');
  });
});
