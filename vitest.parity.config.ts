import { defineConfig } from 'vitest/config';

// The parity suite needs the Go program test/parity/build.sh builds (npm run test:parity); not part of npm test.
export default defineConfig({
  test: {
    include: ['test/parity/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
