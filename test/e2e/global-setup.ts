/**
 * vitest globalSetup for the e2e suite: starts ONE local cluster for all e2e test files and
 * stops it afterwards. Wire it in vitest.e2e.config.ts:  test: { globalSetup: ['test/e2e/global-setup.ts'] }
 *
 * Tests read the cluster with `inject('rwE2eCluster')` (or process.env RW_E2E_*; see
 * ./support.ts `useCluster()`, which also works when this global setup is not wired).
 * Set RW_E2E_EXTERNAL=1 with RW_E2E_SERVER/RW_E2E_TOKEN/RW_E2E_CA_FILE/RW_E2E_KUBECONFIG to
 * reuse an already running cluster (e.g. one started by hand with cluster/up.sh).
 *
 * The repo's RisingWave CRD (crds/risingwave.risingwavelabs.com_risingwaves.yaml) is applied
 * before kube-controller-manager starts, so the garbage collector handles RisingWave owners
 * immediately (otherwise ~30-45 s late). Override with RW_E2E_PRELOAD=file1:file2, or
 * RW_E2E_PRELOAD= (empty) to preload nothing.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { clusterEnv, startCluster, type ClusterInfo } from './cluster/cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rwE2eCluster: ClusterInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.RW_E2E_EXTERNAL === '1') {
    project.provide('rwE2eCluster', null);
    return async () => {};
  }
  const repoCrd = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crds', 'risingwave.risingwavelabs.com_risingwaves.yaml');
  const preload =
    process.env.RW_E2E_PRELOAD !== undefined ? process.env.RW_E2E_PRELOAD.split(':').filter(Boolean) : existsSync(repoCrd) ? [repoCrd] : [];
  const cluster = await startCluster({ preload });
  const { stop, ...info } = cluster;
  Object.assign(process.env, clusterEnv(info));
  project.provide('rwE2eCluster', info);
  return async () => {
    await stop();
  };
}
