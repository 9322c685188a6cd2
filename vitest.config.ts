import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const core = fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url));
const client = fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url));
const coreTesting = fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url));
const gatewayInProcess = fileURLToPath(
  new URL('./packages/gateway/src/in-process/index.ts', import.meta.url),
);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@companion-guard\/core\/testing$/, replacement: coreTesting },
      { find: /^@companion-guard\/core$/, replacement: core },
      // The in-process example imports the package as users do; tests run it on the sources.
      { find: /^@companion-guard\/gateway\/in-process$/, replacement: gatewayInProcess },
      { find: /^@companion-guard\/client$/, replacement: client },
    ],
  },
  test: {
    globalSetup: ['./packages/gateway/test/global-setup.ts'],
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'scripts/**/*.test.ts',
      'examples/test/**/*.test.ts',
    ],
    // Vitest's default is one worker per core but one; most files wait on sockets, databases and browsers,
    // so two workers on the 2-core CI machine finish the suite far sooner.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
