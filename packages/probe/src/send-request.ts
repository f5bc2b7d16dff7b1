// One HTTP exchange over the probe's own agent; failures (refused, reset, timeout) come back as values.
import http from 'node:http';
import https from 'node:https';
import { err, ok, type Result } from '@touchline/core';

export interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface ReceivedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** True when the body was longer than the cap and was cut. */
  truncated: boolean;
}

/** The response, or why none came (connection refused, reset, timed out). */
export type SendResult = Result<ReceivedResponse>;

/** Bodies are read up to this many bytes: markers sit near the top of any sane response. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Redirects are not followed: the 3xx response and its cookies are checked like any other. */
export function sendRequest(agent: http.Agent, request: OutgoingRequest): Promise<SendResult> {
  const transport = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = transport.request(
      request.url,
      {
        method: request.method,
        headers: request.headers,
        agent,
        timeout: request.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_BODY_BYTES) {
            truncated = true;
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
          resolve(
            ok({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              truncated: truncated || size > MAX_BODY_BYTES,
            }),
          );
        });
        res.on('error', (error) => resolve(err(error.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${request.timeoutMs} ms`)));
    req.on('error', (error) => resolve(err(error.message)));
    req.end(request.body);
  });
}
