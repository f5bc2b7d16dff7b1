// Test-only client wired to a fresh collector stub, with the race settings and its errors collected.
import { createClient, type TouchlineClient } from '../../client/create-client.js';
import type { ClientSettingsInput } from '../../client-settings.js';
import { startCollectorStub, type CollectorStub, type CollectorStubOptions } from './collector-stub.js';

export interface TestClient {
  client: TouchlineClient;
  stub: CollectorStub;
  /** Error codes (or messages) the client reported, in order. */
  errors: string[];
  close(): Promise<void>;
}

/** `settings` override the test defaults (e.g. `{ beaconScriptPath: false }`). */
export async function startTestClient(
  settings: Partial<ClientSettingsInput> = {},
  stubOptions: CollectorStubOptions = {},
): Promise<TestClient> {
  const stub = await startCollectorStub(stubOptions);
  const errors: string[] = [];
  const client = createClient({ apiKey: 'test', endpoint: stub.url, batch: { flushIntervalMs: 10 }, ...settings });
  // Through the typed 'error' event: with no listener, Node's EventEmitter would throw it instead.
  client.on('error', ({ error }) => {
    errors.push((error as { code?: string }).code ?? error.message);
  });
  return {
    client,
    stub,
    errors,
    async close() {
      await client.close({ timeoutMs: 2_000 });
      await stub.close();
    },
  };
}
