// Test-only race app: the slow handler every adapter's server runs, recording as its own browser.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { TouchlineClient } from '../../client/create-client.js';

export type RaceAction = 'hit' | 'identify' | 'logout';

/** Who is asking, carried in headers so the handler learns it without any Touchline state. */
export interface RaceMarker {
  browser: string;
  round: number;
  action: RaceAction;
}

/** What the handler answers: the ids it saw through `client.current()`, and the body it parsed. */
export interface RaceBody {
  visitorId: string | null;
  sessionId: string | null;
  bodyBrowser: string | null;
}

/** Runs the part of the handler after its await; the broken adapters supply their own. */
export type Resume = <T>(fn: () => T) => T;

export const RACE_PATH = '/race';

export function markerFrom(header: (name: string) => string | string[] | undefined): RaceMarker {
  const one = (name: string): string => {
    const value = header(name);
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  const action = one('x-action');
  return {
    browser: one('x-browser'),
    round: Number(one('x-round')),
    action: action === 'identify' || action === 'logout' ? action : 'hit',
  };
}

/** Reads the browser marker out of a parsed JSON request body, whatever the framework parsed. */
export function bodyBrowserFrom(parsed: unknown): string | null {
  if (parsed === null || typeof parsed !== 'object') return null;
  const value = (parsed as { browser?: unknown }).browser;
  return typeof value === 'string' ? value : null;
}

/**
 * The slow app: a random 0-20 ms await lets every concurrent request interleave, then it records
 * an event (and maybe identify / endSession) and reports the ids its context holds.
 */
export async function raceWork(
  client: TouchlineClient,
  marker: RaceMarker,
  bodyBrowser: string | null = null,
  resume: Resume = (fn) => fn(),
): Promise<RaceBody> {
  await delay(Math.floor(Math.random() * 21));
  return resume(() => {
    client.event('hit', { browser: marker.browser, round: marker.round });
    if (marker.action === 'identify') client.identify(`user-${marker.browser}`, { round: marker.round });
    if (marker.action === 'logout') client.endSession();
    const scope = client.current();
    return { visitorId: scope?.identity.visitorId ?? null, sessionId: scope?.session.id ?? null, bodyBrowser };
  });
}

/** Reads a node:http request body as JSON; null when empty or not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return null;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export function sendJson(res: ServerResponse, body: RaceBody): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
