// Starts a real node:http server on 127.0.0.1:0 for a test and stops it (and its open sockets) after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export async function serveApp(handler: Handler, onClose: () => Promise<void> = async () => {}): Promise<RunningApp> {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await onClose();
    },
  };
}
