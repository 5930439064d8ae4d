// Immutable StatefulSet fields on the real API server: changing a compute group's volumeClaimTemplates
// (a storage size, then a new template) cannot be applied in place, so the hook leaves the StatefulSet out of
// one response (Metacontroller deletes it, Recreating=True), returns it in the next (created with the new
// templates), and then the RisingWave converges and stays still. Claims are kept; nothing else is touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce, type SyncOptions } from '../driver/sync-driver.js';
import { createNamespace, useCluster, waitFor, withoutMetacontroller } from '../support.js';
import {
  childLabel,
  condition,
  converged,
  deleteNamespace,
  expectNoHotLoop,
  getRw,
  isPodReady,
  listPods,
  rwRef,
  shippedChildRules,
  smallRisingWave,
  startHook,
  storedChildren,
  syncOptions,
  syncUntilStored,
  type Hook,
  type Obj,
} from './harness.js';

const cluster = useCluster();
// Driven by test/e2e/driver: the real Metacontroller must not sync these RisingWaves meanwhile.
withoutMetacontroller(cluster);
const NAME = 'rc';
const STS = 'rc-compute';
let ns = '';
let hook: Hook;
let o: SyncOptions;
let uid = '';

const claim = (name: string, storage: string) => ({
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
});

beforeAll(async () => {
  hook = await startHook();
  ns = await createNamespace(cluster(), 'recreate');
  o = syncOptions(cluster(), hook, ns, NAME);
  const rw = smallRisingWave(NAME, ns);
  rw.spec.components.compute.nodeGroups[0].volumeClaimTemplates = [claim('cache', '1Gi')];
  await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(rw));
  uid = (await getRw(cluster().kube, ns, NAME)).metadata.uid;
  await syncUntilStored(o, converged);
});

afterAll(async () => {
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
});

const kube = () => cluster().kube;
const stsRef = () => ({ apiVersion: 'apps/v1', resource: 'statefulsets', namespace: ns, name: STS });
const pvcs = async (): Promise<Obj[]> =>
  ((await kube().list({ apiVersion: 'v1', resource: 'persistentvolumeclaims', namespace: ns, kind: 'PersistentVolumeClaim' })) as Obj[]).sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
const templatesOf = (sts: Obj) => (sts.spec.volumeClaimTemplates as Obj[]).map((t) => [t.metadata.name, t.spec.resources.requests.storage]);

async function setClaims(claims: Obj[]): Promise<void> {
  const rw = await getRw(kube(), ns, NAME);
  const groups = structuredClone(rw.spec.components.compute.nodeGroups) as Obj[];
  groups[0]!.volumeClaimTemplates = claims;
  await kube().mergePatch(rwRef(ns, NAME), { spec: { components: { compute: { nodeGroups: groups } } } });
}

/**
 * The two-pass recreate, asserted on the stored objects: pass 1 deletes exactly the StatefulSet and stores
 * Recreating=True; pass 2 creates it anew with `want` templates; then convergence and no hot loop.
 */
async function expectRecreate(want: Array<[string, string]>): Promise<void> {
  const oldSts = await kube().get<Obj>(stsRef());
  const others = (await storedChildren(kube(), ns, shippedChildRules(), uid)).filter((c) => childLabel(c) !== `StatefulSet/${STS}`);

  const first = await syncOnce(o);
  expect(first).toMatchObject({ deleted: [`StatefulSet/${STS}`], created: [], recreated: [] });
  const gone = await kube().getOrUndefined<Obj>(stsRef());
  expect(gone === undefined || gone.metadata.uid !== oldSts.metadata.uid || gone.metadata.deletionTimestamp != null).toBe(true);
  const during = await getRw(kube(), ns, NAME);
  expect(condition(during, 'Recreating')).toMatchObject({ status: 'True', reason: 'ImmutableFieldChanged' });
  expect(condition(during, 'Recreating')!.message).toContain(STS);
  expect(condition(during, 'Recreating')!.message).toContain('volumeClaimTemplates');
  expect(condition(during, 'Running')).toMatchObject({ status: 'False', reason: 'ChildrenMissing' });

  const second = await syncOnce(o);
  expect(second).toMatchObject({ created: [`StatefulSet/${STS}`], deleted: [], recreated: [] });
  const sts = await kube().get<Obj>(stsRef());
  expect(sts.metadata.uid).not.toBe(oldSts.metadata.uid);
  expect(templatesOf(sts)).toEqual(want);
  expect(condition(await getRw(kube(), ns, NAME), 'Recreating')).toBeUndefined();

  const passes = await syncUntilStored(o, converged);
  // The recreate happens once: no later pass deletes or creates the StatefulSet again.
  expect(passes.flatMap((p) => [...p.report.deleted, ...p.report.created])).toEqual([]);
  expect((await kube().get<Obj>(stsRef())).metadata.uid).toBe(sts.metadata.uid);
  await expectNoHotLoop(o, { repeats: 2 });
  await waitFor(`${STS} pods Ready`, async () => {
    const pods = await listPods(kube(), ns, sts.spec.selector.matchLabels);
    return pods.length === 1 && pods.every(isPodReady) && pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === sts.metadata.uid);
  });

  // Every other child is the same object, unchanged in spec.
  const after = await storedChildren(kube(), ns, shippedChildRules(), uid);
  for (const c of others) {
    const now = after.find((a) => childLabel(a) === childLabel(c));
    expect(now?.metadata.uid, childLabel(c)).toBe(c.metadata.uid);
  }
}

describe('immutable StatefulSet fields: delete in one pass, recreate in the next', () => {
  it('starts Running with one claim template', async () => {
    const rw = await getRw(kube(), ns, NAME);
    expect(condition(rw, 'Running')).toMatchObject({ status: 'True' });
    expect(templatesOf(await kube().get<Obj>(stsRef()))).toEqual([['cache', '1Gi']]);
    const claims = await waitFor('claim cache-rc-compute-0 Bound', async () => {
      const list = await pvcs();
      return list.length === 1 && list[0]!.status.phase === 'Bound' ? list : undefined;
    });
    expect(claims.map((p) => p.metadata.name)).toEqual(['cache-rc-compute-0']);
  });

  it('a changed claim size recreates the StatefulSet; the existing claim is kept', async () => {
    const [before] = await pvcs();
    await setClaims([claim('cache', '2Gi')]);
    await expectRecreate([['cache', '2Gi']]);
    const after = await pvcs();
    expect(after.map((p) => [p.metadata.name, p.metadata.uid])).toEqual([[before!.metadata.name, before!.metadata.uid]]);
  });

  it('an added claim template recreates the StatefulSet; the new claim is provisioned', async () => {
    const [cache] = await pvcs();
    await setClaims([claim('cache', '2Gi'), claim('spill', '1Gi')]);
    await expectRecreate([
      ['cache', '2Gi'],
      ['spill', '1Gi'],
    ]);
    const after = await waitFor('claim spill-rc-compute-0 Bound', async () => {
      const list = await pvcs();
      return list.length === 2 && list.every((p) => p.status.phase === 'Bound') ? list : undefined;
    });
    expect(after.map((p) => p.metadata.name)).toEqual(['cache-rc-compute-0', 'spill-rc-compute-0']);
    expect(after[0]!.metadata.uid).toBe(cache!.metadata.uid);
  });

  it('a change the server can apply in place (replicas) does not recreate', async () => {
    const sts = await kube().get<Obj>(stsRef());
    const rw = await getRw(kube(), ns, NAME);
    const groups = structuredClone(rw.spec.components.compute.nodeGroups) as Obj[];
    groups[0]!.replicas = 2;
    await kube().mergePatch(rwRef(ns, NAME), { spec: { components: { compute: { nodeGroups: groups } } } });
    const passes = await syncUntilStored(o, converged);
    expect(passes.flatMap((p) => [...p.report.deleted, ...p.report.created])).toEqual([]);
    expect(passes.every((p) => condition(p.rw, 'Recreating') === undefined)).toBe(true);
    const now = await kube().get<Obj>(stsRef());
    expect(now.metadata.uid).toBe(sts.metadata.uid);
    expect(now.spec.replicas).toBe(2);
  });
});
