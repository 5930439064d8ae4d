// What single deterministic passes show about one small RisingWave (test/e2e/driver, one pass =
// one Metacontroller sync): the first pass creates every child it returns and stores Initializing=True,
// Running=False; the next pass writes nothing; at rest passes write nothing; the first pass after an image
// change stores Upgrading=True and Running stays True on every pass of the upgrade; the pass that finds a
// hand-deleted child stores Running=False/ChildrenMissing and recreates it in the same response. The rest of
// the lifecycle runs through the real Metacontroller in ../metacontroller/lifecycle.test.ts.
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
});
