// Errors Node reports before a request reaches a route (slow body, oversize headers, broken HTTP): the same JSON error shape, written to the socket.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';

const BY_CODE: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'request_timeout',
    'the request (headers and body) was not received within the request timeout; connection closed',
  ],
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'request headers exceed the allowed size'],
};

/** Mirrors Node's own fallback (one response, then the socket is destroyed), with our body instead of fastify's. */
export function replyClientError(
  error: Error & { code?: string },
  socket: Duplex,
  metrics: Pick<CollectorMetrics, 'rejected'>,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = BY_CODE[error.code ?? ''] ?? [
    400,
    'bad_http',
    `malformed HTTP request (${error.code ?? error.message})`,
  ];
  metrics.rejected.inc({ reason: code });
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message } });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
