// Test support: a real HTTP server on 127.0.0.1 that records webhook requests and answers with a scripted status per request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  delivery: string | undefined;
  body: Record<string, unknown>;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Resolves once at least `n` requests arrived. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** `statusFor(k)` is the status of the k-th request (0-based). */
export async function startWebhookReceiver(statusFor: (k: number) => number): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statusFor(received.length);
      const delivery = req.headers['x-touchline-delivery'];
      received.push({
        delivery: typeof delivery === 'string' ? delivery : undefined,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor: (n) =>
      received.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiters.push({ n, resolve });
          }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
