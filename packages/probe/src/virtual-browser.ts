// One virtual browser: its own jar and marker, a few requests in flight, every response checked.
import type http from 'node:http';
import { checkMarkers } from './check-markers.js';
import { createCookieJar, parseSetCookie, type SetCookie } from './cookie-jar.js';
import type { CookieLedger } from './cookie-ledger.js';
import type { MarkerSet } from './identity-marker.js';
import type { ProbeStep } from './probe-script.js';
import { sendRequest, type ReceivedResponse } from './send-request.js';
import type { ShapeLedger } from './shape-ledger.js';
import { violation, type RequestRef, type Violation } from './violation.js';

/** What all browsers of one run share; every field is owned by that run. */
export interface BrowserContext {
  origin: URL;
  agent: http.Agent;
  markers: MarkerSet;
  cookies: CookieLedger;
  shapes: ShapeLedger;
  perUserConcurrency: number;
  timeoutMs: number;
  now: () => number;
  expired: () => boolean;
  nextSeq: () => number;
  onResponse: (violations: Violation[]) => void;
  onError: (message: string) => void;
}

/** Looks like a desktop browser navigating, so apps (and Touchline) treat it as a real visitor. */
const BROWSER_HEADERS = {
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 touchline-probe/0.1',
  accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8',
};

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function setCookiesOf(response: ReceivedResponse, now: number): SetCookie[] {
  const raw = response.headers['set-cookie'] ?? [];
  return raw.map((h) => parseSetCookie(h, now)).filter((c): c is SetCookie => c !== null);
}

/** A throwing `expect` is reported like a failing one rather than aborting the run. */
function runExpect(step: ProbeStep, response: ReceivedResponse): string | null {
  if (step.expect === undefined) return null;
  try {
    const complaint = step.expect({
      status: response.status,
      headers: response.headers,
      body: response.body,
      json: parseJson(response.body),
    });
    return typeof complaint === 'string' ? complaint : null;
  } catch (error) {
    return `expect threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Runs `budget` requests for browser `index`, cycling through its steps. */
export async function runBrowser(
  ctx: BrowserContext,
  index: number,
  steps: readonly ProbeStep[],
  budget: number,
): Promise<void> {
  const user = ctx.markers.markerOf(index);
  const jar = createCookieJar();

  const exchange = async (step: ProbeStep): Promise<void> => {
    if (ctx.expired()) return;
    const url = new URL(step.path, ctx.origin);
    url.searchParams.set('probe_user', user);
    const seq = ctx.nextSeq();
    const cookie = jar.header(ctx.now());
    const headers: Record<string, string> = { ...BROWSER_HEADERS, ...step.headers, 'x-probe-user': user };
    if (cookie !== undefined) headers.cookie = cookie;
    const result = await sendRequest(ctx.agent, {
      url,
      method: step.method,
      headers,
      body: step.body,
      timeoutMs: ctx.timeoutMs,
    });
    const request: RequestRef = { method: step.method, path: `${url.pathname}${url.search}`, seq };
    if (result.kind === 'err') {
      ctx.onError(`${request.method} ${request.path}: ${result.error}`);
      return;
    }
    const response = result.value;
    const now = ctx.now();
    const cookies = setCookiesOf(response, now);
    const found = [
      ...checkMarkers({
        markers: ctx.markers,
        ownIndex: index,
        request,
        headers: response.headers,
        body: response.body,
      }),
      ...ctx.cookies.observe(index, user, request, cookies, now),
      ...ctx.shapes.observe(user, request, url.pathname, response.status, response.headers, response.body),
    ];
    const complaint = runExpect(step, response);
    if (complaint !== null)
      found.push(violation('script-expectation', user, request, 'the script expectation to hold', complaint));
    jar.apply(cookies, now);
    ctx.onResponse(found);
  };

  const inFlight = new Set<Promise<void>>();
  for (let n = 0; n < budget && !ctx.expired(); n += 1) {
    const step = steps[n % steps.length];
    if (step === undefined) break;
    if (step.sequential === true) {
      await Promise.all(inFlight);
      await exchange(step);
      continue;
    }
    const pending: Promise<void> = exchange(step).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
    if (inFlight.size >= ctx.perUserConcurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}
