import { describe, expect, it } from 'vitest';
import { condition, expectCondition, podTemplates, running, type Spec } from './helpers.js';

describe('spec changes on a Running RisingWave', () => {
  it('restartAt rolls exactly that group: only its pod template changes, Upgrading until it is rolled out', async () => {
    const s = await running();
    const before = podTemplates(s.cluster);
    s.cluster.edit((p) => {
      (p.spec as Spec).components.compute.nodeGroups[1].restartAt = '2026-02-01T00:00:00Z';
    });
    const { result, report } = await s.step();
    const up = expectCondition(result.response, 'Upgrading', 'True', 'RollingOut');
    expect(up.lastTransitionTime).toBe(s.clock);
    expectCondition(result.response, 'Running', 'True');
    expect(result.response.resyncAfterSeconds).toBe(5);
    // Every workload carries the new generation label, but only one pod template changed.
    expect(report.updated.filter((id) => id.includes('StatefulSet') || id.includes('Deployment')).length).toBe(5);
    const after = podTemplates(s.cluster);
    const changed = Object.keys(after).filter((n) => after[n] !== before[n]);
    expect(changed).toEqual(['rw-compute-analytics']);
    expect(after['rw-compute-analytics']).toContain('risingwave/restart-at');

    // The other workloads' status still matches their (unchanged) spec generation; only analytics waits.
    s.advance(5);
    for (const n of ['rw-meta', 'rw-compute', 'rw-frontend', 'rw-compactor']) s.cluster.rollOut(n);
    const waiting = (await s.step()).result;
    expect(condition(waiting.response, 'Upgrading')!.message).toBe('waiting for compute/analytics to roll out generation 2');
    expect(condition(waiting.response, 'Upgrading')!.lastTransitionTime).toBe(up.lastTransitionTime);

    s.cluster.rollOut('rw-compute-analytics');
    s.advance(5);
    const done = (await s.step()).result;
    expectCondition(done.response, 'Upgrading', 'False', 'RolledOut');
    expectCondition(done.response, 'Running', 'True');
    expect(done.response.resyncAfterSeconds).toBeUndefined();
  });

  it('a replicas change scales the workload and moves target; running follows readyReplicas', async () => {
    const s = await running();
    s.cluster.edit((p) => {
      (p.spec as Spec).components.frontend.nodeGroups[0].replicas = 5;
    });
    const { result } = await s.step();
    expect((s.cluster.get('Deployment', 'rw-frontend')!.spec as Spec).replicas).toBe(5);
    expectCondition(result.response, 'Upgrading', 'True');
    const fe = (result.response.status.componentReplicas as Spec).frontend;
    expect(fe).toEqual({ groups: [{ exists: true, name: '', running: 2, target: 5 }], running: 2, target: 5 });

    s.cluster.rollOutAll();
    const done = (await s.step()).result;
    expect((done.response.status.componentReplicas as Spec).frontend.running).toBe(5);
    expectCondition(done.response, 'Upgrading', 'False', 'RolledOut');
  });

  it('spec.image: Upgrading=True until every workload runs the new template, Running stays True, version follows', async () => {
    const s = await running();
    const runningSince = condition(s.last.response, 'Running')!.lastTransitionTime;
    s.cluster.edit((p) => {
      (p.spec as Spec).image = 'risingwavelabs/risingwave:v2.5.0';
    });
    const first = (await s.step()).result;
    expect(first.response.status.version).toBe('v2.5.0');
    expectCondition(first.response, 'Upgrading', 'True', 'RollingOut');
    // Not rolled out yet: Metacontroller just updated them, their controllers have not observed the change.
    s.advance(5);
    const second = (await s.step()).result;
    expect(condition(second.response, 'Upgrading')!.message).toBe(
      'waiting for compactor, compute, compute/analytics, frontend, meta to roll out generation 2',
    );
    expect(condition(second.response, 'Running')).toMatchObject({ status: 'True', lastTransitionTime: runningSince });
    s.cluster.rollOutAll();
    const done = (await s.step()).result;
    expectCondition(done.response, 'Upgrading', 'False', 'RolledOut');
    expect(condition(done.response, 'Running')!.lastTransitionTime).toBe(runningSince);
  });

  it('a group image rolls only that group', async () => {
    const s = await running();
    const before = podTemplates(s.cluster);
    s.cluster.edit((p) => {
      (p.spec as Spec).components.compactor.nodeGroups[0].template = { spec: { image: 'risingwavelabs/risingwave:v2.5.0' } };
    });
    await s.step();
    const after = podTemplates(s.cluster);
    expect(Object.keys(after).filter((n) => after[n] !== before[n])).toEqual(['rw-compactor']);
    for (const n of ['rw-meta', 'rw-compute', 'rw-compute-analytics', 'rw-frontend']) s.cluster.rollOut(n);
    const waiting = (await s.step()).result;
    expect(condition(waiting.response, 'Upgrading')!.message).toBe('waiting for compactor to roll out generation 2');
  });

  it('a removed group: its workload is deleted in the same response and is not reported', async () => {
    const s = await running();
    s.cluster.edit((p) => {
      (p.spec as Spec).components.compute.nodeGroups.splice(1, 1);
    });
    const { result, report } = await s.step();
    expect(result.removed).toEqual(['StatefulSet.apps/v1/rw-compute-analytics']);
    expect(report.deleted).toEqual(['StatefulSet.apps/v1/rw-compute-analytics']);
    expect((result.response.status.componentReplicas as Spec).compute).toEqual({
      groups: [{ exists: true, name: '', running: 2, target: 2 }],
      running: 2,
      target: 2,
    });
  });
});
