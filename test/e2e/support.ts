/**
 * Shared helpers for e2e test files: cluster access (from global setup, env, or a cluster
 * started just for this file), kubectl, namespaces and polling.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type ClusterInfo, type RunningCluster } from './cluster/cluster.js';
import { readStack, startMetacontroller, stopMetacontroller, type StackInfo } from './cluster/metacontroller.js';
import { KubeClient } from './driver/kube.js';

export interface E2eCluster extends ClusterInfo {
  kube: KubeClient;
  /** Runs kubectl against this cluster; resolves stdout, rejects with stderr on failure. */
  kubectl(args: string[], input?: string): Promise<string>;
}

function fromEnv(): ClusterInfo | undefined {
  const e = process.env;
  if (!e.RW_E2E_SERVER || !e.RW_E2E_TOKEN || !e.RW_E2E_CA_FILE) return undefined;
  return {
    dir: e.RW_E2E_CLUSTER_DIR ?? '',
    kubeconfig: e.RW_E2E_KUBECONFIG ?? e.KUBECONFIG ?? '',
    server: e.RW_E2E_SERVER,
    token: e.RW_E2E_TOKEN,
    caFile: e.RW_E2E_CA_FILE,
    logDir: e.RW_E2E_LOG_DIR ?? '',
    kubectlPath: e.RW_E2E_KUBECTL ?? 'kubectl',
  };
}

export function kubectlWith(kubeconfig: string, kubectl = 'kubectl') {
  return (args: string[], input?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(kubectl, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 32 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
      if (input !== undefined) child.stdin?.end(input);
    });
}

/**
 * Call at the top level of a test file. Uses the cluster provided by global-setup.ts, else
 * RW_E2E_* env vars, else starts a private cluster for this file (and stops it afterwards).
 */
export function useCluster(): () => E2eCluster {
  let cluster: E2eCluster | undefined;
  let owned: RunningCluster | undefined;
  beforeAll(async () => {
    let info: ClusterInfo | undefined | null;
    try {
      info = inject('rwE2eCluster');
    } catch {
      info = undefined;
    }
    info ??= fromEnv();
    if (!info) info = owned = await startCluster();
    cluster = { ...info, kube: new KubeClient(info), kubectl: kubectlWith(info.kubeconfig, info.kubectlPath || 'kubectl') };
  }, 30 * 60_000);
  afterAll(async () => {
    cluster?.kube.close();
    await owned?.stop();
  }, 120_000);
  return () => {
    if (!cluster) throw new Error('cluster not started (useCluster() must be called at the top level of the test file)');
    return cluster;
  };
}

/** Polls `fn` until it returns a truthy value; returns that value. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, { timeoutMs = 60_000, intervalMs = 250 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `; last error: ${(lastErr as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A fresh namespace name with the given prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function createNamespace(c: E2eCluster, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await c.kube.create({ apiVersion: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  // Pods are rejected until the serviceaccount controller created "default".
  await waitFor(`default ServiceAccount in ${name}`, () => c.kube.getOrUndefined({ apiVersion: 'v1', resource: 'serviceaccounts', namespace: name, name: 'default' }));
  return name;
}

/**
 * The hook and Metacontroller that global-setup.ts started next to the cluster (./cluster/metacontroller.ts),
 * read from the cluster directory so every worker sees the current ports and settings. Throws when the
 * run has no stack (RW_E2E_METACONTROLLER=0, or a cluster without one).
 */
export function stackOf(c: ClusterInfo): StackInfo {
  if (!c.dir || !existsSync(join(c.dir, 'stack.json'))) throw new Error('no Metacontroller stack on this cluster (RW_E2E_METACONTROLLER=0?)');
  return readStack(c);
}

/**
 * For test files that drive the hook with test/e2e/driver: Metacontroller syncs every RisingWave in the
 * cluster, so it is stopped before the file's tests and started again after them (its restart resyncs
 * whatever RisingWaves exist then, so the file deletes its own in an afterAll registered after this call:
 * vitest runs afterAll hooks in reverse order). Call at the top level, right after useCluster().
 */
export function withoutMetacontroller(cluster: () => E2eCluster): void {
  let paused = false;
  beforeAll(async () => {
    const c = cluster();
    if (c.dir && existsSync(join(c.dir, 'stack.json'))) {
      await stopMetacontroller(c);
      paused = true;
    }
  }, 60_000);
  afterAll(async () => {
    if (paused) await startMetacontroller(cluster());
  }, 120_000);
}
