import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * One file for the client build (vite) and the test suite (vitest). The client lives in client/ and
 * builds to dist/client, which the server serves. Tests are split into projects: fast unit tests,
 * integration tests against real PostgreSQL (embedded and/or DATABASE_URL, see tests/support), and
 * browser journeys in Chromium.
 */
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', ws: true },
      '/healthz': 'http://localhost:3000',
    },
  },
  test: {
    root: '.',
    // Vitest's default (one core less than the machine has) is a single worker on a 2-core machine,
    // and most of an integration or browser test's time is spent waiting on PostgreSQL, Chromium or
    // a socket: two workers keep both cores busy and the whole suite well inside CI's time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts', 'tests/support/browser-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // Browser files share the workers with the integration files (a project that runs its
          // files one at a time is scheduled after everything else, which made it the suite's tail).
        },
      },
    ],
  },
});
