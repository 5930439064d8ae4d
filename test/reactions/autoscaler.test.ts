import { describe, expect, it } from 'vitest';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { autoscalerBehavior, clampReplicas } from '../../src/builders/autoscaler.js';
import { HPA_KEY } from '../../src/kube/child-keys.js';
import { syncAutoscalers } from '../../src/reactions/autoscaler.js';
import { ConditionType } from '../../src/reactions/status/vocabulary.js';
import { runSync, type SyncResult } from '../../src/controller/sync.js';
import { LAST_APPLIED_ANNOTATION, type KubeObject } from '../../src/kube/kube-object.js';
import { asObserved, CHILD_KEYS, render, TEST_CLOCK, TEST_OPERATOR_VERSION } from '../support/render.js';
import { validateChild } from '../support/validate.js';
import { context, parent } from './helpers.js';

type Obj = KubeObject & { spec?: any; status?: any };

const RESOURCES = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } };
const CPU = (min: number | undefined, max: number) => ({ ...(min === undefined ? {} : { minReplicas: min }), maxReplicas: max, targetCPUUtilizationPercentage: 70 });
const group = (extra: Record<string, unknown> = {}) => ({ name: '', replicas: 1, template: { spec: { resources: RESOURCES } }, ...extra });

/** Every component with one default group; `edit` changes the spec. Etcd meta store so meta may autoscale. */
function spec(edit: (components: Record<string, any>) => void = () => {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const components: Record<string, any> = {
    meta: { nodeGroups: [group()] },
    frontend: { nodeGroups: [group()] },
    compute: { nodeGroups: [group()] },
    compactor: { nodeGroups: [group()] },
  };
  edit(components);
  return { metaStore: { etcd: { endpoint: 'etcd:2388' } }, components, ...extra };
}

const find = (r: SyncResult, kind: string, name: string): Obj | undefined =>
  (r.response.children as Obj[]).find((c) => c.kind === kind && c.metadata.name === name);
const replicasOf = (r: SyncResult, kind: string, name: string): number | undefined => find(r, kind, name)?.spec?.replicas;
const hpas = (r: SyncResult): Obj[] => (r.response.children as Obj[]).filter((c) => c.kind === 'HorizontalPodAutoscaler');
const groupStatus = (r: SyncResult, component: string, name = '') =>
  ((r.response.status.componentReplicas as any)[component].groups as any[]).find((g) => g.name === name);

/** What the API server holds after applying a response, with Metacontroller's last-applied annotation. */
const stored = (r: SyncResult): Obj[] =>
  (r.response.children as Obj[]).map((c) => {
    const o = asObserved(c) as Obj;
    return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [LAST_APPLIED_ANNOTATION]: JSON.stringify(c) } } };
  });

/** The HPA controller (or `kubectl scale`) sets a workload's replicas. */
function scaled(objs: Obj[], name: string, replicas: number): Obj[] {
  return objs.map((o) => ((o.kind === 'StatefulSet' || o.kind === 'Deployment') && o.metadata.name === name ? { ...o, spec: { ...o.spec, replicas } } : o));
}

/** The HPA controller reconciled an HPA: it sets conditions and its replica counts. */
function hpaReconciled(objs: Obj[], name: string, currentReplicas: number, desiredReplicas: number): Obj[] {
  const conditions = [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', lastTransitionTime: '2026-01-01T00:00:05Z' }];
  return objs.map((o) => (o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name ? { ...o, status: { currentReplicas, desiredReplicas, conditions, lastScaleTime: '2026-01-01T00:00:05Z' } } : o));
}

/** A sync whose CompositeController registers only the given child types. */
function syncWithKeys(raw: KubeObject, keys: readonly string[], observed: Obj[] = []): Promise<SyncResult> {
  const children: Record<string, Record<string, KubeObject>> = Object.fromEntries(keys.map((k) => [k, {}]));
  for (const o of observed) (children[`${o.kind}.${o.apiVersion}`] ??= {})[o.metadata.name] = o;
  return runSync({ parent: raw, children, related: {} } as unknown as Parameters<typeof runSync>[0], {
    clock: TEST_CLOCK,
    options: { operatorVersion: TEST_OPERATOR_VERSION },
  });
}

const WORKLOADS: Array<[component: string, kind: string, extra?: Record<string, unknown>]> = [
  ['meta', 'StatefulSet'],
  ['frontend', 'Deployment'],
  ['frontend', 'StatefulSet', { enableFrontendStatefulSet: true }],
  ['compute', 'StatefulSet'],
  ['compactor', 'Deployment'],
];

describe('autoscaled node groups: first creation', () => {
  it.each([
    { replicas: 1, min: 2, max: 5, want: 2 },
    { replicas: 9, min: 2, max: 5, want: 5 },
    { replicas: 3, min: 2, max: 5, want: 3 },
    { replicas: undefined, min: undefined, max: 4, want: 1 },
    { replicas: 0, min: 3, max: 3, want: 3 },
  ])('replicas $replicas into [$min, $max] → $want', ({ replicas, min, max, want }) => {
    expect(clampReplicas(replicas ?? 0, { minReplicas: min, maxReplicas: max })).toBe(want);
  });

  it.each(WORKLOADS)('%s as a %s: created with the clamped count and an HPA that targets it', async (component, kind, extra = {}) => {
    const raw = parent(spec((c) => (c[component].nodeGroups = [group({ replicas: 1, autoscaling: CPU(2, 5) })]), extra));
    const r = await render(raw);
    expect(r.outcome, JSON.stringify(r.response.status.conditions)).not.toBe('error');
    const name = `rw-${component}`;
    expect(replicasOf(r, kind, name)).toBe(2);
    const [hpa, ...others] = hpas(r);
    expect(others).toEqual([]);
    new HorizontalPodAutoscaler(hpa as never).validate();
    expect(hpa!.metadata).toEqual({ name, namespace: 'ns', labels: find(r, kind, name)!.metadata.labels });
    expect(hpa!.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    // Groups without autoscaling keep the spec's count and get no HPA.
    for (const other of ['meta', 'compute'].filter((c) => c !== component)) expect(replicasOf(r, 'StatefulSet', `rw-${other}`)).toBe(1);
    for (const child of r.response.children) validateChild(child);
    expect(groupStatus(r, component)).toEqual({ name: '', target: 2, running: 0, exists: false, autoscaling: { minReplicas: 2, maxReplicas: 5 } });
    expect((r.response.status.componentReplicas as any)[component].target).toBe(2);
  });

  it('metrics follow the CPU target, with canonical quantities; behavior gets the server defaults', async () => {
    const autoscaling = {
      maxReplicas: 4,
      targetCPUUtilizationPercentage: 60,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1.5Gi' } } },
        { type: 'External', external: { metric: { name: 'lag', selector: { matchLabels: { topic: 'a' } } }, target: { type: 'Value', value: '0.5' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    };
    const r = await render(parent(spec((c) => (c.compute.nodeGroups = [group({ autoscaling })]))));
    const [hpa] = hpas(r);
    new HorizontalPodAutoscaler(hpa as never).validate();
    expect(hpa!.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1536Mi' } } },
      { type: 'External', external: { metric: { name: 'lag', selector: { matchLabels: { topic: 'a' } } }, target: { type: 'Value', value: '500m' } } },
    ]);
    // What kube-apiserver v1.36.3 stores for this behavior (recorded with kubectl create --dry-run=server).
    expect(hpa!.spec.behavior).toEqual({
      scaleDown: { policies: [{ periodSeconds: 15, type: 'Percent', value: 100 }], selectPolicy: 'Max', stabilizationWindowSeconds: 600 },
      scaleUp: {
        policies: [
          { periodSeconds: 15, type: 'Pods', value: 4 },
          { periodSeconds: 15, type: 'Percent', value: 100 },
        ],
        selectPolicy: 'Max',
        stabilizationWindowSeconds: 0,
      },
    });
    expect(hpa!.spec.minReplicas).toBe(1);
  });

  it('an absent behavior stays absent, a complete one is kept as given', () => {
    expect(autoscalerBehavior(undefined)).toBeUndefined();
    const full = {
      scaleUp: { stabilizationWindowSeconds: 30, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Disabled', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    };
    expect(autoscalerBehavior(full)).toEqual(full);
  });
});

describe('autoscaled node groups: the HPA owns the replica count', () => {
  const autoscaled = (replicas: number, auto = CPU(2, 6)) => parent(spec((c) => (c.compute.nodeGroups = [group({ replicas, autoscaling: auto })])));

  it('keeps the observed count across syncs, even when the spec replicas change', async () => {
    const first = await render(autoscaled(1));
    let observed = scaled(stored(first), 'rw-compute', 5);
    observed = hpaReconciled(observed, 'rw-compute', 5, 5);
    for (const replicas of [1, 3, 9]) {
      const r = await render(autoscaled(replicas), { observed });
      expect(replicasOf(r, 'StatefulSet', 'rw-compute'), `spec replicas ${replicas}`).toBe(5);
      expect(r.removed).toEqual([]);
      expect(groupStatus(r, 'compute')).toMatchObject({ target: 5, autoscaling: { minReplicas: 2, maxReplicas: 6, currentReplicas: 5, desiredReplicas: 5 } });
      observed = stored(r).map((o) => (o.kind === 'HorizontalPodAutoscaler' ? observed.find((x) => x.kind === o.kind)! : o));
    }
  });

  it('a second sync over its own output (HPA untouched) changes nothing', async () => {
    const first = await render(autoscaled(1));
    const second = await render(autoscaled(1), { observed: stored(first) });
    expect(second.removed).toEqual([]);
    expect(second.carriedOver).toEqual([]);
    expect(second.response.children).toEqual(first.response.children);
  });

  it('keeps a count outside the bounds once the HPA exists: moving it is the HPA controller\'s job', async () => {
    const first = await render(autoscaled(1));
    const r = await render(autoscaled(1, CPU(3, 4)), { observed: scaled(stored(first), 'rw-compute', 2) });
    expect(replicasOf(r, 'StatefulSet', 'rw-compute')).toBe(2);
    expect(find(r, 'HorizontalPodAutoscaler', 'rw-compute')!.spec).toMatchObject({ minReplicas: 3, maxReplicas: 4 });
  });

  it('keeps 0 once the HPA exists (kubectl scale --replicas=0 pauses an HPA)', async () => {
    const first = await render(autoscaled(1));
    const r = await render(autoscaled(1), { observed: scaled(stored(first), 'rw-compute', 0) });
    expect(replicasOf(r, 'StatefulSet', 'rw-compute')).toBe(0);
  });

  it('turning autoscaling on for a running group clamps it once (the HPA does not exist yet), then follows the HPA', async () => {
    const before = await render(parent(spec((c) => (c.compute.nodeGroups = [group({ replicas: 0 })]))));
    expect(replicasOf(before, 'StatefulSet', 'rw-compute')).toBe(0);
    const on = await render(autoscaled(0), { observed: stored(before) });
    // A workload at 0 would disable the HPA for good: it is created above the bound.
    expect(replicasOf(on, 'StatefulSet', 'rw-compute')).toBe(2);
    expect(hpas(on).map((h) => h.metadata.name)).toEqual(['rw-compute']);
    const next = await render(autoscaled(0), { observed: scaled(stored(on), 'rw-compute', 4) });
    expect(replicasOf(next, 'StatefulSet', 'rw-compute')).toBe(4);
  });

  it('a workload not observed (e.g. being recreated) starts again from the clamped spec count', async () => {
    const first = await render(autoscaled(1));
    const observed = scaled(stored(first), 'rw-compute', 5).filter((o) => !(o.kind === 'StatefulSet' && o.metadata.name === 'rw-compute'));
    const r = await render(autoscaled(1), { observed });
    expect(replicasOf(r, 'StatefulSet', 'rw-compute')).toBe(2);
  });

  it('the frontend switching form gets an HPA retargeted at the new kind, created at the clamped count', async () => {
    const on = (statefulSet: boolean) => parent(spec((c) => (c.frontend.nodeGroups = [group({ replicas: 1, autoscaling: CPU(2, 6) })]), { enableFrontendStatefulSet: statefulSet }));
    const first = await render(on(false));
    const r = await render(on(true), { observed: scaled(stored(first), 'rw-frontend', 5) });
    expect(r.removed).toEqual(['Deployment.apps/v1/rw-frontend']);
    expect(replicasOf(r, 'StatefulSet', 'rw-frontend')).toBe(2);
    expect(find(r, 'HorizontalPodAutoscaler', 'rw-frontend')!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'rw-frontend' });
  });

  it('status shows the HPA counts only once the HPA controller has reconciled it', async () => {
    const first = await render(autoscaled(1));
    const created = stored(first).map((o) => (o.kind === 'HorizontalPodAutoscaler' ? { ...o, status: { desiredReplicas: 0 } } : o));
    const r1 = await render(autoscaled(1), { observed: created });
    expect(groupStatus(r1, 'compute').autoscaling).toEqual({ minReplicas: 2, maxReplicas: 6 });
    const r2 = await render(autoscaled(1), { observed: hpaReconciled(scaled(created, 'rw-compute', 3), 'rw-compute', 2, 3) });
    expect(groupStatus(r2, 'compute')).toMatchObject({ target: 3, autoscaling: { minReplicas: 2, maxReplicas: 6, currentReplicas: 2, desiredReplicas: 3 } });
    // Deterministic: no HPA times or messages leak into the status.
    expect(JSON.stringify(r2.response.status)).not.toContain('2026-01-01T00:00:05Z');
    // Reconciled without metrics: a current count, no computed one yet.
    const r3 = await render(autoscaled(1), { observed: hpaReconciled(created, 'rw-compute', 2, 0) });
    expect(groupStatus(r3, 'compute').autoscaling).toEqual({ minReplicas: 2, maxReplicas: 6, currentReplicas: 2 });
  });
});

describe('autoscaling removed', () => {
  const withAutoscaling = parent(spec((c) => (c.compute.nodeGroups = [group({ replicas: 1, autoscaling: CPU(2, 6) }), group({ name: 'x', replicas: 1, autoscaling: CPU(1, 3) })])));

  async function observedAt5(): Promise<Obj[]> {
    return scaled(stored(await render(withAutoscaling)), 'rw-compute', 5);
  }

  it('from a group: its HPA is removed on purpose and its replicas go back to the spec', async () => {
    const raw = parent(spec((c) => (c.compute.nodeGroups = [group({ replicas: 1 }), group({ name: 'x', replicas: 1, autoscaling: CPU(1, 3) })])));
    const r = await render(raw, { observed: await observedAt5() });
    expect(r.removed).toEqual([`${HPA_KEY}/rw-compute`]);
    expect(replicasOf(r, 'StatefulSet', 'rw-compute')).toBe(1);
    expect(hpas(r).map((h) => h.metadata.name)).toEqual(['rw-compute-x']);
    expect(groupStatus(r, 'compute')).toEqual({ name: '', target: 1, running: 0, exists: true });
  });

  it.each([
    ['the group leaves the spec', spec((c) => (c.compute.nodeGroups = [group({ name: 'x', replicas: 1, autoscaling: CPU(1, 3) })])), 'compute node group "" is no longer in the spec', [`${HPA_KEY}/rw-compute`, 'StatefulSet.apps/v1/rw-compute']],
    ['standalone mode is turned on', { ...spec(), enableStandaloneMode: true }, 'standalone mode is enabled: node groups are not deployed', undefined],
  ])('when %s, with a reason', async (_what, next, reason, removed) => {
    const first = await observedAt5();
    const ctxResult = await render(parent(next as Record<string, unknown>), { observed: first });
    if (removed) expect(ctxResult.removed).toEqual(removed);
    expect(ctxResult.removed).toContain(`${HPA_KEY}/rw-compute`);
    // The reason the reaction recorded, read from a direct call.
    const ctx = context(parent(next as Record<string, unknown>), first);
    await syncAutoscalers(ctx);
    expect(ctx.desired.removalList().find((x) => x.id === `${HPA_KEY}/rw-compute`)?.reason).toBe(reason);
  });

  it('the reason names a group that stays but stops autoscaling', async () => {
    const ctx = context(parent(spec()), await observedAt5());
    await syncAutoscalers(ctx);
    expect(ctx.desired.removalList()).toEqual([
      { id: `${HPA_KEY}/rw-compute`, reason: 'compute node group "" no longer has autoscaling: its replicas follow the spec again' },
      { id: `${HPA_KEY}/rw-compute-x`, reason: 'compute node group "x" is no longer in the spec' },
    ]);
  });
});

describe('HPAs not registered by the CompositeController', () => {
  const raw = parent(spec((c) => (c.compute.nodeGroups = [group({ replicas: 1, autoscaling: CPU(2, 6) })])));
  const noHpa = CHILD_KEYS.filter((k) => k !== HPA_KEY);

  it('nothing is autoscaled, replicas follow the spec, a condition says why', async () => {
    const r = await syncWithKeys(raw, noHpa);
    expect(hpas(r)).toEqual([]);
    expect(replicasOf(r, 'StatefulSet', 'rw-compute')).toBe(1);
    expect(groupStatus(r, 'compute')).toEqual({ name: '', target: 1, running: 0, exists: false });
    const c = (r.response.status.conditions as any[]).find((x) => x.type === ConditionType.Autoscaling);
    expect(c).toMatchObject({ status: 'False', reason: 'NotRegistered' });
    expect(c.message).toContain('rw-compute');
  });

  it('the condition goes away once registered', async () => {
    const first = await syncWithKeys(raw, noHpa);
    const withStatus = { ...raw, status: first.response.status };
    const r = await syncWithKeys(withStatus, CHILD_KEYS, stored(first));
    expect((r.response.status.conditions as any[]).map((x) => x.type)).not.toContain(ConditionType.Autoscaling);
    expect(hpas(r)).toHaveLength(1);
  });
});

describe('an invalid autoscaling spec', () => {
  it.each([
    ['min > max', CPU(5, 3)],
    ['no metric', { maxReplicas: 3 }],
    ['a malformed metric', { maxReplicas: 3, metrics: [{ type: 'Resource' }] }],
  ])('%s: Valid=False and every child is kept as it is', async (_what, autoscaling) => {
    const good = parent(spec((c) => (c.compute.nodeGroups = [group({ replicas: 1, autoscaling: CPU(2, 6) })])));
    const first = await render(good);
    const observed = scaled(stored(first), 'rw-compute', 4);
    const r = await render(parent(spec((c) => (c.compute.nodeGroups = [group({ replicas: 1, autoscaling })]))), { observed });
    expect(r.outcome).toBe('invalid');
    const valid = (r.response.status.conditions as any[]).find((x) => x.type === 'Valid');
    expect(valid).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(valid.message).toContain('spec.components.compute.nodeGroups[0].autoscaling');
    expect(r.removed).toEqual([]);
    expect(r.carriedOver.length).toBe(observed.length);
    expect(hpas(r)).toEqual([first.response.children.find((c) => c.kind === 'HorizontalPodAutoscaler')]);
    // Not asserted: the workload's replicas. Carried over as last applied (2), which undoes the HPA's 4;
    // see test/lifecycle/autoscaling.test.ts (known gap in src/kube/carry-over.ts).
  });
});
