import { defineConfig } from 'vitest/config';

// .ci/run asks for a JSON report beside the usual output, to print the
// closing "N passed, N failed" line from it.
const jsonReport = process.env.GITWARDEN_VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests build real git repositories and spawn the CLI: give a hang
    // room to show up as a failure, not as a flaky timing.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
