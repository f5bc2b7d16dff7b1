// Bench load generator for large bodies: keep-alive connections over raw sockets sending pre-built bodies, each exactly once.
import { connect } from 'node:net';

/**
 * Why not autocannon here: to send every item only once it must rebuild each request in
 * setupRequest, and for a 221 KB batch that is a fresh 221 KB string and buffer per request. On this
 * 2-core VM, where touching fresh memory costs ~10 µs per 4 KiB page, that load generator took
 * ~4 µs of CPU per item from the machine it shares with the collector. Here the bodies are built
 * before the clock starts (`bodies`, Buffers) and written with the request head, uncopied.
 * Connections take bodies from one shared cursor, so no body is sent twice; when they run out the
 * load ends early, and the rate is computed over the time actually taken.
 *
 * @param {{ url: string, path: string, headers: Record<string, string>, bodies: Buffer[], connections: number, seconds: number }} options
 * @returns {Promise<{ requests: number, non2xx: number, elapsedMs: number, exhausted: boolean }>}
 */
export async function rawLoad({ url, path, headers, bodies, connections, seconds }) {
  const { hostname, port } = new URL(url);
  const head = (length) =>
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}content-length: ${length}\r\n\r\n`,
    );
  let next = 0;
  let requests = 0;
  let non2xx = 0;
  const start = Date.now();
  const deadline = start + seconds * 1000;

  const client = () =>
    new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let pending = '';
      const send = () => {
        if (Date.now() >= deadline || next >= bodies.length) {
          socket.end();
          return;
        }
        const body = bodies[next++];
        socket.cork();
        socket.write(head(body.length));
        socket.write(body);
        socket.uncork();
      };
      socket.setEncoding('latin1');
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        pending += chunk;
        for (;;) {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(pending.slice(0, end))?.[1] ?? NaN);
          if (!Number.isFinite(length)) {
            socket.destroy();
            reject(new Error(`raw load: a response without content-length: ${pending.slice(0, 200)}`));
            return;
          }
          if (pending.length < end + 4 + length) return;
          const status = Number(pending.slice(9, 12));
          pending = pending.slice(end + 4 + length);
          requests++;
          if (status < 200 || status > 299) non2xx++;
          send();
        }
      });
      socket.on('error', reject);
      socket.on('close', resolve);
    });

  await Promise.all(Array.from({ length: connections }, client));
  return { requests, non2xx, elapsedMs: Date.now() - start, exhausted: next >= bodies.length };
}
