// Test-only slow-app race: many browsers, concurrent rounds, and every cross-request leak reported as a value.
import { Agent } from 'node:http';
import { deriveSessionId, readIdentityJar } from '@touchline/core';
import type { TouchlineClient } from '../../client/create-client.js';
import type { LocalServer } from './local-server.js';
import { RACE_PATH, type RaceAction, type RaceBody } from './race-app.js';
import { ASSET_HEADERS, NAVIGATION_HEADERS, SimulatedBrowser, type BrowserResponse } from './simulated-browser.js';
import { checkDelivery, type BrowserIds } from './race-delivery.js';
import { startTestClient } from './test-client.js';

/** Which property of the protocol a violation breaks; each adapter test asserts one group. */
export type RaceCheck = 'mint' | 'read' | 'logout' | 'asset' | 'delivery' | 'errors';

export interface Violation {
  check: RaceCheck;
  browser: string;
  message: string;
}

export interface RaceReport {
  violations: Violation[];
  requests: number;
  items: number;
}

export type StartApp = (client: TouchlineClient) => Promise<LocalServer>;

export interface RaceOptions {
  /** Distinct simulated browsers, each sending one request per round, all at once. @default 200 */
  browsers?: number;
  /** Cookieless image requests fired alongside round 1. @default 20 */
  assets?: number;
}

interface Round {
  round: number;
  action: RaceAction;
  /** POST a JSON body, so context must survive the framework's body parsing. */
  post: boolean;
}

/** 1: first visit (ids minted); 2: ids read back, after a body; 3: logout; 4: the session after it. */
const ROUNDS: readonly Round[] = [
  { round: 1, action: 'hit', post: false },
  { round: 2, action: 'identify', post: true },
  { round: 3, action: 'logout', post: false },
  { round: 4, action: 'hit', post: false },
];

const COOKIE_PREFIX = 'tl_';

function parseBody(response: BrowserResponse): RaceBody | string {
  if (response.status !== 200) return `status ${response.status}`;
  try {
    return JSON.parse(response.body) as RaceBody;
  } catch {
    return `body is not JSON: ${response.body.slice(0, 80)}`;
  }
}

/** The visitor and session the browser's jar names now, computed the way the protocol reads them. */
function jarIdentity(browser: SimulatedBrowser): { visitorId: string | null; sessionId: string | null } {
  const jar = readIdentityJar(browser.cookieHeader(), COOKIE_PREFIX);
  if (jar.visitorId === null) return { visitorId: null, sessionId: null };
  const current = Math.max(0, jar.active ?? 0, ...jar.numbers.keys());
  return { visitorId: jar.visitorId, sessionId: current === 0 ? null : deriveSessionId(jar.visitorId, current) };
}

function sendRound(browser: SimulatedBrowser, { round, action, post }: Round): Promise<BrowserResponse | Error> {
  const headers = { ...NAVIGATION_HEADERS, 'x-browser': browser.id, 'x-round': String(round), 'x-action': action };
  const path = `${RACE_PATH}?b=${browser.id}&r=${round}`;
  const sent = post
    ? browser.send({
        method: 'POST',
        path,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ browser: browser.id }),
      })
    : browser.send({ path, headers });
  return sent.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}

/** Checks one navigation response against the browser's own jar and its ids from earlier rounds. */
function checkNavigation(
  browser: SimulatedBrowser,
  round: Round,
  result: BrowserResponse | Error,
  ids: BrowserIds,
): Violation[] {
  const check: RaceCheck = round.round === 1 ? 'mint' : round.round === 2 ? 'read' : 'logout';
  const out: Violation[] = [];
  const fail = (message: string): void => {
    out.push({ check, browser: browser.id, message: `round ${round.round}: ${message}` });
  };
  if (result instanceof Error)
    return [{ check, browser: browser.id, message: `round ${round.round}: ${result.message}` }];
  const body = parseBody(result);
  if (typeof body === 'string') return [{ check, browser: browser.id, message: `round ${round.round}: ${body}` }];

  const own = jarIdentity(browser);
  const setVisitors = result.setCookies
    .filter((c) => c.startsWith(`${COOKIE_PREFIX}vid=`))
    .map((c) => c.slice(COOKIE_PREFIX.length + 4).split(';')[0]);
  if (round.round === 1 && setVisitors.length !== 1)
    fail(`expected one ${COOKIE_PREFIX}vid cookie, got ${setVisitors.length}`);
  for (const vid of setVisitors)
    if (vid !== body.visitorId) fail(`Set-Cookie names visitor ${vid} but the handler saw ${body.visitorId}`);
  if (body.visitorId === null || body.visitorId !== own.visitorId)
    fail(`handler saw visitor ${body.visitorId}, the jar holds ${own.visitorId}`);
  if (body.sessionId === null || body.sessionId !== own.sessionId)
    fail(`handler saw session ${body.sessionId}, the jar names ${own.sessionId}`);
  if (round.post && body.bodyBrowser !== browser.id) fail(`handler parsed body of ${body.bodyBrowser}`);

  if (round.round === 1) {
    ids.visitorId = body.visitorId;
    ids.sessions[1] = body.sessionId;
  } else if (body.visitorId !== ids.visitorId) {
    fail(`visitor changed from ${ids.visitorId} to ${body.visitorId}`);
  }
  const first = ids.sessions[1];
  if (round.round === 2 && body.sessionId !== first) fail(`session ${body.sessionId} is not the first one ${first}`);
  if (round.round === 3 && (body.sessionId === null || body.sessionId === first))
    fail('endSession() did not start a new session');
  if (round.round === 4 && body.sessionId !== ids.sessions[3])
    fail(`next request is in ${body.sessionId}, not the post-logout session ${ids.sessions[3]}`);
  ids.sessions[round.round] = body.sessionId;
  return out;
}

function checkAsset(browser: SimulatedBrowser, result: BrowserResponse | Error): Violation[] {
  const fail = (message: string): Violation[] => [{ check: 'asset', browser: browser.id, message }];
  if (result instanceof Error) return fail(result.message);
  if (result.setCookies.length > 0) return fail(`asset got Set-Cookie ${result.setCookies.join(' | ')}`);
  const body = parseBody(result);
  if (typeof body === 'string') return fail(body);
  if (body.visitorId !== null || body.sessionId !== null) return fail(`asset request has visitor ${body.visitorId}`);
  return [];
}

function distinctVisitors(ids: ReadonlyMap<string, BrowserIds>): Violation[] {
  const owner = new Map<string, string>();
  const out: Violation[] = [];
  for (const [browser, { visitorId }] of ids) {
    if (visitorId === null) continue;
    const other = owner.get(visitorId);
    if (other !== undefined)
      out.push({ check: 'mint', browser, message: `visitor ${visitorId} was also minted for ${other}` });
    owner.set(visitorId, browser);
  }
  return out;
}

/**
 * Runs the four concurrent rounds against the app `startApp` serves, flushes, and checks every
 * response, cookie and delivered item against the browser it belongs to. Never throws for a leak:
 * leaks are returned, so a deliberately broken adapter can be shown to produce them.
 */
export async function runRace(startApp: StartApp, options: RaceOptions = {}): Promise<RaceReport> {
  const { client, stub, errors, close } = await startTestClient();
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const violations: Violation[] = [];
  let requests = 0;
  let server: LocalServer | undefined;
  try {
    server = await startApp(client);
    const browsers = Array.from(
      { length: options.browsers ?? 200 },
      (_, i) => new SimulatedBrowser(`b${i}`, (server as LocalServer).url, agent),
    );
    const assets = Array.from(
      { length: options.assets ?? 20 },
      (_, i) => new SimulatedBrowser(`asset${i}`, (server as LocalServer).url, agent),
    );
    const ids = new Map(browsers.map((b) => [b.id, { visitorId: null, sessions: {} } as BrowserIds]));
    for (const round of ROUNDS) {
      const assetResults =
        round.round === 1
          ? assets.map((a) =>
              a
                .send({
                  path: `${RACE_PATH}?b=${a.id}&r=1`,
                  headers: { ...ASSET_HEADERS, 'x-browser': a.id, 'x-round': '1' },
                })
                .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
            )
          : [];
      const results = await Promise.all(browsers.map((b) => sendRound(b, round)));
      requests += results.length + assetResults.length;
      browsers.forEach((b, i) =>
        violations.push(
          ...checkNavigation(b, round, results[i] as BrowserResponse | Error, ids.get(b.id) as BrowserIds),
        ),
      );
      (await Promise.all(assetResults)).forEach((r, i) =>
        violations.push(...checkAsset(assets[i] as SimulatedBrowser, r)),
      );
      if (round.round === 1) violations.push(...distinctVisitors(ids));
    }
    const flushed = await client.flush({ timeoutMs: 10_000 });
    if (!flushed.settled) violations.push({ check: 'delivery', browser: '*', message: 'flush() did not settle' });
    violations.push(...checkDelivery(stub.items(), ids, new Set(assets.map((a) => a.id))));
    const unexpected = errors.filter((code) => code !== 'no_visitor');
    if (unexpected.length > 0)
      violations.push({
        check: 'errors',
        browser: '*',
        message: `client errors: ${[...new Set(unexpected)].join(', ')}`,
      });
    const noVisitor = errors.length - unexpected.length;
    if (noVisitor !== assets.length)
      violations.push({
        check: 'asset',
        browser: '*',
        message: `${noVisitor} no_visitor rejections for ${assets.length} asset requests`,
      });
    return { violations, requests, items: stub.items().length };
  } finally {
    agent.destroy();
    await server?.close();
    await close();
  }
}

/** Groups violations for readable assertion failures: a count and the first few messages. */
export function summarize(report: RaceReport, check: RaceCheck): { count: number; first: string[] } {
  const found = report.violations.filter((v) => v.check === check);
  return { count: found.length, first: found.slice(0, 5).map((v) => `${v.browser}: ${v.message}`) };
}
