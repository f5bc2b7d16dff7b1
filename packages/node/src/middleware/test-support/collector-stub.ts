// Test-only collector stub: a real local HTTP server that stores the items of every batch posted to it.
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { serveNode } from './local-server.js';

/** The item fields the race checks read; everything else is kept as received. */
export interface StubItem {
  id: string;
  type: string;
  visitor_id: string;
  session_id: string | null;
  name?: string;
  user_id?: string;
  next_session_id?: string;
  properties?: Record<string, unknown>;
  context?: { url?: string | null } | null;
}

export interface CollectorStub {
  /** Base URL to use as the client's `endpoint`. */
  url: string;
  /** Every item of every batch, in arrival order (retried batches would appear twice). */
  items(): StubItem[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  return JSON.parse(text.toString('utf8')) as unknown;
}

export interface CollectorStubOptions {
  /**
   * Called once a batch's items are stored; the 202 waits for the promise it returns. A slow
   * collector on demand: tests use it to see what happens before delivery is acknowledged.
   */
  beforeAnswer?: () => Promise<unknown>;
}

/** Answers like the collector's happy path: 202 echoing the batch id, everything accepted. */
export async function startCollectorStub(options: CollectorStubOptions = {}): Promise<CollectorStub> {
  const received: StubItem[] = [];
  const server = await serveNode((req, res) => {
    if (req.method !== 'POST' || req.url !== '/api/v1/batch') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"code":"not_found","message":"no route"}}');
      return;
    }
    readJson(req).then(
      async (body) => {
        const batch = body as { batch_id?: string; items?: StubItem[] };
        const items = Array.isArray(batch.items) ? batch.items : [];
        received.push(...items);
        await options.beforeAnswer?.();
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ batch_id: batch.batch_id ?? '', accepted: items.length, duplicates: 0, errors: [] }));
      },
      () => {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":{"code":"bad_json","message":"body is not JSON"}}');
      },
    );
  });
  return { url: server.url, items: () => [...received], close: () => server.close() };
}
