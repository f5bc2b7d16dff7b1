// runProbe: drives the virtual browsers against one app and returns what leaked between them.
import http from 'node:http';
import https from 'node:https';
import { TouchlineError } from '@touchline/core';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { createCookieLedger } from './cookie-ledger.js';
import { createMarkerSet } from './identity-marker.js';
import { resolveProbeOptions, type ProbeOptions } from './probe-options.js';
import { createReportBuilder, type ProbeReport } from './probe-report.js';
import { defaultScript } from './probe-script.js';
import { createShapeLedger } from './shape-ledger.js';
import { checkTarget } from './target-check.js';
import { runBrowser, type BrowserContext } from './virtual-browser.js';

/** Browser `index`'s share of `total` requests: as even as possible, earlier browsers get the rest. */
export function shareOf(total: number, users: number, index: number): number {
  return Math.floor(total / users) + (index < total % users ? 1 : 0);
}

/**
 * Probes the app at `baseUrl` and reports every response, cookie or session that reached the
 * wrong browser. Bounded: stops after `requests` requests or `maxDurationMs`, whichever is first.
 * Throws only for broken contracts: invalid options (SettingsError), a refused host
 * (code `probe_refused`) or a script that cannot build its steps.
 *
 * @example
 * const report = await runProbe({ baseUrl: 'http://127.0.0.1:3000/', users: 40, requests: 400 });
 * expect(report.summary.violations).toBe(0);
 */
export async function runProbe(input: ProbeOptions): Promise<ProbeReport> {
  const options = resolveProbeOptions(input);
  const checked = checkTarget(options.baseUrl, options.allowHosts);
  if (checked.kind === 'err') throw new TouchlineError('probe_refused', checked.error);
  const target = { url: checked.value };
  const users = Math.min(options.users, options.requests);
  const script = options.script ?? defaultScript(`${target.url.pathname}${target.url.search}`);
  const markers = createMarkerSet();
  const stepsPerUser = Array.from({ length: users }, (_, index) => script({ id: markers.markerOf(index), index }));

  // The limit admits whole browsers, not single requests: a request-level queue would serialise
  // a browser's first requests and hide exactly the races (L2) its burst is there to cause.
  const perUserConcurrency = Math.min(options.perUserConcurrency, options.concurrency);
  const limit = createConcurrencyLimit(Math.max(1, Math.floor(options.concurrency / perUserConcurrency)));
  const started = Date.now();
  const deadline = started + options.maxDurationMs;
  const report = createReportBuilder(target.url.href, users, options.maxViolations);
  const agentOptions = { keepAlive: true, maxSockets: options.concurrency };
  const agent = target.url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const ctx: BrowserContext = {
    origin: target.url,
    agent,
    markers,
    cookies: createCookieLedger(options.ignoreCookies),
    shapes: createShapeLedger(),
    perUserConcurrency,
    timeoutMs: options.timeoutMs,
    now: Date.now,
    expired: () => Date.now() >= deadline,
    nextSeq: () => report.sent(),
    onResponse: (found) => report.add(found),
    onError: (message) => report.error(message),
  };
  try {
    await Promise.all(
      stepsPerUser.map((steps, index) =>
        limit.run(() => runBrowser(ctx, index, steps, shareOf(options.requests, users, index))),
      ),
    );
  } finally {
    agent.destroy();
  }
  return report.build(Date.now() - started, report.sentCount() < options.requests ? 'deadline' : 'complete');
}
