import { defineConfig } from 'vitest/config';

// One run, several projects. The emulators (DynamoDB Local, s3rver) are started once by the
// global setup, and only when a project that needs them (integration, e2e) is part of the run.
export default defineConfig({
  test: {
    globalSetup: ['./tests/support/global-setup.ts'],
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Debian's Chromium driven by playwright-core against npm start's server (one per file).
        // Files run one at a time: each has a browser and a server, and the machine has 2 cores.
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['./tests/browser/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
