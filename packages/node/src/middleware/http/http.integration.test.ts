// Slow-app race for the node:http adapter, and proof that the race catches the L1 shared-state bug.
import { describe, expect, it } from 'vitest';
import { brokenContextAdapter, brokenCookieAdapter } from '../test-support/broken-adapters.js';
import { describeAdapterRace } from '../test-support/describe-adapter-race.js';
import { serveNode } from '../test-support/local-server.js';
import { bodyBrowserFrom, markerFrom, raceWork, readJsonBody, sendJson } from '../test-support/race-app.js';
import { runRace, summarize, type StartApp } from '../test-support/race-harness.js';
import { withTouchline } from './index.js';

const startHttp: StartApp = (client) =>
  serveNode(
    withTouchline(client, async (req, res) => {
      const parsed = await readJsonBody(req);
      sendJson(
        res,
        await raceWork(
          client,
          markerFrom((name) => req.headers[name]),
          bodyBrowserFrom(parsed),
        ),
      );
    }),
  );

describeAdapterRace('node:http', startHttp);

describe('the race catches the L1 bug (deliberately broken adapters)', () => {
  it('fails an adapter whose handler reads the request scope from a shared field after its await', async () => {
    const report = await runRace((client) => serveNode(brokenContextAdapter(client)));
    expect(report.violations.length).toBeGreaterThan(0);
    // The cookies are per request here; the leak shows in the handler's context and the events.
    expect(summarize(report, 'read').count).toBeGreaterThan(0);
    expect(summarize(report, 'delivery').count).toBeGreaterThan(0);
  });

  it('fails an adapter that writes the identity cookies from a shared field (the Rack bug)', async () => {
    const report = await runRace((client) => serveNode(brokenCookieAdapter(client)));
    expect(report.violations.length).toBeGreaterThan(0);
    expect(summarize(report, 'mint').first.join('\n')).toMatch(/Set-Cookie names visitor/);
  });
});
