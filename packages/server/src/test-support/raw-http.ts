// Test helper: one HTTP/1.1 exchange over a raw socket, for requests fetch refuses to send (bad framing, slow bodies, broken bytes).
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  /** Sent first, byte for byte (request line and headers, or anything at all). */
  head: string | Buffer;
  /** Then these chunks, one every `chunkDelayMs`, unless the server has closed the connection. */
  chunks?: Array<string | Buffer>;
  chunkDelayMs?: number;
}

function parseResponse(raw: Buffer): RawResponse | null {
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (end < 0 || m === null) return null;
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, end).split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked')
    body = body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '');
  return { status: Number(m[1]), headers, body };
}

/** Resolves with the first response, or null if the server closed without one; rejects after `timeoutMs`. */
export function rawRequest(port: number, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined); // a reset after the server answered is expected for cut connections
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(received)));
    });
    socket.on('connect', async () => {
      socket.write(request.head);
      for (const chunk of request.chunks ?? []) {
        await new Promise((r) => setTimeout(r, request.chunkDelayMs ?? 0));
        if (closed || socket.destroyed) return;
        socket.write(chunk);
      }
      // No half-close: the request says Connection: close, so the server closes after its answer. A
      // FIN from the client means "gone" to the collector (it cancels that client's query), so a
      // half-closing client gets no answer that waits for a thread: the SDK and browsers never half-close.
    });
  });
}
