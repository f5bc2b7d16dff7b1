// The edge entry's static import graph never reaches node:fs (the spool is wired in only by the Node entry), and the two entries refuse or open a spool.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createClient as createEdgeClient } from './edge.js';
import { createClient } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Value imports (not `import type`) of a source file, followed through relative paths. */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const modules = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else modules.add(spec);
    }
  };
  visit(entry);
  return modules;
}

describe('entries', () => {
  it('the edge entry loads no node:fs; the Node entry does (that is where the spool lives)', () => {
    expect([...staticImports(join(here, 'edge.ts'))].filter((m) => m.startsWith('node:fs'))).toEqual([]);
    expect(staticImports(join(here, 'index.ts')).has('node:fs')).toBe(true);
  });

  it('the edge entry refuses a spool clearly at createClient', () => {
    expect(() => createEdgeClient({ apiKey: 'k', spool: { path: '/tmp/x' } })).toThrow(/spool: needs a file system/);
  });

  it('the Node entry opens one, and refuses a second client on the same path in this process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-entry-'));
    try {
      const client = createClient({ apiKey: 'k', endpoint: 'http://127.0.0.1:9', spool: { path: dir } });
      expect(client.stats().spool).toEqual({ bytes: 0, backlog: 0, adopted: 0, skipped: 0 });
      expect(() => createClient({ apiKey: 'k', spool: { path: dir } })).toThrow(/already open in this process/);
      const closed = await client.close({ timeoutMs: 100 });
      expect(closed.stats.dropped).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
