// Every RisingWave in examples/ through the real Metacontroller, all at once in one namespace, with nothing
// but what the examples' headers say they need (`Needs before its pods can start: …`): `kubectl apply` stores
// each as written; Metacontroller and the hook bring each to Running=True with its workloads Ready and the
// printer columns filled; then the whole set is at rest: over an idle window neither Metacontroller writes
// nor the hook syncs, and a resync of every example (an annotation on each parent) writes nothing but the
// test's own patches — in particular no StatefulSet PUT for a field the API server drops (maxUnavailable
// without the MaxUnavailableStatefulSet gate). Deleting the examples garbage-collects their children.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, stackOf, useCluster, waitFor } from '../support.js';
import { childLabel, condition, deleteNamespace, EXAMPLES_DIR, exampleFiles, getRw, loadExample, shippedChildRules, storedChildren, storedWorkloads, type Obj } from '../scenarios/harness.js';
import { activityDelta, NOTHING, readActivity, waitQuiet } from './activity.js';
import { annotateParent, lastPendingResync, runningFor } from './support.js';

const cluster = useCluster();
let ns = '';
const files = exampleFiles();
const names = new Map<string, string>();

// ---- what the headers say the examples need ------------------------------------------------------------

interface Needs {
  serviceAccounts: Set<string>;
  priorityClasses: Set<string>;
  storageClasses: Set<string>;
  nodeLabels: Map<string, string>;
}

/** Reads the `Needs before its pods can start:` lines of every example's leading comment. */
function exampleNeeds(list: string[]): Needs {
  const needs: Needs = { serviceAccounts: new Set(), priorityClasses: new Set(), storageClasses: new Set(), nodeLabels: new Map() };
  for (const f of list) {
    const header = readFileSync(join(EXAMPLES_DIR, f), 'utf8').split('\n').filter((l, i, all) => l.startsWith('#') && all.slice(0, i).every((p) => p.startsWith('#')));
    for (const line of header.filter((l) => l.includes('Needs before its pods can start:'))) {
      for (const m of line.matchAll(/\b(ServiceAccount|PriorityClass|StorageClass) ([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)/g)) {
        ({ ServiceAccount: needs.serviceAccounts, PriorityClass: needs.priorityClasses, StorageClass: needs.storageClasses })[m[1] as 'ServiceAccount'].add(m[2]!);
      }
      for (const m of line.matchAll(/node labelled ([\w./-]+)=([\w-]+(?:\.[\w-]+)*)/g)) needs.nodeLabels.set(m[1]!, m[2]!);
    }
  }
  return needs;
}

const OWNER = { 'e2e.rw-hook.test/owner': 'metacontroller-examples' };
const created: Array<{ apiVersion: string; resource: string; name: string }> = [];
/** Fake nodes (kwok) added for this file: the examples together ask for ~210 CPUs, the cluster has 2 × 64. */
const EXTRA_NODES = 3;

beforeAll(async () => {
  const c = cluster();
  ns = await createNamespace(c, 'mc-examples');
  const needs = exampleNeeds(files);
  expect([...needs.serviceAccounts, ...needs.priorityClasses, ...needs.storageClasses, ...needs.nodeLabels.keys()].length).toBeGreaterThan(0);
  for (const name of needs.serviceAccounts) {
    await c.kube.create({ apiVersion: 'v1', resource: 'serviceaccounts', namespace: ns }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  }
  const createCluster = async (apiVersion: string, resource: string, body: Obj) => {
    const ref = { apiVersion, resource, name: body.metadata.name as string };
    if (await c.kube.getOrUndefined(ref)) return;
    await c.kube.create(ref, { apiVersion, ...body, metadata: { ...body.metadata, labels: { ...(body.metadata.labels ?? {}), ...OWNER } } });
    created.push(ref);
  };
  for (const name of needs.priorityClasses) await createCluster('scheduling.k8s.io/v1', 'priorityclasses', { kind: 'PriorityClass', metadata: { name }, value: 1000 });
  for (const name of needs.storageClasses) {
    // kwok provisions only its own class: this one is served by a pre-made volume (static binding).
    await createCluster('storage.k8s.io/v1', 'storageclasses', { kind: 'StorageClass', metadata: { name }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' });
    await createCluster('v1', 'persistentvolumes', {
      kind: 'PersistentVolume',
      metadata: { name: `e2e-examples-${name}` },
      spec: { storageClassName: name, capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/e2e-examples-${name}` } },
    });
  }
  for (let i = 0; i < EXTRA_NODES; i++) {
    // The first extra node carries the labels the headers ask for.
    const labels = { 'kubernetes.io/hostname': `kwok-examples-${i}`, 'kubernetes.io/os': 'linux', type: 'kwok', ...(i === 0 ? Object.fromEntries(needs.nodeLabels) : {}) };
    await createCluster('v1', 'nodes', {
      kind: 'Node',
      metadata: { name: `kwok-examples-${i}`, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' }, labels },
      status: { allocatable: { cpu: '64', memory: '256Gi', pods: '250' }, capacity: { cpu: '64', memory: '256Gi', pods: '250' } },
    });
  }
  await waitFor('extra nodes Ready', async () => {
    const nodes = (await c.kube.list({ apiVersion: 'v1', resource: 'nodes' })) as Obj[];
    return nodes.filter((n) => n.metadata.name.startsWith('kwok-examples-') && (n.status?.conditions as Obj[] | undefined)?.some((x) => x.type === 'Ready' && x.status === 'True')).length === EXTRA_NODES;
  });
}, 120_000);

afterAll(async () => {
  const c = cluster();
  await deleteNamespace(c, ns);
  for (const ref of created.reverse()) await c.kube.delete(ref).catch(() => undefined);
}, 180_000);

const PRINTER_COLUMNS = ['NAME', 'META STORE', 'STATE STORE', 'VERSION', 'RUNNING', 'AGE'];

function parseTable(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  const starts = PRINTER_COLUMNS.map((col) => header!.indexOf(col));
  expect(starts.every((s) => s >= 0), `header "${header}"`).toBe(true);
  return rows.map((row) => Object.fromEntries(PRINTER_COLUMNS.map((col, i) => [col, row.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()])));
}

describe('examples/ through the real Metacontroller', () => {
  it('kubectl apply stores every example as written', async () => {
    const c = cluster();
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) {
      const input = loadExample(file, ns);
      names.set(file, input.metadata.name);
      const out = await c.kubectl(['apply', '-f', '-'], JSON.stringify(input));
      expect(out.trim()).toBe(`risingwave.risingwave.risingwavelabs.com/${input.metadata.name} created`);
      const stored = await getRw(c.kube, ns, input.metadata.name);
      expect(stored.spec, file).toMatchObject(input.spec);
    }
  });

  it.each(files)('%s: Running=True, every workload Ready, children owned by it, printer columns', async (file) => {
    const c = cluster();
    const name = names.get(file)!;
    const rw = await runningFor(c, ns, name, 180_000);
    expect(condition(rw, 'Running')).toMatchObject({ status: 'True', reason: 'AllComponentsReady' });
    const workloads = await storedWorkloads(c.kube, ns, rw.metadata.uid);
    expect(workloads.size).toBeGreaterThan(0);
    for (const w of workloads.values()) expect(w.status.readyReplicas ?? 0, `${w.kind}/${w.metadata.name} ready`).toBe(w.spec.replicas);
    for (const o of await storedChildren(c.kube, ns, shippedChildRules(), rw.metadata.uid)) {
      expect(o.metadata.ownerReferences?.[0], childLabel(o)).toMatchObject({ kind: 'RisingWave', name, uid: rw.metadata.uid, controller: true });
    }
    const [row, ...more] = parseTable(await c.kubectl(['get', 'rw', name, '-n', ns]));
    expect(more).toEqual([]);
    expect(row).toMatchObject({ NAME: name, 'META STORE': rw.status.metaStore.backend, 'STATE STORE': rw.status.stateStore.backend, VERSION: rw.status.version, RUNNING: 'True' });
  });

  it('at rest: over an idle window Metacontroller writes nothing and the hook is not called', async () => {
    const c = cluster();
    const stack = stackOf(c);
    const rws = await Promise.all([...names.values()].map((n) => getRw(c.kube, ns, n)));
    await new Promise((r) => setTimeout(r, Math.max(0, lastPendingResync(rws) - Date.now())));
    await waitQuiet(c.kube, stack, { windowMs: 3_000, timeoutMs: 120_000 });
    const before = await readActivity(c.kube, stack);
    await new Promise((r) => setTimeout(r, 10_000));
    expect(activityDelta(before, await readActivity(c.kube, stack))).toEqual(NOTHING);
  });

  it('a resync of every example writes nothing (no child PUT for a field the server drops, no status write)', async () => {
    const c = cluster();
    const stack = stackOf(c);
    const before = await readActivity(c.kube, stack);
    for (const name of names.values()) await annotateParent(c, ns, name);
    await waitQuiet(c.kube, stack, { windowMs: 3_000 });
    const d = activityDelta(before, await readActivity(c.kube, stack));
    expect(d.hookSyncs, 'each annotated parent is synced').toBeGreaterThanOrEqual(names.size);
    expect(d.metacontrollerWrites, 'writes by Metacontroller').toEqual({});
    expect(d.apiserverWrites, "writes the API server served (the test's own patches only)").toEqual({ 'PATCH risingwaves': names.size });
  });

  it('deleting the examples garbage-collects every child', async () => {
    const c = cluster();
    const uids = await Promise.all([...names.values()].map(async (n) => (await getRw(c.kube, ns, n)).metadata.uid as string));
    await c.kubectl(['delete', 'rw', '--all', '-n', ns, '--wait=true', '--timeout=120s']);
    await waitFor(
      'children garbage-collected',
      async () => {
        for (const uid of uids) if ((await storedChildren(c.kube, ns, shippedChildRules(), uid)).length > 0) return false;
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
  });
});
