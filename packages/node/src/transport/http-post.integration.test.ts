// The default HTTP client against real sockets: what it sends, keep-alive, timeouts, redirects, close.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpPost } from './http-post.js';

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: unknown;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise((resolve) => {
          s.closeAllConnections();
          s.close(resolve);
        }),
    ),
  );
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void,
): Promise<{ url: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const entry = { url: req.url ?? '', headers: req.headers, body, socket: req.socket };
      seen.push(entry);
      handler(req, res, entry);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections };
}

const init = (body: string, signal = new AbortController().signal) => ({
  method: 'POST' as const,
  headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
  body,
  signal,
});

describe('createHttpPost', () => {
  it('sends the body with its byte length and headers, and returns status, headers and text', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(202, { 'retry-after': '3', 'content-type': 'application/json' });
      res.end('{"ok":"é"}');
    });
    const http = createHttpPost();
    const response = await http.post(`${server.url}/api/v1/batch`, init('{"items":["é"]}'));
    expect(response.status).toBe(202);
    expect(response.headers.get('Retry-After')).toBe('3');
    expect(response.headers.get('x-missing')).toBeNull();
    expect(await response.text()).toBe('{"ok":"é"}');
    expect(server.seen[0]).toMatchObject({ url: '/api/v1/batch', body: '{"items":["é"]}' });
    expect(server.seen[0]?.headers).toMatchObject({
      authorization: 'Bearer k',
      'content-length': String(Buffer.byteLength('{"items":["é"]}')),
    });
    http.close();
  });

  it('keeps one connection alive across sequential posts; close() ends it', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const http = createHttpPost();
    for (let i = 0; i < 5; i++) await http.post(server.url, init(`b${i}`));
    expect(server.connections()).toBe(1);
    const socket = server.seen[0]?.socket as Socket;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    http.close();
    await closed;
  });

  it('rejects with the signal reason when the timeout fires before the answer ends (a TimeoutError, as fetch does)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const http = createHttpPost();
    const error = await http.post(server.url, init('x', AbortSignal.timeout(50))).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    const aborted = new AbortController();
    aborted.abort(new Error('shut down'));
    await expect(http.post(server.url, init('x', aborted.signal))).rejects.toThrow('shut down');
    http.close();
  });

  it('rejects on connection errors', async () => {
    const http = createHttpPost();
    await expect(http.post('http://127.0.0.1:1/', init('x'))).rejects.toThrow(/ECONNREFUSED/);
    http.close();
  });

  it('follows 307/308 with method and body, keeping Authorization only on the same origin', async () => {
    const other = await serve((_req, res) => res.end('moved'));
    const origin = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(308, { location: '/new' });
        res.end();
        return;
      }
      if (req.url === '/away') {
        res.writeHead(307, { location: `${other.url}/there` });
        res.end();
        return;
      }
      if (req.url === '/gone') {
        res.writeHead(301, { location: '/new' });
        res.end();
        return;
      }
      res.end('here');
    });
    const http = createHttpPost();
    expect(await (await http.post(`${origin.url}/old`, init('b1'))).text()).toBe('here');
    expect(origin.seen.at(-1)).toMatchObject({ url: '/new', body: 'b1', headers: { authorization: 'Bearer k' } });
    expect(await (await http.post(`${origin.url}/away`, init('b2'))).text()).toBe('moved');
    expect(other.seen[0]).toMatchObject({ url: '/there', body: 'b2' });
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
    expect((await http.post(`${origin.url}/gone`, init('b3'))).status).toBe(301);
    http.close();
  });
});
