import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests need a running control plane (npm run test:e2e); their pure *.unit.test.ts files run here.
    // test/parity needs a Go program built by test/parity/build.sh (npm run test:parity).
    exclude: ['node_modules/**', 'test/e2e/**/!(*.unit).test.ts', 'test/parity/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
