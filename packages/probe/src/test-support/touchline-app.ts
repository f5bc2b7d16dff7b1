// An app using the Touchline SDK's node:http adapter, to show the probe finds nothing to report on it.
import { createClient } from '../../../node/src/client/create-client.js';
import { withTouchline } from '../../../node/src/middleware/http/index.js';
import { pathOf, sendJson, slowStep } from './app-kit.js';
import { serveApp, type RunningApp } from './serve-app.js';

/** Echoes the visitor id read from the request scope after a slow await, plus the probe marker. */
export function serveTouchlineApp(): Promise<RunningApp> {
  const client = createClient({ apiKey: 'probe', endpoint: 'http://127.0.0.1:9', trackPageviews: false });
  return serveApp(
    withTouchline(client, async (req, res) => {
      await slowStep();
      sendJson(res, {
        visitor: client.current()?.identity.visitorId ?? null,
        user: req.headers['x-probe-user'] ?? null,
        path: pathOf(req),
      });
    }),
    async () => {
      await client.close({ timeoutMs: 100 });
    },
  );
}
