// An autoscaled compute group on the real control plane, with kube-controller-manager's real HPA controller
// (2 s sync period, see cluster/up.sh). There is no metrics server, so the HPA never scales on metrics; it
// only moves a target whose replicas are outside [minReplicas, maxReplicas] to the bound, and leaves alone
// a count set through the scale subresource inside the bounds. That is enough to show the property that
// matters: once the HPA has decided, repeated syncs of the hook keep the HPA's count (the stored StatefulSet
// is never reset to the spec's replicas) and the stored status reports it. Every check reads the API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../driver/merge.js';
import { syncOnce, type SyncOptions } from '../driver/sync-driver.js';
import { createNamespace, useCluster, waitFor, withoutMetacontroller } from '../support.js';
import {
  condition,
  converged,
  deleteNamespace,
  expectNoHotLoop,
  expectStoredMatchesResponse,
  getRw,
  lastAppliedOf,
  rwRef,
  shippedChildRules,
  smallRisingWave,
  startHook,
  syncOptions,
  syncUntilStored,
  type Hook,
  type Obj,
} from './harness.js';

const cluster = useCluster();
// Driven by test/e2e/driver: the real Metacontroller must not sync these RisingWaves meanwhile.
withoutMetacontroller(cluster);
const NAME = 'rw';
const HPA = { apiVersion: 'autoscaling/v2', resource: 'horizontalpodautoscalers' };
const STS = { apiVersion: 'apps/v1', resource: 'statefulsets' };
let ns = '';
let hook: Hook;
let o: SyncOptions;

const kube = () => cluster().kube;
const computeSts = () => kube().get<Obj>({ ...STS, namespace: ns, name: 'rw-compute' });
const computeHpa = () => kube().getOrUndefined<Obj>({ ...HPA, namespace: ns, name: 'rw-compute' });
const computeGroup = (rw: Obj): Obj => rw.status?.componentReplicas?.compute?.groups?.find((g: Obj) => g.name === '');

async function editComputeGroup(edit: (g: Obj) => void): Promise<void> {
  const rw = await getRw(kube(), ns, NAME);
  const groups = structuredClone(rw.spec.components.compute.nodeGroups) as Obj[];
  edit(groups[0]!);
  await kube().mergePatch(rwRef(ns, NAME), { spec: { components: { compute: { nodeGroups: groups } } } });
}

/** Syncs (as Metacontroller would on each change) until the stored StatefulSet has `replicas`. */
async function syncUntilReplicas(replicas: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `rw-compute at ${replicas} replicas`,
    async () => {
      await syncOnce(o);
      return (await computeSts()).spec.replicas === replicas;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

beforeAll(async () => {
  hook = await startHook();
  ns = await createNamespace(cluster(), 'autoscaling');
  o = syncOptions(cluster(), hook, ns, NAME);
  const rw = smallRisingWave(NAME, ns);
  rw.spec.components.compute.nodeGroups[0].autoscaling = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 };
  await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(rw));
});

afterAll(async () => {
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
});

describe('an autoscaled node group with the real HPA controller', () => {
  it('first pass: the StatefulSet is created at the clamped count and its HPA is stored exactly as the hook sent it', async () => {
    expect(shippedChildRules().map((r) => r.kind)).toContain('HorizontalPodAutoscaler');
    const r = await syncOnce(o);
    const rw = await getRw(kube(), ns, NAME);
    await expectStoredMatchesResponse(kube(), ns, shippedChildRules(), rw, r);
    expect((await computeSts()).spec.replicas).toBe(2);
    const hpa = (await computeHpa())!;
    expect(hpa.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'RisingWave', name: NAME, controller: true });
    // Canonical: the server stored the spec the hook sent, nothing defaulted on top.
    expect(canonicalJson(hpa.spec)).toBe(canonicalJson(lastAppliedOf(hpa)!.spec));
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'rw-compute' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
  });

  it('converges to Running=True, and the stored status shows the HPA once its controller has reconciled it', async () => {
    const passes = await syncUntilStored(o, (p) => converged(p) && computeGroup(p.rw)?.autoscaling?.currentReplicas === 2, { timeoutMs: 120_000 });
    const rw = passes.at(-1)!.rw;
    expect(computeGroup(rw)).toEqual({
      name: '',
      target: 2,
      running: 2,
      exists: true,
      // No metrics server: the HPA has computed no count yet, so only its current one is shown.
      autoscaling: { minReplicas: 2, maxReplicas: 5, currentReplicas: 2 },
    });
    await expectNoHotLoop(o);
  });

  it('minReplicas raised: the HPA controller (not the hook) moves the StatefulSet, and repeated syncs keep its count', async () => {
    await editComputeGroup((g) => (g.autoscaling.minReplicas = 4));
    const first = await syncOnce(o);
    // The hook updates the HPA's bounds but sends the observed count: it does not scale the group itself.
    expect((await computeHpa())!.spec.minReplicas).toBe(4);
    expect(lastAppliedOf(await computeSts())!.spec.replicas).toBe(2);
    expect(first.updated).toContain('HorizontalPodAutoscaler/rw-compute');

    await syncUntilReplicas(4);
    const hpa = (await computeHpa())!;
    expect(hpa.status.desiredReplicas).toBe(4);
    const events = (await kube().list({ apiVersion: 'v1', resource: 'events', namespace: ns, kind: 'Event' })) as Obj[];
    expect(events.some((e) => e.involvedObject?.kind === 'HorizontalPodAutoscaler' && e.reason === 'SuccessfulRescale')).toBe(true);

    const passes = await syncUntilStored(o, (p) => converged(p) && computeGroup(p.rw)?.autoscaling?.currentReplicas === 4, { timeoutMs: 120_000 });
    for (let i = 0; i < 5; i++) await syncOnce(o);
    expect((await computeSts()).spec.replicas).toBe(4);
    const rw = await getRw(kube(), ns, NAME);
    expect(computeGroup(rw)).toMatchObject({ target: 4, running: 4, autoscaling: { minReplicas: 4, maxReplicas: 5, currentReplicas: 4, desiredReplicas: 4 } });
    expect(rw.status.componentReplicas.compute.target).toBe(4);
    expect(passes.length).toBeGreaterThan(0);
    await expectNoHotLoop(o);
  });

  it('a count set through the scale subresource inside the bounds is kept by the hook, even after a replicas edit in the spec', async () => {
    await cluster().kubectl(['-n', ns, 'scale', 'statefulset/rw-compute', '--replicas=5']);
    await editComputeGroup((g) => (g.replicas = 1));
    await syncUntilStored(o, (p) => converged(p) && computeGroup(p.rw)?.autoscaling?.currentReplicas === 5, { timeoutMs: 120_000 });
    for (let i = 0; i < 5; i++) await syncOnce(o);
    const sts = await computeSts();
    expect(sts.spec.replicas).toBe(5);
    expect(lastAppliedOf(sts)!.spec.replicas).toBe(5);
    const rw = await getRw(kube(), ns, NAME);
    expect(condition(rw, 'Running')?.status).toBe('True');
    expect(computeGroup(rw)).toMatchObject({ target: 5, autoscaling: { currentReplicas: 5 } });
    await expectNoHotLoop(o);
  });

  it('autoscaling removed: the HPA is deleted and the StatefulSet goes back to the spec count', async () => {
    await editComputeGroup((g) => delete g.autoscaling);
    const r = await syncOnce(o);
    expect(r.deleted).toEqual(['HorizontalPodAutoscaler/rw-compute']);
    await waitFor('HPA gone', async () => (await computeHpa()) === undefined);
    expect((await computeSts()).spec.replicas).toBe(1);
    const passes = await syncUntilStored(o, converged, { timeoutMs: 120_000 });
    expect(computeGroup(passes.at(-1)!.rw)).toEqual({ name: '', target: 1, running: 1, exists: true });
    expect((await computeSts()).spec.replicas).toBe(1);
  });
});
