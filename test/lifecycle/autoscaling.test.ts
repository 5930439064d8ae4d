// An autoscaled compute group through Metacontroller's apply (the simulator's 3-way merge) over several
// syncs: created at the clamped count with its HPA, then an HPA decision (the workload's replicas changed by
// someone else) survives every later sync — including spec edits of `replicas` — until autoscaling is
// removed, which deletes the HPA and hands the count back to the spec.
import { describe, expect, it } from 'vitest';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { basicRisingWave } from '../fixtures/specs.js';
import { DEFAULT_CHILD_KEYS } from '../support/apiserver.js';
import { expectCondition, Scenario, type Spec } from './helpers.js';
const HPA_KEY = 'HorizontalPodAutoscaler.autoscaling/v2';
const AUTOSCALING = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 };

function autoscaled(): Scenario {
  const rw = basicRisingWave();
  (rw.spec as Spec).components.compute.nodeGroups[0] = { name: '', replicas: 1, autoscaling: AUTOSCALING };
  return new Scenario(rw, {}, { childKeys: [...DEFAULT_CHILD_KEYS, HPA_KEY] });
}

/** What the HPA controller does through the scale subresource: spec.replicas only, a new generation. */
function hpaScales(s: Scenario, name: string, replicas: number): void {
  const key = 'StatefulSet.apps/v1';
  const obj = structuredClone(s.cluster.observed[key]![name]!);
  (obj.spec as Spec).replicas = replicas;
  obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
  obj.metadata.resourceVersion = String(Number(obj.metadata.resourceVersion) + 500);
  s.cluster.observed[key]![name] = obj;
  const hpa = structuredClone(s.cluster.observed[HPA_KEY]![name]!);
  hpa.status = { currentReplicas: replicas, desiredReplicas: replicas, conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }] };
  s.cluster.observed[HPA_KEY]![name] = hpa;
}

const storedReplicas = (s: Scenario, name = 'rw-compute') => (s.cluster.get('StatefulSet', name)!.spec as Spec).replicas;
const computeStatus = (s: Scenario) => (s.last.response.status.componentReplicas as Spec).compute;

describe('an autoscaled group on the simulated API server', () => {
  it('is created clamped with its HPA, keeps the HPA count across syncs and spec edits, and returns to the spec when autoscaling is removed', async () => {
    const s = autoscaled();
    await s.bringUp();
    expect(storedReplicas(s)).toBe(2);
    expect(storedReplicas(s, 'rw-compute-analytics')).toBe(1);
    const hpa = s.cluster.get('HorizontalPodAutoscaler', 'rw-compute')!;
    new HorizontalPodAutoscaler(hpa as never).validate();
    expect((hpa.spec as Spec).scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'rw-compute' });

    // The HPA scales up; the hook's next syncs keep that count and settle (one annotation-only update, then none).
    hpaScales(s, 'rw-compute', 4);
    s.cluster.rollOutAll();
    const updates: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const { report } = await s.step();
      updates.push(report.updated);
      expect(storedReplicas(s)).toBe(4);
    }
    expect(updates.at(-1)).toEqual([]);
    expectCondition(s.last.response, 'Running', 'True');
    expect(computeStatus(s).groups.find((g: Spec) => g.name === '')).toEqual({
      name: '',
      target: 4,
      running: 4,
      exists: true,
      autoscaling: { minReplicas: 2, maxReplicas: 5, currentReplicas: 4, desiredReplicas: 4 },
    });

    // Editing the group's replicas is a new generation (labels roll), but the HPA keeps the count.
    s.cluster.edit((p) => {
      (p.spec as Spec).components.compute.nodeGroups[0].replicas = 3;
    });
    const edited = (await s.step()).result;
    expectCondition(edited.response, 'Upgrading', 'True');
    expect(storedReplicas(s)).toBe(4);
    s.cluster.rollOutAll();
    for (let i = 0; i < 3; i++) await s.step();
    expect(storedReplicas(s)).toBe(4);
    expectCondition(s.last.response, 'Upgrading', 'False', 'RolledOut');
    expect(s.cluster.names()).toContain('HorizontalPodAutoscaler/rw-compute');

    // Autoscaling removed: the HPA is deleted in the same sync and the spec's replicas apply again.
    s.cluster.edit((p) => {
      delete (p.spec as Spec).components.compute.nodeGroups[0].autoscaling;
    });
    const { result, report } = await s.step();
    expect(report.deleted).toEqual([`${HPA_KEY}/rw-compute`]);
    expect(result.removed).toEqual([`${HPA_KEY}/rw-compute`]);
    expect(storedReplicas(s)).toBe(3);
    expect(s.cluster.names().filter((n) => n.startsWith('HorizontalPodAutoscaler'))).toEqual([]);
    expect(computeStatus(s).groups.find((g: Spec) => g.name === '')).toMatchObject({ target: 3 });
    expect(computeStatus(s).groups.find((g: Spec) => g.name === '').autoscaling).toBeUndefined();
  });

  async function invalidAfterHpaScaled(pause = false) {
    const s = autoscaled();
    await s.bringUp();
    hpaScales(s, 'rw-compute', 3);
    const before = structuredClone(s.cluster.observed);
    s.cluster.edit((p) => {
      if (pause) p.metadata.annotations = { 'risingwave.risingwavelabs.com/pause-reconcile': 'true' };
      else (p.spec as Spec).components.compute.nodeGroups[0].autoscaling = { minReplicas: 4, maxReplicas: 3, targetCPUUtilizationPercentage: 70 };
    });
    const { result, report } = await s.step();
    return { s, before, result, report };
  }

  it('an invalid autoscaling edit creates and deletes nothing and keeps the HPA', async () => {
    const { s, before, result, report } = await invalidAfterHpaScaled();
    expectCondition(result.response, 'Valid', 'False', 'InvalidSpec');
    expect(report.created).toEqual([]);
    expect(report.deleted).toEqual([]);
    expect(s.cluster.observed[HPA_KEY]).toEqual(before[HPA_KEY]);
  });

  // A gated sync (invalid spec, pause-reconcile, failed reaction) carries every child over as its
  // last-applied configuration, and Metacontroller's merge takes desired scalars as they are: without the
  // observed spec.replicas kept by src/kube/carry-over.ts the HPA's decision would be undone (3 -> 2).
  it.each([false, true])('a gated sync (pause=%s) keeps the count the HPA set', async (pause) => {
    const { s } = await invalidAfterHpaScaled(pause);
    expect(storedReplicas(s)).toBe(3);
  });
});
