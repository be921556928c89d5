import { defineConfig } from 'vitest/config';

// Sized for a 2-core machine that may be busy with other work: two forked workers (processes,
// so a test's worker threads and child processes are its own), and bounds in minutes. Tests wait
// for events; a timeout here is a last resort that says a test hung, never a speed limit.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The extension-host suite (test/extension) runs inside VS Code, not vitest.
    exclude: ['test/extension/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 5 * 60_000,
    hookTimeout: 10 * 60_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
  },
});
