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
          setupFiles: ['./tests/support/sdk-call-log.ts'],
          // Before proof-calls, which reads the SDK calls this project records (explicit: an
          // order-0 project on a one-worker machine runs in the last, sequential group).
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        // tests/proof: the authorization matrix and the other proofs over every route (emulators).
        test: {
          name: 'proof',
          include: ['tests/proof/**/*.test.ts'],
          exclude: ['tests/proof/calls/**'],
          setupFiles: ['./tests/support/sdk-call-log.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The SDK calls recorded by every other project, checked against the route table: it must
        // run after them, hence a later group.
        test: {
          name: 'proof-calls',
          include: ['tests/proof/calls/**/*.test.ts'],
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          setupFiles: ['./tests/support/sdk-call-log.ts'],
          // Before proof-calls, which reads the SDK calls this project records (explicit: an
          // order-0 project on a one-worker machine runs in the last, sequential group).
          sequence: { groupOrder: 1 },
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
