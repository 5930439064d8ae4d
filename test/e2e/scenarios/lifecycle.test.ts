// One small RisingWave (one replica per component) through its life on the real control plane, driven by
// the Metacontroller loop and the real hook server: first rollout until kwok's pods are Ready and the stored
// status says Running=True, no hot loop at rest, then scale, restart, upgrade, group add/removal (each
// converging), a hand-deleted child recreated, and finally deletion garbage-collecting every child and pod.
// Every check reads the API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce, type SyncOptions } from '../driver/sync-driver.js';
import { createNamespace, useCluster, waitFor, withoutMetacontroller } from '../support.js';
import {
  childLabel,
  condition,
  conditionSummary,
  converged,
  deleteNamespace,
  expectNoHotLoop,
  expectStoredMatchesResponse,
  getRw,
  isPodReady,
  listPods,
  rwRef,
  shippedChildRules,
  smallRisingWave,
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
const NAME = 'rw';
const NEW_IMAGE = 'risingwavelabs/risingwave:v2.5.0';
let ns = '';
let hook: Hook;
let o: SyncOptions;
let uid = '';

beforeAll(async () => {
  hook = await startHook();
  ns = await createNamespace(cluster(), 'lifecycle');
  o = syncOptions(cluster(), hook, ns, NAME);
  await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(smallRisingWave(NAME, ns)));
  uid = (await getRw(cluster().kube, ns, NAME)).metadata.uid;
});

afterAll(async () => {
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
});

const kube = () => cluster().kube;
const patchSpec = (spec: Obj) => kube().mergePatch(rwRef(ns, NAME), { spec });

/** The stored compute node groups, edited by `edit` and written back (a merge patch replaces the list). */
async function editComputeGroups(edit: (groups: Obj[]) => void): Promise<void> {
  const rw = await getRw(kube(), ns, NAME);
  const groups = structuredClone(rw.spec.components.compute.nodeGroups) as Obj[];
  edit(groups);
  await patchSpec({ components: { compute: { nodeGroups: groups } } });
}

/** Pods of a workload (by its selector) once exactly `replicas` of them exist and are Ready. */
async function readyPods(workload: Obj, replicas: number): Promise<Obj[]> {
  return waitFor(`${workload.metadata.name}: ${replicas} Ready pods`, async () => {
    const pods = await listPods(kube(), ns, workload.spec.selector.matchLabels);
    return pods.length === replicas && pods.every(isPodReady) ? pods : undefined;
  });
}

describe('a RisingWave on the real control plane', () => {
  it('first pass: every child the hook returns is created and stored; Initializing=True, Running=False', async () => {
    const r = await syncOnce(o);
    const rw = await getRw(kube(), ns, NAME);
    const stored = await expectStoredMatchesResponse(kube(), ns, shippedChildRules(), rw, r);
    expect(stored.map(childLabel)).toEqual([
      'ConfigMap/rw-default-config',
      'Deployment/rw-compactor',
      'Deployment/rw-frontend',
      'Service/rw-compactor',
      'Service/rw-compute',
      'Service/rw-frontend',
      'Service/rw-meta',
      'StatefulSet/rw-compute',
      'StatefulSet/rw-meta',
    ]);
    expect(condition(rw, 'Initializing')).toMatchObject({ status: 'True' });
    expect(condition(rw, 'Running')).toMatchObject({ status: 'False' });
    expect(condition(rw, 'Valid')).toMatchObject({ status: 'True' });
    expect(rw.status.observedGeneration).toBe(1);
  });

  it('the next pass over the stored children creates, updates and deletes nothing', async () => {
    const before = await storedChildren(kube(), ns, shippedChildRules(), uid);
    const r = await syncOnce(o);
    expect(r).toMatchObject({ created: [], updated: [], deleted: [], recreated: [], adopted: [], released: [] });
    const after = await storedChildren(kube(), ns, shippedChildRules(), uid);
    expect(after.map((x) => `${childLabel(x)}@${x.metadata.uid}/${x.metadata.generation}`)).toEqual(
      before.map((x) => `${childLabel(x)}@${x.metadata.uid}/${x.metadata.generation}`),
    );
  });

  it('pods become Ready (kwok) and the stored status reaches Running=True', async () => {
    const passes = await syncUntilStored(o, ({ rw }) => condition(rw, 'Running')?.status === 'True', { timeoutMs: 120_000 });
    const rw = passes.at(-1)!.rw;
    expect(condition(rw, 'Running')).toMatchObject({ status: 'True', reason: 'AllComponentsReady' });
    expect(condition(rw, 'Initializing')).toBeUndefined();
    expect(condition(rw, 'Synced')).toMatchObject({ status: 'True' });
    for (const component of ['meta', 'frontend', 'compute', 'compactor']) {
      expect(rw.status.componentReplicas[component], component).toMatchObject({ target: 1, running: 1 });
    }
    // The status is backed by the real objects: every workload is rolled out with a Ready pod.
    for (const w of (await storedWorkloads(kube(), ns, uid)).values()) {
      expect(w.status.readyReplicas, w.metadata.name).toBe(1);
      await readyPods(w, 1);
    }
    // Until the flip, every stored status was the steady waiting state (no flicker through other values).
    for (const p of passes.slice(0, -1)) {
      expect(condition(p.rw, 'Initializing')?.status).toBe('True');
      expect(condition(p.rw, 'Running')?.status).toBe('False');
    }
  });

  it('at rest, repeated passes write nothing (no hot loop)', async () => {
    const { report } = await expectNoHotLoop(o, { repeats: 3 });
    expect(report.response.resyncAfterSeconds).toBeUndefined();
    const rw = await getRw(kube(), ns, NAME);
    expect(condition(rw, 'Running')?.status).toBe('True');
  });

  it('scale: a group replicas change reaches the stored StatefulSet and its pods; nothing else changes', async () => {
    const before = await storedWorkloads(kube(), ns, uid);
    await editComputeGroups((g) => (g[0]!.replicas = 2));
    const passes = await syncUntilStored(o, converged);
    expect(passes.some((p) => condition(p.rw, 'Upgrading')?.status === 'True')).toBe(true);

    const after = await storedWorkloads(kube(), ns, uid);
    expect(after.get('rw-compute')!.spec.replicas).toBe(2);
    await readyPods(after.get('rw-compute')!, 2);
    for (const [name, w] of before) {
      expect(after.get(name)!.metadata.uid, name).toBe(w.metadata.uid);
      if (name === 'rw-compute') continue;
      expect(after.get(name)!.spec.replicas, name).toBe(w.spec.replicas);
      expect(after.get(name)!.spec.template, `${name} pod template`).toEqual(w.spec.template);
    }
    const rw = passes.at(-1)!.rw;
    expect(rw.status.componentReplicas.compute).toMatchObject({ target: 2, running: 2 });
  });

  it('restart: restartAt changes only that group\'s pod template, and only its pods are replaced', async () => {
    const before = await storedWorkloads(kube(), ns, uid);
    const podsBefore = new Map<string, Obj[]>();
    for (const [name, w] of before) podsBefore.set(name, await listPods(kube(), ns, w.spec.selector.matchLabels));
    const restartAt = '2030-01-02T03:04:05Z';
    await editComputeGroups((g) => (g[0]!.restartAt = restartAt));
    await syncUntilStored(o, converged);

    const after = await storedWorkloads(kube(), ns, uid);
    for (const [name, w] of before) {
      const now = after.get(name)!;
      if (name === 'rw-compute') {
        const expected = structuredClone(w.spec.template);
        expected.metadata.annotations = { ...(expected.metadata.annotations ?? {}), 'risingwave/restart-at': restartAt };
        expect(now.spec.template).toEqual(expected);
        const pods = await readyPods(now, 2);
        const oldUids = new Set(podsBefore.get(name)!.map((p) => p.metadata.uid));
        expect(pods.filter((p) => oldUids.has(p.metadata.uid)), 'every compute pod was replaced').toEqual([]);
      } else {
        expect(now.spec.template, `${name} pod template`).toEqual(w.spec.template);
        const pods = await listPods(kube(), ns, now.spec.selector.matchLabels);
        expect(pods.map((p) => p.metadata.uid).sort(), `${name} pods untouched`).toEqual(podsBefore.get(name)!.map((p) => p.metadata.uid).sort());
      }
    }
  });

  it('upgrade: a new image turns the stored Upgrading=True, then False/RolledOut once every workload rolled out', async () => {
    await patchSpec({ image: NEW_IMAGE });
    const first = await syncOnce(o);
    expect(first.updated.length).toBeGreaterThan(0);
    const during = await getRw(kube(), ns, NAME);
    expect(condition(during, 'Upgrading')).toMatchObject({ status: 'True' });
    expect(condition(during, 'Running')).toMatchObject({ status: 'True' });
    expect(during.status.observedGeneration).toBe(during.metadata.generation);

    const passes = await syncUntilStored(o, converged);
    const rw = passes.at(-1)!.rw;
    expect(condition(rw, 'Upgrading')).toMatchObject({ status: 'False', reason: 'RolledOut' });
    expect(rw.status.version).toBe('v2.5.0');
    // Running stays True throughout an upgrade that loses no child.
    expect(passes.map((p) => condition(p.rw, 'Running')?.status)).toEqual(passes.map(() => 'True'));
    for (const w of (await storedWorkloads(kube(), ns, uid)).values()) {
      expect(w.spec.template.spec.containers.map((c: Obj) => c.image), w.metadata.name).toEqual([NEW_IMAGE]);
      const pods = await readyPods(w, w.spec.replicas);
      expect(pods.map((p) => p.spec.containers[0].image)).toEqual(pods.map(() => NEW_IMAGE));
    }
    expect(conditionSummary(rw)).toContain('Running=True/AllComponentsReady');
  });

  it('group removal: the removed group\'s workload is deleted, every other child is kept', async () => {
    await editComputeGroups((g) => g.push({ name: 'extra', replicas: 1, template: structuredClone(g[0]!.template) }));
    await syncUntilStored(o, converged);
    const withExtra = await storedChildren(kube(), ns, shippedChildRules(), uid);
    const extra = withExtra.find((c) => childLabel(c) === 'StatefulSet/rw-compute-extra');
    expect(extra).toBeDefined();
    await readyPods(extra!, 1);
    expect((await getRw(kube(), ns, NAME)).status.componentReplicas.compute).toMatchObject({ target: 3, running: 3 });

    await editComputeGroups((g) => g.splice(g.findIndex((x) => x.name === 'extra'), 1));
    const passes = await syncUntilStored(o, converged);
    expect(passes.flatMap((p) => p.report.deleted)).toEqual(['StatefulSet/rw-compute-extra']);
    const now = await storedChildren(kube(), ns, shippedChildRules(), uid);
    expect(now.map((c) => `${childLabel(c)}@${c.metadata.uid}`)).toEqual(
      withExtra.filter((c) => c !== extra).map((c) => `${childLabel(c)}@${c.metadata.uid}`),
    );
    await waitFor('rw-compute-extra pods gone', async () => (await listPods(kube(), ns, extra!.spec.selector.matchLabels)).length === 0);
    const rw = passes.at(-1)!.rw;
    expect(rw.status.componentReplicas.compute).toMatchObject({ target: 2, running: 2 });
    expect((rw.status.componentReplicas.compute.groups as Obj[]).map((g) => g.name)).toEqual(['']);
  });

  it('a child deleted by hand is recreated by the next pass (Running=False/ChildrenMissing), then Running again', async () => {
    const svc = { apiVersion: 'v1', resource: 'services', namespace: ns, name: 'rw-meta' };
    const old = await kube().get<Obj>(svc);
    await kube().delete(svc);
    const r = await syncOnce(o);
    expect(r).toMatchObject({ created: ['Service/rw-meta'], updated: [], deleted: [] });
    const recreated = await kube().get<Obj>(svc);
    expect(recreated.metadata.uid).not.toBe(old.metadata.uid);
    expect(recreated.spec.ports).toEqual(old.spec.ports);
    expect(recreated.spec.selector).toEqual(old.spec.selector);
    const seen = await getRw(kube(), ns, NAME);
    expect(condition(seen, 'Running')).toMatchObject({ status: 'False', reason: 'ChildrenMissing' });
    expect(condition(seen, 'Running')!.message).toContain('rw-meta');
    await syncUntilStored(o, converged);
  });

  it('deleting the RisingWave garbage-collects every child and pod', async () => {
    const children = await storedChildren(kube(), ns, shippedChildRules(), uid);
    expect(children.length).toBeGreaterThan(0);
    await cluster().kubectl(['delete', 'rw', NAME, '-n', ns, '--wait=true', '--timeout=60s']);
    expect(await kube().getOrUndefined(rwRef(ns, NAME))).toBeUndefined();
    await waitFor('children collected', async () => (await storedChildren(kube(), ns, shippedChildRules(), uid)).length === 0, { timeoutMs: 60_000 });
    await waitFor('pods collected', async () => (await listPods(kube(), ns, { 'risingwave/name': NAME })).length === 0, { timeoutMs: 60_000 });
  });
});
