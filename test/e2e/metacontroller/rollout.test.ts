// Time and other controllers, through the real Metacontroller. Rollout deadline: the hook restarted with
// ROLLOUT_DEADLINE_SECONDS=3; a compactor that can never schedule keeps the RisingWave waiting, and only the
// hook's resyncAfterSeconds brings Metacontroller back to it: past the deadline the stored reason is
// RolloutStuck, which is a rest state (no sync, no write); fixing the spec reaches Running=True. HPA: the
// real HPA controller owns an autoscaled group's count, and Metacontroller's syncs never reset it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHook } from '../cluster/metacontroller.js';
import { createNamespace, stackOf, useCluster, waitFor } from '../support.js';
import { condition, deleteNamespace, rwRef, smallRisingWave, storedWorkloads, type Obj } from '../scenarios/harness.js';
import { activityDelta, NOTHING, readActivity, waitQuiet } from './activity.js';
import { annotateParent, editSpec, runningAt, runningFor, storedRw } from './support.js';

const cluster = useCluster();
let ns = '';

beforeAll(async () => {
  ns = await createNamespace(cluster(), 'mc-rollout');
});
afterAll(async () => {
  await startHook(cluster(), {});
  await deleteNamespace(cluster(), ns);
});

describe('rollout deadline (hook with ROLLOUT_DEADLINE_SECONDS=3)', () => {
  it('an unschedulable group turns the stored reason RolloutStuck after the deadline, naming the group', async () => {
    const c = cluster();
    await startHook(c, { ROLLOUT_DEADLINE_SECONDS: '3' });
    const rw = smallRisingWave('stuck', ns);
    rw.spec.components.compactor.nodeGroups[0].template.spec.nodeSelector = { 'e2e.rw-hook.test/nowhere': 'true' };
    await c.kube.create(rwRef(ns), rw);
    const stuck = await storedRw(c, ns, 'stuck', 'Running=False/RolloutStuck', (x) => condition(x, 'Running')?.reason === 'RolloutStuck', 60_000);
    expect(condition(stuck, 'Running')!.message).toContain('compactor');
    expect(Date.now() - Date.parse(condition(stuck, 'Running')!.lastTransitionTime)).toBeGreaterThanOrEqual(2_000);
    const workloads = await storedWorkloads(c.kube, ns, stuck.metadata.uid);
    expect([...workloads.values()].filter((w) => (w.status.readyReplicas ?? 0) < 1).map((w) => w.metadata.name)).toEqual(['stuck-compactor']);
  });

  it('stuck is a rest state: nothing is written; the hook is only polled at its backoff (5, 10, 20 … 60 s)', async () => {
    const c = cluster();
    const stack = stackOf(c);
    const before = await readActivity(c.kube, stack);
    await new Promise((r) => setTimeout(r, 9_000));
    const d = activityDelta(before, await readActivity(c.kube, stack));
    expect({ ...d, hookSyncs: 0 }).toEqual(NOTHING);
    expect(d.hookSyncs).toBeLessThanOrEqual(1);
  });

  it('fixing the spec rolls out and reaches Running=True', async () => {
    const c = cluster();
    const stored = await editSpec(c, ns, 'stuck', (s) => delete s.components.compactor.nodeGroups[0].template.spec.nodeSelector);
    const rw = await runningAt(c, ns, 'stuck', stored.metadata.generation, 120_000);
    expect(condition(rw, 'Initializing')).toBeUndefined();
  });
});

describe('an autoscaled group with the real HPA controller', () => {
  const sts = () => cluster().kube.get<Obj>({ apiVersion: 'apps/v1', resource: 'statefulsets', namespace: ns, name: 'hpa-compute' });
  const hpa = () => cluster().kube.getOrUndefined<Obj>({ apiVersion: 'autoscaling/v2', resource: 'horizontalpodautoscalers', namespace: ns, name: 'hpa-compute' });
  const replicasBecome = (n: number) => waitFor(`hpa-compute at ${n} replicas`, async () => (await sts()).spec.replicas === n, { timeoutMs: 60_000, intervalMs: 500 });

  it('the StatefulSet starts at the clamped count, its HPA is stored, Running=True', async () => {
    const c = cluster();
    await startHook(c, {});
    const rw = smallRisingWave('hpa', ns);
    rw.spec.components.compute.nodeGroups[0].autoscaling = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 };
    await c.kube.create(rwRef(ns), rw);
    await runningFor(c, ns, 'hpa');
    expect((await sts()).spec.replicas).toBe(2);
    expect((await hpa())?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'StatefulSet', name: 'hpa-compute' } });
  });

  it('minReplicas raised: the HPA controller moves the StatefulSet, and a resync keeps its count', async () => {
    const c = cluster();
    await editSpec(c, ns, 'hpa', (s) => (s.components.compute.nodeGroups[0].autoscaling.minReplicas = 3));
    await replicasBecome(3);
    await storedRw(c, ns, 'hpa', 'status shows 3', (rw) => rw.status?.componentReplicas?.compute?.target === 3);
    await annotateParent(c, ns, 'hpa');
    await waitQuiet(c.kube, stackOf(c), { windowMs: 3_000 });
    expect((await sts()).spec.replicas).toBe(3);
  });

  it('a count set through the scale subresource inside the bounds is kept, even after a replicas edit in the spec', async () => {
    const c = cluster();
    await c.kube.mergePatch({ apiVersion: 'apps/v1', resource: 'statefulsets', namespace: ns, name: 'hpa-compute', subresource: 'scale' }, { spec: { replicas: 4 } });
    await editSpec(c, ns, 'hpa', (s) => (s.components.compute.nodeGroups[0].replicas = 1));
    await waitQuiet(c.kube, stackOf(c), { windowMs: 3_000 });
    expect((await sts()).spec.replicas).toBe(4);
  });

  it('autoscaling removed: the HPA is deleted and the StatefulSet goes back to the spec count', async () => {
    const c = cluster();
    await editSpec(c, ns, 'hpa', (s) => delete s.components.compute.nodeGroups[0].autoscaling);
    await waitFor('HPA deleted', async () => (await hpa()) === undefined);
    await replicasBecome(1);
    await runningFor(c, ns, 'hpa');
  });
});
