// Test runner config: workspace packages resolve to their sources so tests need no build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@touchline\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@touchline\/node$/, replacement: src('./packages/node/src/index.ts') },
      { find: /^@touchline\/node\/(.*)$/, replacement: src('./packages/node/src/middleware/$1/index.ts') },
      { find: /^@touchline\/storage$/, replacement: src('./packages/storage/src/index.ts') },
      { find: /^@touchline\/server$/, replacement: src('./packages/server/src/index.ts') },
      { find: /^@touchline\/attribution$/, replacement: src('./packages/attribution/src/index.ts') },
      { find: /^@touchline\/probe$/, replacement: src('./packages/probe/src/index.ts') },
      { find: /^@touchline\/dashboard$/, replacement: src('./packages/dashboard/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/**/*.test.ts', 'bench/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
