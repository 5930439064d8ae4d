import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CRD's CEL and OpenAPI rules case by case on the same API server (skipped by `npm test`).
    include: ['test/e2e/**/*.test.ts', 'test/crd/apiserver.test.ts'],
    exclude: ['test/e2e/**/*.unit.test.ts'],
    // One control plane for the whole run (etcd, kube-apiserver, controller-manager, scheduler, kwok).
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
