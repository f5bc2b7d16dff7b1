// Test-only local servers on 127.0.0.1: plain node:http, and a Web fetch bridge shaped like @hono/node-server.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** The same bindings @hono/node-server passes as Hono's `c.env`. */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}
export type BridgedHandler = (request: Request, env: NodeBindings) => Response | Promise<Response>;

export interface LocalServer {
  url: string;
  close(): Promise<void>;
}

/** Like @hono/node-server: the absolute URL is built from the Host header the client sent. */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '');
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const base = `http://${req.headers.host ?? '127.0.0.1'}`;
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.writeHead(response.status);
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
}

/** Listens on 127.0.0.1 with an ephemeral port; `close()` also drops keep-alive connections. */
export async function listenLocal(server: Server): Promise<LocalServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function serveNode(listener: RequestListener): Promise<LocalServer> {
  return listenLocal(createServer(listener));
}

export function serveFetch(handler: BridgedHandler): Promise<LocalServer> {
  return serveNode((req, res) => {
    Promise.resolve()
      .then(() => handler(toRequest(req), { incoming: req, outgoing: res }))
      .then((response) => writeResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
}
