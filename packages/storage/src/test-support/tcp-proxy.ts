// Test support: a loopback TCP proxy a test can cut and restore, to take a database away from a process and give it back.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The loopback port clients connect to. */
  readonly port: number;
  /** Destroys every open connection (both sides) and refuses new ones until restore(): the network path is gone. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to `target` (loopback only). */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  if (target.host !== '127.0.0.1' && target.host !== 'localhost' && target.host !== '::1') {
    throw new Error(`tcp proxy: the target must be on loopback, got ${target.host}`);
  }
  const open = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = (): void => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port');
  function cutAll(): void {
    cut = true;
    for (const socket of open) socket.destroy();
    open.clear();
  }
  return {
    port: address.port,
    cut: cutAll,
    restore() {
      cut = false;
    },
    close() {
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
