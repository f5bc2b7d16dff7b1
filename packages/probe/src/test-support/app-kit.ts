// Bits every test app shares: the slow step, reading the probe marker and cookies, answering JSON.
import type http from 'node:http';

/** The slow part of a handler (a database call, say): a random 0-15 ms wait that lets requests interleave. */
export const slowStep = (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 16)));

/** The marker the probe sent, from the header or the query string. */
export function userOf(req: http.IncomingMessage): string {
  const header = req.headers['x-probe-user'];
  if (typeof header === 'string') return header;
  return new URL(req.url ?? '/', 'http://app').searchParams.get('probe_user') ?? 'anonymous';
}

export function pathOf(req: http.IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://app').pathname;
}

export function cookieOf(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function sendJson(
  res: http.ServerResponse,
  body: unknown,
  cookies: string[] = [],
  extra: http.OutgoingHttpHeaders = {},
): void {
  if (res.writableEnded) return;
  const headers: http.OutgoingHttpHeaders = { ...extra, 'content-type': 'application/json' };
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(200, headers).end(JSON.stringify(body));
}
