// Test stand-in for the ad platforms' upload endpoints on a real socket: validates the documented payload shapes strictly, and can fail or stall on demand.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received: which platform, its headers and its parsed body, and the problems found in it (none if valid). */
export interface ReceivedUpload {
  platform: 'google_ads' | 'meta';
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  problems: string[];
}

/** What the next request gets instead of the normal answer: a status (with an optional Retry-After), or a stall. */
export type ForcedAnswer = { status: number; body?: unknown; retryAfter?: string } | { stallMs: number };

export interface AdPlatformStandIn {
  url: string;
  /** The Google Ads endpoint for customer 1234567890 and the Meta endpoint for pixel 998877. */
  googleUrl: string;
  metaUrl: string;
  received: ReceivedUpload[];
  /** Answers for the next requests, in order; when empty, valid requests get 200 and invalid ones 400. */
  forced: ForcedAnswer[];
  close(): Promise<void>;
}

const HEX64 = /^[0-9a-f]{64}$/;
const GOOGLE_KEYS = new Set([
  'gclid',
  'conversionAction',
  'conversionDateTime',
  'conversionValue',
  'currencyCode',
  'orderId',
  'userIdentifiers',
]);
const META_KEYS = new Set([
  'event_name',
  'event_time',
  'event_id',
  'action_source',
  'event_source_url',
  'user_data',
  'custom_data',
]);
const META_USER_KEYS = new Set(['fbc', 'em', 'ph', 'client_user_agent']);

const unknownKeys = (o: Record<string, unknown>, allowed: Set<string>, where: string): string[] =>
  Object.keys(o)
    .filter((k) => !allowed.has(k))
    .map((k) => `${where}: unknown field ${k}`);

/** ClickConversion as the Google Ads API REST reference documents it (UploadClickConversionsRequest). */
function googleProblems(body: Record<string, unknown>, headers: IncomingMessage['headers']): string[] {
  const p: string[] = [];
  if (headers.authorization !== 'Bearer google-token') p.push('authorization: expected Bearer google-token');
  if (headers['developer-token'] !== 'dev-token') p.push('developer-token header missing');
  if (body.partialFailure !== true) p.push('partialFailure: must be true');
  p.push(...unknownKeys(body, new Set(['conversions', 'partialFailure']), 'request'));
  const conversions = Array.isArray(body.conversions) ? (body.conversions as Array<Record<string, unknown>>) : [];
  if (conversions.length === 0) p.push('conversions: required, non-empty');
  conversions.forEach((c, i) => {
    const at = `conversions[${i}]`;
    p.push(...unknownKeys(c, GOOGLE_KEYS, at));
    if (!/^customers\/\d+\/conversionActions\/\d+$/.test(String(c.conversionAction)))
      p.push(`${at}.conversionAction: not a resource name`);
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(String(c.conversionDateTime)))
      p.push(`${at}.conversionDateTime: not yyyy-mm-dd hh:mm:ss+|-hh:mm`);
    if (c.conversionValue !== undefined && typeof c.conversionValue !== 'number')
      p.push(`${at}.conversionValue: must be a number`);
    if (c.currencyCode !== undefined && !/^[A-Z]{3}$/.test(String(c.currencyCode)))
      p.push(`${at}.currencyCode: not ISO 4217`);
    if (typeof c.orderId !== 'string' || c.orderId === '') p.push(`${at}.orderId: required for deduplication`);
    const ids = Array.isArray(c.userIdentifiers) ? (c.userIdentifiers as Array<Record<string, unknown>>) : [];
    if (typeof c.gclid !== 'string' && ids.length === 0) p.push(`${at}: needs a gclid or userIdentifiers`);
    ids.forEach((u, j) => {
      const keys = Object.keys(u);
      if (
        keys.length !== 1 ||
        !['hashedEmail', 'hashedPhoneNumber'].includes(keys[0] ?? '') ||
        !HEX64.test(String(Object.values(u)[0]))
      )
        p.push(`${at}.userIdentifiers[${j}]: one hashedEmail or hashedPhoneNumber, SHA-256 hex`);
    });
  });
  return p;
}

/** Server events as the Meta Conversions API documents them. */
function metaProblems(body: Record<string, unknown>, nowMs: number): string[] {
  const p: string[] = [];
  if (body.access_token !== 'meta-token') p.push('access_token: expected meta-token');
  p.push(...unknownKeys(body, new Set(['data', 'access_token']), 'request'));
  const events = Array.isArray(body.data) ? (body.data as Array<Record<string, unknown>>) : [];
  if (events.length === 0 || events.length > 1000) p.push('data: 1 to 1000 events');
  events.forEach((e, i) => {
    const at = `data[${i}]`;
    p.push(...unknownKeys(e, META_KEYS, at));
    if (typeof e.event_name !== 'string' || e.event_name === '') p.push(`${at}.event_name: required`);
    if (!Number.isInteger(e.event_time)) p.push(`${at}.event_time: unix seconds (integer)`);
    else if (
      (e.event_time as number) * 1000 < nowMs - 7 * 86_400_000 ||
      (e.event_time as number) * 1000 > nowMs + 60_000
    )
      p.push(`${at}.event_time: more than 7 days ago or in the future`);
    if (typeof e.event_id !== 'string' || e.event_id === '') p.push(`${at}.event_id: required for deduplication`);
    if (e.action_source !== 'website') p.push(`${at}.action_source: expected website`);
    if (e.event_source_url !== undefined && !/^https?:\/\//.test(String(e.event_source_url)))
      p.push(`${at}.event_source_url: not a URL`);
    const user = (e.user_data ?? null) as Record<string, unknown> | null;
    if (user === null || typeof user !== 'object') {
      p.push(`${at}.user_data: required`);
      return;
    }
    p.push(...unknownKeys(user, META_USER_KEYS, `${at}.user_data`));
    if (user.fbc !== undefined && !/^fb\.1\.\d{13}\.[^.\s][^\s]*$/.test(String(user.fbc)))
      p.push(`${at}.user_data.fbc: not fb.1.<ms>.<fbclid>`);
    for (const k of ['em', 'ph'] as const) {
      if (
        user[k] !== undefined &&
        !(Array.isArray(user[k]) && (user[k] as unknown[]).every((h) => HEX64.test(String(h))))
      )
        p.push(`${at}.user_data.${k}: SHA-256 hex list`);
    }
    if (user.fbc === undefined && user.em === undefined && user.ph === undefined)
      p.push(`${at}.user_data: no customer information`);
    const custom = e.custom_data as Record<string, unknown> | undefined;
    if (custom !== undefined && (typeof custom.value !== 'number' || !/^[A-Z]{3}$/.test(String(custom.currency))))
      p.push(`${at}.custom_data: value number and currency code`);
  });
  return p;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function startAdPlatformStandIn(): Promise<AdPlatformStandIn> {
  const received: ReceivedUpload[] = [];
  const forced: ForcedAnswer[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '';
      const platform = path.startsWith('/google/') ? 'google_ads' : 'meta';
      const problems = platform === 'google_ads' ? googleProblems(body, req.headers) : metaProblems(body, Date.now());
      if (req.headers['content-type'] !== 'application/json') problems.push('content-type: expected application/json');
      received.push({ platform, path, headers: req.headers, body, problems });
      const answer = forced.shift();
      if (answer !== undefined && 'stallMs' in answer) await new Promise((r) => setTimeout(r, answer.stallMs));
      if (answer !== undefined && 'status' in answer) {
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter }),
        });
        res.end(JSON.stringify(answer.body ?? { error: { message: `forced ${answer.status}` } }));
        return;
      }
      if (problems.length > 0) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: problems.join('; ') } }));
        return;
      }
      const n = platform === 'google_ads' ? (body.conversions as unknown[]).length : (body.data as unknown[]).length;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          platform === 'google_ads'
            ? { results: Array.from({ length: n }, () => ({})) }
            : { events_received: n, fbtrace_id: 'stand-in' },
        ),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    googleUrl: `${url}/google/v22/customers/1234567890:uploadClickConversions`,
    metaUrl: `${url}/meta/v25.0/998877/events`,
    received,
    forced,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
