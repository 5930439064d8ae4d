/**
 * vitest globalSetup for the e2e suite: starts ONE local cluster for all e2e test files, with the real
 * Metacontroller and the production hook on it (./cluster/metacontroller.ts), and stops it afterwards.
 * Wire it in vitest.e2e.config.ts:  test: { globalSetup: ['test/e2e/global-setup.ts'] }
 *
 * Tests read the cluster with `inject('rwE2eCluster')` (or process.env RW_E2E_*; see
 * ./support.ts `useCluster()`, which also works when this global setup is not wired).
 * Set RW_E2E_EXTERNAL=1 with RW_E2E_SERVER/RW_E2E_TOKEN/RW_E2E_CA_FILE/RW_E2E_KUBECONFIG to
 * reuse an already running cluster (e.g. one started by hand with cluster/up.sh).
 *
 * Preloaded before kube-controller-manager starts, so its garbage collector handles their owners at
 * once (otherwise ~30-45 s late): the repo's RisingWave CRD and Metacontroller's CRDs (the tag's
 * manifests/production/metacontroller-crds-v1.yaml). Override with RW_E2E_PRELOAD=file1:file2, or
 * RW_E2E_PRELOAD= (empty) to preload nothing.
 *
 * Then, in this order: the hook (`node dist/cli/main.js serve`, built first if dist/ is stale), the
 * CompositeController of `kubectl kustomize metacontroller/` pointed at it, and Metacontroller itself,
 * which thus starts after the RisingWave CRD exists. RW_E2E_METACONTROLLER=0 skips all three (a cluster
 * for driver-only runs).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { clusterEnv, startCluster, type ClusterInfo } from './cluster/cluster.js';
import { metacontrollerBuild, startStack, stopStack, type StackInfo } from './cluster/metacontroller.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rwE2eCluster: ClusterInfo | null;
    rwE2eStack: StackInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.RW_E2E_EXTERNAL === '1') {
    project.provide('rwE2eCluster', null);
    project.provide('rwE2eStack', null);
    return async () => {};
  }
  const withMetacontroller = process.env.RW_E2E_METACONTROLLER !== '0';
  const repoCrd = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crds', 'risingwave.risingwavelabs.com_risingwaves.yaml');
  let preload: string[];
  if (process.env.RW_E2E_PRELOAD !== undefined) preload = process.env.RW_E2E_PRELOAD.split(':').filter(Boolean);
  else {
    preload = existsSync(repoCrd) ? [repoCrd] : [];
    // The build (cluster/build.sh, run by startCluster) makes this file; the first start must build first.
    if (withMetacontroller) preload.push((await metacontrollerBuild()).crdFile);
  }
  const cluster = await startCluster({ preload });
  const { stop, ...info } = cluster;
  let stack: StackInfo | null = null;
  try {
    if (withMetacontroller) {
      const t0 = Date.now();
      stack = await startStack(info);
      process.stderr.write(`[e2e] hook ${stack.hookUrl} and Metacontroller (${stack.metacontrollerMetricsUrl}) started in ${Date.now() - t0} ms\n`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  Object.assign(process.env, clusterEnv(info));
  project.provide('rwE2eCluster', info);
  project.provide('rwE2eStack', stack);
  return async () => {
    if (stack) await stopStack(info).catch(() => undefined);
    await stop();
  };
}
