// Every RisingWave in examples/ against the real API server: `kubectl apply` accepts it as written (nothing
// pruned); one pass of the Metacontroller loop through the real hook server creates every child it returns
// and the API server stores each of them (ownerRef, selector label, last-applied); a second pass writes no
// child; the pods become Ready and the stored status reaches Running=True; the loop then goes quiet (no hot
// loop); `kubectl get rw` shows the stored status in its printer columns; and deleting the RisingWave
// garbage-collects the children. Examples run one after another and are deleted after their checks, so at
// most one example's pods exist at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../driver/sync-driver.js';
import { createNamespace, useCluster, waitFor, withoutMetacontroller } from '../support.js';
import {
  childLabel,
  condition,
  deleteNamespace,
  exampleFiles,
  expectNoEffectiveChildWrites,
  expectNoHotLoop,
  expectStoredMatchesResponse,
  getRw,
  loadExample,
  shippedChildRules,
  startHook,
  storedChildren,
  storedWorkloads,
  syncOptions,
  syncUntilStored,
  type Hook,
  type Obj,
} from './harness.js';

const cluster = useCluster();
// Driven by test/e2e/driver: the real Metacontroller must not sync these RisingWaves meanwhile.
withoutMetacontroller(cluster);
let ns = '';
let hook: Hook;

/**
 * What the examples take for granted in a real cluster: a ServiceAccount `risingwave`, a PriorityClass
 * `high`, a StorageClass `standard` with a volume, a node of type m6i.4xlarge. Without them the pods are refused by
 * admission or never scheduled, which is about the environment, not the hook. Cluster-scoped ones are
 * created only if absent and removed afterwards.
 */
const OWNER_LABEL = { 'e2e.rw-hook.test/owner': 'scenarios-examples' };
const INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
const prerequisites: Array<{ apiVersion: string; resource: string; name: string; body: Obj }> = [
  { apiVersion: 'scheduling.k8s.io/v1', resource: 'priorityclasses', name: 'high', body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', value: 1000 } },
  {
    apiVersion: 'storage.k8s.io/v1',
    resource: 'storageclasses',
    name: 'standard',
    // kwok provisions only its own class, so `standard` is served by one pre-made volume (static binding).
    body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' },
  },
  {
    apiVersion: 'v1',
    resource: 'persistentvolumes',
    name: 'e2e-examples-standard',
    body: {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      spec: {
        storageClassName: 'standard',
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        hostPath: { path: '/tmp/e2e-examples-standard' },
      },
    },
  },
];
const createdPrerequisites: Array<{ apiVersion: string; resource: string; name: string }> = [];
let labelledNode: string | undefined;

beforeAll(async () => {
  const { kube } = cluster();
  hook = await startHook();
  ns = await createNamespace(cluster(), 'examples');
  await kube.create({ apiVersion: 'v1', resource: 'serviceaccounts', namespace: ns }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'risingwave' } });
  for (const p of prerequisites) {
    const ref = { apiVersion: p.apiVersion, resource: p.resource, name: p.name };
    if (await kube.getOrUndefined(ref)) continue;
    await kube.create(ref, { ...p.body, metadata: { name: p.name, labels: OWNER_LABEL } });
    createdPrerequisites.push(ref);
  }
  const nodes = (await kube.list({ apiVersion: 'v1', resource: 'nodes' })) as Obj[];
  if (!nodes.some((n) => n.metadata.labels?.[INSTANCE_TYPE] === 'm6i.4xlarge')) {
    labelledNode = nodes[0]!.metadata.name;
    await kube.mergePatch({ apiVersion: 'v1', resource: 'nodes', name: labelledNode }, { metadata: { labels: { [INSTANCE_TYPE]: 'm6i.4xlarge' } } });
  }
});

afterAll(async () => {
  const { kube } = cluster();
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
  for (const ref of createdPrerequisites) await kube.delete(ref).catch(() => undefined);
  if (labelledNode) await kube.mergePatch({ apiVersion: 'v1', resource: 'nodes', name: labelledNode }, { metadata: { labels: { [INSTANCE_TYPE]: null } } }).catch(() => undefined);
});

const PRINTER_COLUMNS = ['NAME', 'META STORE', 'STATE STORE', 'VERSION', 'RUNNING', 'AGE'];

/** Splits `kubectl get` table output into rows keyed by header, using the header's column offsets. */
function parseTable(text: string, columns: string[]): Array<Record<string, string>> {
  const [header, ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  const starts = columns.map((c) => header!.indexOf(c));
  expect(starts.every((s) => s >= 0), `header "${header}" has columns ${columns.join(', ')}`).toBe(true);
  expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()])));
}

describe('examples/ against the API server and the hook', () => {
  const files = exampleFiles();

  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s: applies, every returned child is stored, a second pass writes no child, Running, no hot loop, printer columns, GC', async (file) => {
    const c = cluster();
    const rules = shippedChildRules();
    const input = loadExample(file, ns);
    const name = input.metadata.name as string;

    const out = await c.kubectl(['apply', '-f', '-'], JSON.stringify(input));
    expect(out.trim()).toBe(`risingwave.risingwave.risingwavelabs.com/${name} created`);
    const stored = await getRw(c.kube, ns, name);
    // Nothing the example says was pruned (the server may only add defaults).
    expect(stored.spec).toMatchObject(input.spec);
    expect(stored.metadata.labels ?? {}).toMatchObject(input.metadata.labels ?? {});

    const o = syncOptions(c, hook, ns, name);
    const first = await syncOnce(o);
    expect(first.errors).toEqual([]);
    const returned = ((first.response.children ?? []) as Obj[]).map(childLabel).sort();
    expect(returned.length).toBeGreaterThan(0);
    expect([...first.created].sort()).toEqual(returned);
    expect(first.statusChanged).toBe(true);
    const parent = await getRw(c.kube, ns, name);
    const children = await expectStoredMatchesResponse(c.kube, ns, rules, parent, first);
    expect(children.some((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment')).toBe(true);

    // The stored status is what the hook returned, plus observedGeneration (nothing pruned by the schema).
    expect(parent.status).toEqual({ ...first.response.status, observedGeneration: parent.metadata.generation });
    expect(parent.status.version).toBeTruthy();
    expect(parent.status.metaStore?.backend).toBeTruthy();
    expect(parent.status.stateStore?.backend).toBeTruthy();

    const second = await syncOnce(o);
    await expectNoEffectiveChildWrites(c.kube, children, second);
    // Its status write, if any, is the real transition "every child exists now", not churn.
    const afterSecond = await getRw(c.kube, ns, name);
    expect((afterSecond.status.conditions as Obj[]).find((x) => x.type === 'Running')?.reason).not.toBe('ChildrenMissing');
    const childrenAfter = await storedChildren(c.kube, ns, rules, parent.metadata.uid);
    expect(childrenAfter.map((x) => `${childLabel(x)}@${x.metadata.generation ?? ''}`)).toEqual(children.map((x) => `${childLabel(x)}@${x.metadata.generation ?? ''}`));

    // Every example's pods become Ready (kwok) and its stored status reaches Running=True.
    await syncUntilStored(o, ({ rw }) => condition(rw, 'Running')?.status === 'True', { timeoutMs: 60_000 });
    for (const w of (await storedWorkloads(c.kube, ns, parent.metadata.uid)).values()) {
      expect(w.status.readyReplicas ?? 0, `${w.kind}/${w.metadata.name} ready`).toBe(w.spec.replicas);
    }

    // At rest the loop goes quiet: once a pass writes nothing, passes over the same stored state write nothing.
    await expectNoHotLoop(o, { repeats: 1, timeoutMs: 60_000 });

    const now = await getRw(c.kube, ns, name);
    expect(condition(now, 'Running')).toMatchObject({ status: 'True', reason: 'AllComponentsReady' });
    const [row, ...more] = parseTable(await c.kubectl(['get', 'rw', name, '-n', ns]), PRINTER_COLUMNS);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      NAME: name,
      'META STORE': now.status.metaStore.backend,
      'STATE STORE': now.status.stateStore.backend,
      VERSION: now.status.version,
      RUNNING: 'True',
    });
    expect(row!.AGE).toMatch(/^\d+s$/);

    await c.kubectl(['delete', 'rw', name, '-n', ns, '--wait=true', '--timeout=60s']);
    await waitFor(`children of ${name} garbage-collected`, async () => (await storedChildren(c.kube, ns, rules, parent.metadata.uid)).length === 0, {
      timeoutMs: 60_000,
    });
  });
});
