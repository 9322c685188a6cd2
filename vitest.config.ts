import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const core = fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url));
const client = fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url));
const coreTesting = fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url));
const gatewayInProcess = fileURLToPath(
  new URL('./packages/gateway/src/in-process/index.ts', import.meta.url),
);

const include = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'scripts/**/*.test.ts',
  'examples/test/**/*.test.ts',
];
const timed = 'packages/gateway/test/e2e/scan-caps.test.ts';

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
    // Vitest's default is one worker per core but one; most files wait on sockets, databases and browsers,
    // so two workers on the 2-core CI machine finish the suite far sooner.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include,
          exclude: [...configDefaults.exclude, timed],
          sequence: { groupOrder: 0 },
        },
      },
      // The one latency bound a test asserts (issue #11: a crisis reply within 100 ms beside a maximum-size
      // message) runs after the rest, alone, so another file's work on the shared cores does not decide it.
      { extends: true, test: { name: 'timed', include: [timed], sequence: { groupOrder: 1 } } },
    ],
  },
});
