// Test runner config for mutation testing (npm run mutation): only the unit tests of the modules
// Stryker mutates (session protocol, wire validation, attribution models), no databases or sockets.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  resolve: base.resolve,
  test: {
    include: [
      'packages/core/src/session/**/*.test.ts',
      'packages/core/src/wire/**/*.test.ts',
      'packages/attribution/src/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
  },
});
