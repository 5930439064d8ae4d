// The switch from the real risingwave-operator v0.17.2 to the hook under the real Metacontroller, and back,
// done exactly as docs/migration.md says, with `kubectl risingwave migrate` (the plugin in-process, real
// kubectl underneath). RisingWaves of several example forms are reconciled by the operator first; then
// every child, pod, ReplicaSet, PVC and Service address is recorded and compared after each direction.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runPlugin } from '../../../src/plugin/main.js';
import { applyCompositeController } from '../cluster/metacontroller.js';
import type { KubeClient } from '../driver/kube.js';
import { waitQuiet } from '../metacontroller/activity.js';
import { storedRw } from '../metacontroller/support.js';
import { condition, deleteNamespace, getRw, rwRef } from '../scenarios/harness.js';
import { createNamespace, stackOf, useCluster, waitFor, type E2eCluster } from '../support.js';
import { buildOperator, installCrd, risingWaveReconciles, RW_CRD, SCALE_VIEW_CRD, startOperator, type RunningOperator } from './operator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const REPO = join(import.meta.dirname, '..', '..', '..');
const OUR_CRD = join(REPO, 'crds', 'risingwave.risingwavelabs.com_risingwaves.yaml');
const CC_NAME = 'risingwave-controller';
const INSTANCE_TYPE = 'node.kubernetes.io/instance-type';

/** The example forms switched, in the order of the issue (stores, groups, then the other forms). */
const EXAMPLES = (process.env.RW_E2E_MIGRATION_EXAMPLES ??
  'state-store-minio,multi-group-compute,meta-store-postgresql,frontend-statefulset,standalone,embedded-serving,license,tls').split(',');

const cluster = useCluster();
let ns = '';
let operator: RunningOperator | undefined;
let labelledNode: string | undefined;
const names: Record<string, string> = {};

async function kubectlPlugin(c: E2eCluster, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    stdin: process.stdin,
    env: { ...process.env, KUBECTL: c.kubectlPath },
  };
  const code = await runPlugin([...argv, '--kubeconfig', c.kubeconfig], io as never);
  return { code, stdout, stderr };
}

async function deleteCompositeController(c: E2eCluster): Promise<void> {
  await c.kubectl(['delete', 'compositecontrollers.metacontroller.k8s.io', CC_NAME, '--ignore-not-found', '--wait=true']);
}

// ---- what is recorded ---------------------------------------------------------------------------------

interface Snapshot {
  /** `Kind/name` -> the child as stored. */
  children: Map<string, Obj>;
  pods: Map<string, Obj>;
  replicaSets: Map<string, Obj>;
  pvcs: Map<string, Obj>;
}

const CHILD_RESOURCES: Array<[string, string, string]> = [
  ['v1', 'configmaps', 'ConfigMap'],
  ['v1', 'services', 'Service'],
  ['apps/v1', 'statefulsets', 'StatefulSet'],
  ['apps/v1', 'deployments', 'Deployment'],
  ['autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler'],
];

async function listByKey(kube: KubeClient, apiVersion: string, resource: string, kind: string, name: string): Promise<Map<string, Obj>> {
  const items = (await kube.list({ apiVersion, resource, namespace: ns, kind }, `risingwave/name=${name}`)) as Obj[];
  return new Map(items.map((o) => [`${kind}/${o.metadata.name as string}`, o]));
}

async function snapshot(kube: KubeClient, name: string): Promise<Snapshot> {
  const children = new Map<string, Obj>();
  for (const [apiVersion, resource, kind] of CHILD_RESOURCES) for (const [k, v] of await listByKey(kube, apiVersion, resource, kind, name)) children.set(k, v);
  const pvcs = new Map<string, Obj>();
  for (const p of (await kube.list({ apiVersion: 'v1', resource: 'persistentvolumeclaims', namespace: ns, kind: 'PersistentVolumeClaim' })) as Obj[]) {
    if ((p.metadata.name as string).includes(`-${name}-`)) pvcs.set(p.metadata.name, p);
  }
  return {
    children,
    pods: await listByKey(kube, 'v1', 'pods', 'Pod', name),
    replicaSets: await listByKey(kube, 'apps/v1', 'replicasets', 'ReplicaSet', name),
    pvcs,
  };
}

const uids = (m: Map<string, Obj>) => new Map([...m].map(([k, v]) => [k, v.metadata.uid as string]));
const WORKLOADS = new Set(['StatefulSet', 'Deployment']);

interface Counts {
  pods: number;
  children: number;
  workloads: number;
}

/** Nothing replaced: the same children (uids), pods, ReplicaSets, PVCs, pod templates, revisions and addresses. */
function expectNothingReplaced(before: Snapshot, after: Snapshot, what: string): Counts {
  expect(uids(after.children), `${what}: children deleted, created or recreated`).toEqual(uids(before.children));
  expect(uids(after.pods), `${what}: pods replaced`).toEqual(uids(before.pods));
  expect(uids(after.replicaSets), `${what}: ReplicaSets created`).toEqual(uids(before.replicaSets));
  expect(uids(after.pvcs), `${what}: PVCs replaced`).toEqual(uids(before.pvcs));
  let workloads = 0;
  for (const [key, b] of before.children) {
    const a = after.children.get(key)!;
    const owner = (o: Obj) => (o.metadata.ownerReferences as Obj[] | undefined)?.find((r) => r.controller === true);
    expect(owner(a), `${what}: ${key} lost its controller ownerReference`).toEqual(owner(b));
    if (WORKLOADS.has(b.kind)) {
      workloads += 1;
      expect(JSON.stringify(a.spec.template), `${what}: ${key} pod template`).toBe(JSON.stringify(b.spec.template));
      if (b.kind === 'StatefulSet') {
        expect(a.status.updateRevision, `${what}: ${key} updateRevision`).toBe(b.status.updateRevision);
        expect(a.status.currentRevision, `${what}: ${key} currentRevision`).toBe(b.status.currentRevision);
        expect(a.metadata.generation, `${what}: ${key} generation`).toBe(b.metadata.generation);
      } else {
        // The last-applied annotation bumps a Deployment's generation once (docs/migration.md); no new ReplicaSet.
        expect(a.metadata.generation - b.metadata.generation, `${what}: ${key} generation`).toBeLessThanOrEqual(1);
      }
    }
    if (b.kind === 'Service') expect(a.spec.clusterIP, `${what}: ${key} clusterIP`).toBe(b.spec.clusterIP);
  }
  for (const [key, p] of before.pods) expect(after.pods.get(key)!.metadata.labels, `${what}: ${key} labels`).toEqual(p.metadata.labels);
  return { pods: before.pods.size, children: before.children.size, workloads };
}

async function operatorRunning(c: E2eCluster, name: string): Promise<Obj> {
  return waitFor(
    `${ns}/${name}: the operator's Running=True`,
    async () => {
      const rw = await getRw(c.kube, ns, name);
      const running = condition(rw, 'Running');
      return rw.status?.observedGeneration === rw.metadata.generation && running?.status === 'True' && running.reason === undefined ? rw : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
}

/** Running=True in the hook's vocabulary for the current generation, nothing rolling. */
const hookRunning = (c: E2eCluster, name: string) =>
  storedRw(c, ns, name, "the hook's Running=True", (rw) => {
    const running = condition(rw, 'Running');
    return running?.status === 'True' && running.reason === 'AllComponentsReady' && condition(rw, 'Upgrading')?.status !== 'True' && condition(rw, 'Synced')?.status === 'True';
  }, 180_000);

// ---- setup --------------------------------------------------------------------------------------------

beforeAll(async () => {
  const c = cluster();
  stackOf(c);
  await buildOperator();
  // The operator must be the only controller of RisingWaves while it runs: no CompositeController for them
  // (Metacontroller itself keeps running, as in a cluster where the hook is installed but not yet switched on).
  await deleteCompositeController(c);
  ns = await createNamespace(c, 'rw-migrate');
  const nodes = (await c.kube.list({ apiVersion: 'v1', resource: 'nodes' })) as Obj[];
  if (!nodes.some((n) => n.metadata.labels?.[INSTANCE_TYPE] === 'm6i.4xlarge')) {
    labelledNode = nodes[0]!.metadata.name;
    await c.kube.mergePatch({ apiVersion: 'v1', resource: 'nodes', name: labelledNode }, { metadata: { labels: { [INSTANCE_TYPE]: 'm6i.4xlarge' } } });
  }
  operator = await startOperator({ kubeconfig: c.kubeconfig, kubectl: c.kubectl, logDir: join(c.logDir, 'operator') });
}, 30 * 60_000);

afterAll(async () => {
  const c = cluster();
  await operator?.stop();
  await deleteNamespace(c, ns).catch(() => undefined);
  await installCrd(c.kubectl, RW_CRD, OUR_CRD);
  await c.kubectl(['delete', 'crd', SCALE_VIEW_CRD, '--ignore-not-found']);
  await applyCompositeController(c);
  if (labelledNode) await c.kube.mergePatch({ apiVersion: 'v1', resource: 'nodes', name: labelledNode }, { metadata: { labels: { [INSTANCE_TYPE]: null } } }).catch(() => undefined);
}, 300_000);

/** The steps build on each other: after a failed one the rest would act on a half-switched cluster. */
let broken: string | undefined;
function step(name: string, fn: () => Promise<void>, timeoutMs: number): void {
  it(
    name,
    async () => {
      if (broken !== undefined) throw new Error(`not run: the step "${broken}" failed`);
      try {
        await fn();
      } catch (e) {
        broken = name;
        throw e;
      }
    },
    timeoutMs,
  );
}

describe('switch from risingwave-operator v0.17.2 to the hook and back (docs/migration.md)', () => {
  const underOperator = new Map<string, Snapshot>();
  const afterSwitch = new Map<string, Snapshot>();
  const report: string[] = [];

  step('the operator runs every example form to its Running condition', async () => {
    const c = cluster();
    for (const example of EXAMPLES) {
      const rw = parseYaml(readFileSync(join(REPO, 'examples', `${example}.yaml`), 'utf8')) as Obj;
      rw.metadata.namespace = ns;
      names[example] = rw.metadata.name;
      await c.kube.create(rwRef(ns), rw);
    }
    for (const example of EXAMPLES) await operatorRunning(c, names[example]!);
    for (const example of EXAMPLES) {
      const s = await snapshot(c.kube, names[example]!);
      underOperator.set(example, s);
      for (const o of s.children.values()) expect(o.metadata.labels['risingwave/operator-version'], `${example}: ${o.kind}/${o.metadata.name}`).toBe('v0.17.2');
      expect(s.pods.size, `${example} has pods`).toBeGreaterThan(0);
    }
  }, 600_000);

  step('steps 1-4: operator stopped, CRD replaced, the preview shows no pod template change, migrate prepares every child', async () => {
    const c = cluster();
    const stack = stackOf(c);
    await operator!.stop();
    operator = undefined;
    await installCrd(c.kubectl, RW_CRD, OUR_CRD);
    const common = ['-n', ns, '--hook-url', stack.hookUrl, '--skip-check', 'metacontroller'];

    const preview = await kubectlPlugin(c, ['migrate', '--dry-run', ...common]);
    expect(preview.stderr, preview.stdout).toBe('');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/ 0 with a changed pod template \(dry run: nothing changed\)\n/);
    expect(preview.stdout).not.toMatch(/POD TEMPLATE CHANGES|WOULD BE DELETED|would be created/);
    for (const s of underOperator.values()) {
      for (const [key, o] of s.children) {
        const now = await c.kube.get<Obj>({ apiVersion: o.apiVersion, resource: `${o.kind.toLowerCase()}s`, namespace: ns, name: o.metadata.name });
        expect(now.metadata.resourceVersion, `dry run changed ${key}`).toBe(o.metadata.resourceVersion);
      }
    }
    const json = JSON.parse((await kubectlPlugin(c, ['migrate', '--dry-run', '-o', 'json', ...common])).stdout) as Obj;
    const workloads = (json.risingwaves as Obj[]).flatMap((r) => (r.children as Obj[]).filter((ch) => ch.podTemplateChanges !== undefined));
    expect(workloads.filter((w) => w.podTemplateChanges)).toEqual([]);

    const run = await kubectlPlugin(c, ['migrate', ...common]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const again = await kubectlPlugin(c, ['migrate', ...common]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/[1-9]\d* of \d+ children labelled/);
    expect(again.stdout).toMatch(/operator managedFields dropped from 0\n/);
  }, 300_000);

  step('step 5: with the CompositeController applied, Metacontroller adopts every child: 0 pods replaced, 0 children recreated, Running=True in our words', async () => {
    const c = cluster();
    await applyCompositeController(c);
    for (const example of EXAMPLES) await hookRunning(c, names[example]!);
    await waitQuiet(c.kube, stackOf(c));
    for (const example of EXAMPLES) {
      const before = underOperator.get(example)!;
      const after = await snapshot(c.kube, names[example]!);
      const counts = expectNothingReplaced(before, after, `${example} (switch)`);
      const rw = await getRw(c.kube, ns, names[example]!);
      for (const o of after.children.values()) {
        expect(o.metadata.labels['controller-uid'], `${example}: ${o.kind}/${o.metadata.name} adopted`).toBe(rw.metadata.uid);
        expect(o.metadata.annotations?.['metacontroller.k8s.io/last-applied-configuration'], `${example}: ${o.kind}/${o.metadata.name} applied by Metacontroller`).toBeTruthy();
      }
      for (const cond of rw.status.conditions as Obj[]) expect(cond.reason, `${example}: condition ${cond.type} has our reason`).toBeTruthy();
      afterSwitch.set(example, after);
      report.push(`switch ${example}: ${counts.pods} pods, ${counts.children} children, ${counts.workloads} workloads unchanged`);
    }
  }, 600_000);

  step('a field the operator set goes away when it leaves the spec (no field manager keeps it)', async () => {
    const c = cluster();
    const name = names['state-store-minio'] ?? names[EXAMPLES[0]!]!;
    const rw = await getRw(c.kube, ns, name);
    const path = '/spec/components/frontend/nodeGroups/0/template/spec/resources/limits';
    await c.kube.request('PATCH', `/apis/risingwave.risingwavelabs.com/v1alpha1/namespaces/${ns}/risingwaves/${name}`, [{ op: 'remove', path }], 'application/json-patch+json');
    await waitFor(
      'the frontend Deployment without limits',
      async () => {
        const d = await c.kube.get<Obj>({ apiVersion: 'apps/v1', resource: 'deployments', namespace: ns, name: `${name}-frontend` });
        return d.spec.template.spec.containers[0].resources.limits === undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    await storedRw(c, ns, name, 'rolled out', (r) => r.metadata.generation > rw.metadata.generation && condition(r, 'Running')?.status === 'True' && condition(r, 'Upgrading')?.status !== 'True', 180_000);
    await waitQuiet(c.kube, stackOf(c));
    afterSwitch.set(EXAMPLES.includes('state-store-minio') ? 'state-store-minio' : EXAMPLES[0]!, await snapshot(c.kube, name));
  }, 300_000);

  step('rollback: CompositeController deleted, migrate --rollback, operator CRD and operator back: 0 pods replaced', async () => {
    const c = cluster();
    await deleteCompositeController(c);
    const rollback = await kubectlPlugin(c, ['migrate', '--rollback', '-n', ns]);
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    const build = await buildOperator();
    await installCrd(c.kubectl, RW_CRD, build.crdFiles.risingwaves);
    operator = await startOperator({ kubeconfig: c.kubeconfig, kubectl: c.kubectl, logDir: join(c.logDir, 'operator') });
    // The operator reconciles every RisingWave on start (its own metric says when); it keeps the conditions it
    // finds and changes only what it rebuilds. Then a few more seconds for anything it would do next.
    const op = operator;
    await waitFor('the operator reconciled every RisingWave', async () => (await risingWaveReconciles(op)) >= EXAMPLES.length, { timeoutMs: 120_000, intervalMs: 500 });
    await new Promise((r) => setTimeout(r, 10_000));
    for (const example of EXAMPLES) {
      const rw = await getRw(c.kube, ns, names[example]!);
      expect(condition(rw, 'Running')?.status, `${example}: Running under the operator again`).toBe('True');
    }
    for (const example of EXAMPLES) {
      const before = afterSwitch.get(example)!;
      const after = await snapshot(c.kube, names[example]!);
      const counts = expectNothingReplaced(before, after, `${example} (rollback)`);
      for (const o of after.children.values()) expect(o.metadata.labels['controller-uid'], `${example}: ${o.kind}/${o.metadata.name}`).toBeUndefined();
      report.push(`rollback ${example}: ${counts.pods} pods, ${counts.children} children, ${counts.workloads} workloads unchanged`);
    }
    process.stderr.write(`[migration e2e]\n${report.join('\n')}\n`);
  }, 600_000);
});
