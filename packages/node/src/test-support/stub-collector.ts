// A real node:http collector on 127.0.0.1 for tests: the ingest contract plus scripted faults.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { batchRequestSchema, itemSchema, newId, type Item, type ItemError } from '@touchline/core';
import { accept, type StubAction, type StubRequest, type StubScript } from './stub-actions.js';

export interface StubCollectorOptions {
  /** @default 'test-key' */
  apiKey?: string;
  /** Decides each authenticated, well-formed request. @default always accept() */
  script?: StubScript;
  /** Bodies larger than this get 413, like a collector with a smaller limit than the SDK's. */
  maxBodyBytes?: number;
  /** Extra per-item validation: a non-null answer rejects the item in `errors`. */
  rejectItem?: (item: Item) => { code: string; message: string } | null;
  /** @default 0 (any free port) */
  port?: number;
}

export interface StubCollector {
  /** Base URL to use as the SDK's endpoint. */
  readonly url: string;
  readonly port: number;
  /** Stored items, deduplicated by id, in storage order. */
  readonly items: Item[];
  /** Every request that reached a handler, in arrival order. */
  readonly requests: StubRequest[];
  /** Ids the stub has acknowledged correctly (its own batch id, no delay) on a response that was fully written. */
  readonly acknowledged: ReadonlySet<string>;
  /** Ids that arrived again after they had been acknowledged: the SDK must keep this empty. */
  readonly resentAfterAck: string[];
  /** Ids the stub rejected item by item. */
  readonly rejected: string[];
  /** Responses written so far (any status). */
  readonly answered: number;
  /** How many times an id arrived in a well-formed request. */
  timesReceived(id: string): number;
  setScript(script: StubScript): void;
  /** Stops listening and drops open connections: the SDK sees "connection refused". */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  respond: (body: unknown) => void;
  body: unknown;
}

/** Not a fake: the SDK talks to it over a real socket, so timeouts, resets and refusals are real. */
export async function startStubCollector(options: StubCollectorOptions = {}): Promise<StubCollector> {
  const apiKey = options.apiKey ?? 'test-key';
  let script: StubScript = options.script ?? (() => accept());
  const stored = new Map<string, Item>();
  const received = new Map<string, number>();
  const acknowledged = new Set<string>();
  const resentAfterAck: string[] = [];
  const rejected: string[] = [];
  const requests: StubRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let open = 0;
  let answered = 0;
  let lastBatchId: string | null = null;
  let waitingSwap: Pending | null = null;

  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) return fn();
    const handle = setTimeout(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    onWritten?: () => void,
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    if (onWritten) res.once('finish', onWritten);
    answered += 1;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  /** The collector's ingest: validate each item, dedupe on id, report bad items one by one. */
  const ingest = (batchId: string, rawItems: unknown[]) => {
    const errors: ItemError[] = [];
    let accepted = 0;
    let duplicates = 0;
    rawItems.forEach((raw, index) => {
      const parsed = itemSchema.safeParse(raw);
      const refusal = parsed.success
        ? (options.rejectItem?.(parsed.data) ?? null)
        : { code: 'invalid_item', message: parsed.error.message };
      const id = typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
      if (!parsed.success || refusal !== null) {
        errors.push({ index, id, code: refusal?.code ?? 'invalid_item', message: refusal?.message ?? 'invalid' });
        if (id !== null) rejected.push(id);
        return;
      }
      if (stored.has(parsed.data.id)) duplicates += 1;
      else {
        stored.set(parsed.data.id, parsed.data);
        accepted += 1;
      }
    });
    return { status: errors.length > 0 ? 207 : 202, body: { batch_id: batchId, accepted, duplicates, errors } };
  };

  const perform = (action: StubAction, req: StubRequest, rawItems: unknown[], res: ServerResponse): void => {
    if (action.kind === 'fail') {
      const body = action.body ?? {
        error: { code: `http_${action.status}`, message: 'scripted failure' },
        batch_id: req.batchId,
      };
      later(action.delayMs, () => send(res, action.status, body, action.headers));
      return;
    }
    if (action.kind === 'reset' && !action.store) {
      res.socket?.destroy();
      return;
    }
    const result = ingest(req.batchId, rawItems);
    if (action.kind === 'reset') {
      res.socket?.destroy();
    } else if (action.kind === 'accept') {
      const ack = (): void => {
        for (const id of req.itemIds) acknowledged.add(id);
      };
      later(action.delayMs, () => send(res, result.status, result.body, {}, action.delayMs === 0 ? ack : undefined));
    } else {
      const mine: Pending = { body: result.body, respond: (body) => send(res, result.status, body) };
      const partner = waitingSwap;
      if (partner !== null) {
        waitingSwap = null;
        partner.respond(mine.body);
        mine.respond(partner.body);
      } else {
        waitingSwap = mine;
        const stale = { ...result.body, batch_id: lastBatchId ?? newId() };
        later(action.pairWithinMs, () => {
          if (waitingSwap !== mine) return;
          waitingSwap = null;
          mine.respond(stale);
        });
      }
    }
    lastBatchId = req.batchId;
  };

  const handle = async (message: IncomingMessage, res: ServerResponse): Promise<void> => {
    open += 1;
    let counted = true;
    const done = (): void => {
      if (counted) open -= 1;
      counted = false;
    };
    // 'finish' as soon as the answer is handed to the OS; 'close' for answers never written (resets).
    res.once('finish', done);
    res.once('close', done);
    const concurrency = open;
    const chunks: Buffer[] = [];
    for await (const chunk of message) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (message.method !== 'POST' || message.url !== '/api/v1/batch')
      return send(res, 404, { error: { code: 'not_found', message: 'no route' } });
    if (message.headers.authorization !== `Bearer ${apiKey}`)
      return send(res, 401, { error: { code: 'unauthorized', message: 'unknown API key' } });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 400, { error: { code: 'bad_json', message: 'body is not JSON' } });
    }
    const envelope = batchRequestSchema.safeParse(json);
    if (!envelope.success) return send(res, 400, { error: { code: 'bad_request', message: envelope.error.message } });
    const rawItems = envelope.data.items;
    const itemIds = rawItems.map((item) => String((item as { id?: unknown }).id));
    for (const id of itemIds) {
      received.set(id, (received.get(id) ?? 0) + 1);
      if (acknowledged.has(id)) resentAfterAck.push(id);
    }
    const req: StubRequest = {
      n: requests.length + 1,
      batchId: envelope.data.batch_id,
      itemIds,
      bytes: raw.length,
      authorization: message.headers.authorization,
      concurrency,
      receivedAt: Date.now(),
    };
    requests.push(req);
    if (options.maxBodyBytes !== undefined && raw.length > options.maxBodyBytes) {
      return send(res, 413, {
        error: { code: 'too_large', message: `body over ${options.maxBodyBytes} bytes` },
        batch_id: req.batchId,
      });
    }
    perform(await script(req), req, rawItems, res);
  };

  const server = createServer((message, res) => {
    handle(message, res).catch((error: unknown) =>
      send(res, 500, { error: { code: 'stub_bug', message: String(error) } }),
    );
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const stop = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get items() {
      return [...stored.values()];
    },
    requests,
    acknowledged,
    resentAfterAck,
    rejected,
    get answered() {
      return answered;
    },
    timesReceived: (id) => received.get(id) ?? 0,
    setScript(next) {
      script = next;
    },
    down: stop,
    async up() {
      if (server.listening) return;
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async close() {
      for (const handle of timers) clearTimeout(handle);
      timers.clear();
      await stop();
    },
  };
}
