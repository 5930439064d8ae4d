// The README's "Install" section, step by step, on the e2e control plane, as a new user would run it: the
// Metacontroller v4.17.2 production manifests (from the pinned tag's source), then the hook with kustomize, or
// with `helm install` of charts/risingwave-hook, then an example RisingWave, until `kubectl get rw` shows it
// Running=True.
//
// What differs from a real cluster, and why: pods are kwok pods (no container engine here), so the
// Metacontroller StatefulSet and the hook Deployment only become Ready; the real Metacontroller binary (built
// from the same tag) and the hook's production build run next to the cluster, the hook with the environment
// of the Deployment just installed. The installed CompositeController is therefore pointed at that hook: its
// hooks' `service:` + `path:` become `url:`, nothing else changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyCompositeController, fleetInstallDir, metacontrollerBuild, REPO_ROOT, startHook } from '../cluster/metacontroller.js';
import { requireTool } from '../../deploy/tools.js';
import { createNamespace, stackOf, useCluster, waitFor, type E2eCluster } from '../support.js';
import { deleteNamespace, getRw, type Obj } from '../scenarios/harness.js';
import { runningFor } from './support.js';

const cluster = useCluster();
const HELM = requireTool('helm', 'test/e2e/metacontroller/install.test.ts');
const HOOK_NS = 'risingwave-hook';
const EXAMPLE = join(REPO_ROOT, 'examples/state-store-memory.yaml');
const PSS = ['enforce', 'audit', 'warn'].map((m) => `pod-security.kubernetes.io/${m}=restricted`);

/** kubectl as the user runs it (the cluster's kubeconfig; the e2e kubectl, built from the same k8s version). */
const kubectl = (args: string[], input?: string) => cluster().kubectl(args, input);

function helm(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    import('node:child_process').then(({ execFile }) =>
      execFile(HELM!, ['--kubeconfig', cluster().kubeconfig, ...args], { timeout: 300_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`helm ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
  });
}

/** The installed CompositeController, its hooks' service + path replaced by the local hook's URL. */
async function pointAtLocalHook(c: E2eCluster): Promise<Obj> {
  const cc = JSON.parse(await kubectl(['get', 'compositecontroller', 'risingwave-controller', '-o', 'json'])) as Obj;
  const { hookUrl } = stackOf(c);
  for (const hook of Object.values(cc.spec.hooks as Record<string, Obj>)) {
    const w = hook.webhook as Obj;
    expect(w.service, 'the installed CompositeController calls the hook Service').toMatchObject({ name: 'risingwave-hook', namespace: HOOK_NS, port: 80 });
    w.url = `${hookUrl}${w.path as string}`;
    delete w.service;
    delete w.path;
  }
  await kubectl(['replace', '-f', '-'], JSON.stringify(cc));
  return cc;
}

/** The hook process, restarted with the env of the Deployment the install created (as its pods would run). */
async function runHookAsDeployed(c: E2eCluster): Promise<Record<string, string>> {
  const d = JSON.parse(await kubectl(['-n', HOOK_NS, 'get', 'deployment', 'risingwave-hook', '-o', 'json'])) as Obj;
  const env = Object.fromEntries((d.spec.template.spec.containers[0].env as Obj[]).map((e) => [e.name as string, String(e.value)]));
  // Only where it listens differs: a loopback port instead of the pod's :8080.
  const { PORT: _port, HOST: _host, ...rest } = env;
  await startHook(c, rest);
  return env;
}

/** Step 3 of the README: the example in a namespace of its own, until Running=True; `kubectl get rw` shows it. */
async function exampleRunning(c: E2eCluster, prefix: string): Promise<void> {
  const ns = await createNamespace(c, prefix);
  try {
    const rw = parse(readFileSync(EXAMPLE, 'utf8')) as Obj;
    rw.metadata.namespace = ns;
    await kubectl(['apply', '-f', '-'], JSON.stringify(rw));
    await runningFor(c, ns, rw.metadata.name, 240_000);
    await kubectl(['-n', ns, 'wait', '--for=condition=Running', '--timeout=10s', `risingwave/${rw.metadata.name}`]);
    const table = await kubectl(['get', 'rw', '-n', ns]);
    expect(table).toMatch(new RegExp(`^NAME\\s+META STORE\\s+STATE STORE\\s+VERSION\\s+RUNNING\\s+AGE\\n${rw.metadata.name}\\s+Memory\\s+Memory\\s+v\\S+\\s+True\\s`));
    expect((await getRw(c.kube, ns, rw.metadata.name)).status.observedGeneration).toBe(1);
  } finally {
    await deleteNamespace(c, ns);
  }
}

async function removeHookInstall(): Promise<void> {
  await kubectl(['delete', 'compositecontroller', 'risingwave-controller', '--ignore-not-found']);
  await kubectl(['delete', 'namespace', HOOK_NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
}

describe('README Install', () => {
  beforeAll(async () => {
    // Step 1: Metacontroller from its production manifests with components/metacontroller-fleet, through the
    // kustomization the README shows. Its CRDs are already there (preloaded with the cluster); the StatefulSet
    // runs as a kwok pod next to the real binary the e2e stack runs.
    await kubectl(['apply', '-k', fleetInstallDir(await metacontrollerBuild())]);
    await kubectl(['-n', 'metacontroller', 'rollout', 'status', 'statefulset/metacontroller', '--timeout=120s']);
    // The stack's own CompositeController gives way to the one each install creates.
    await removeHookInstall();
  }, 300_000);

  afterAll(async () => {
    const c = cluster();
    await helm(['uninstall', 'risingwave-hook', '--namespace', HOOK_NS, '--ignore-not-found']).catch(() => undefined);
    await removeHookInstall().catch(() => undefined);
    await kubectl(['delete', 'namespace', 'metacontroller', '--ignore-not-found', '--wait=false']).catch(() => undefined);
    await applyCompositeController(c, 'metacontroller');
    await startHook(c, {});
  }, 300_000);

  it('Metacontroller runs with the fleet settings of components/metacontroller-fleet', async () => {
    const sts = JSON.parse(await kubectl(['-n', 'metacontroller', 'get', 'statefulset', 'metacontroller', '-o', 'json'])) as Obj;
    const container = (sts.spec.template.spec.containers as Obj[]).find((c) => c.name === 'metacontroller')!;
    expect(container.args).toEqual(['--zap-log-level=4', '--discovery-interval=5m', '--client-go-qps=20', '--client-go-burst=30']);
  });

  it('with kustomize: kubectl apply -k metacontroller/, then a RisingWave reaches Running=True', async () => {
    const c = cluster();
    await removeHookInstall();
    await kubectl(['apply', '-k', join(REPO_ROOT, 'metacontroller')]);
    await kubectl(['-n', HOOK_NS, 'rollout', 'status', 'deployment/risingwave-hook', '--timeout=120s']);
    const ns = JSON.parse(await kubectl(['get', 'namespace', HOOK_NS, '-o', 'json'])) as Obj;
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const env = await runHookAsDeployed(c);
    expect(env).toMatchObject({ NODE_ENV: 'production', HANDLER_TIMEOUT_MS: '4500' });
    await pointAtLocalHook(c);
    await exampleRunning(c, 'install-kustomize');
  }, 600_000);

  it.skipIf(!HELM)('with Helm: helm install charts/risingwave-hook, then a RisingWave reaches Running=True', async () => {
    const c = cluster();
    // What the kustomize install left goes first: Helm installs only objects no one else owns.
    await removeHookInstall();
    await kubectl(['create', 'namespace', HOOK_NS]);
    await kubectl(['label', 'namespace', HOOK_NS, ...PSS]);
    await waitFor(`default ServiceAccount in ${HOOK_NS}`, () => c.kube.getOrUndefined({ apiVersion: 'v1', resource: 'serviceaccounts', namespace: HOOK_NS, name: 'default' }));
    const out = await helm(['install', 'risingwave-hook', join(REPO_ROOT, 'charts/risingwave-hook'), '--namespace', HOOK_NS]);
    expect(out).toContain('STATUS: deployed');
    await kubectl(['-n', HOOK_NS, 'rollout', 'status', 'deployment/risingwave-hook', '--timeout=120s']);
    const d = JSON.parse(await kubectl(['-n', HOOK_NS, 'get', 'deployment', 'risingwave-hook', '-o', 'json'])) as Obj;
    expect(d.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm' });
    await runHookAsDeployed(c);
    await pointAtLocalHook(c);
    await exampleRunning(c, 'install-helm');
    const uninstalled = await helm(['uninstall', 'risingwave-hook', '--namespace', HOOK_NS, '--wait']);
    expect(uninstalled).toContain('release "risingwave-hook" uninstalled');
  }, 600_000);
});
