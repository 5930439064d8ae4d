import { describe, expect, it } from 'vitest';
import { basicRisingWave } from '../fixtures/specs.js';
import { condition, expectCondition, running, Scenario, type Spec } from './helpers.js';

describe('immutable StatefulSet fields', () => {
  it('one sync without that StatefulSet (Recreating), then it returns, then nothing more', async () => {
    const s = await running();
    s.cluster.edit((p) => {
      (p.spec as Spec).components.compute.nodeGroups[1].volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi';
    });
    const first = await s.step();
    expect(first.result.removed).toEqual(['StatefulSet.apps/v1/rw-compute-analytics']);
    expect(s.names(first.result.response)).not.toContain('StatefulSet/rw-compute-analytics');
    expect(first.report.deleted).toEqual(['StatefulSet.apps/v1/rw-compute-analytics']);
    const rec = expectCondition(first.result.response, 'Recreating', 'True', 'ImmutableFieldChanged');
    expect(rec.message).toContain('StatefulSet rw-compute-analytics (spec.volumeClaimTemplates)');
    const run = expectCondition(first.result.response, 'Running', 'False', 'ChildrenMissing');
    expect(run.message).toContain('recreating StatefulSet rw-compute-analytics');
    // Every other child is kept and updated normally.
    expect(first.report.created).toEqual([]);

    s.advance(5);
    const second = await s.step();
    expect(second.report.created).toEqual(['StatefulSet.apps/v1/rw-compute-analytics']);
    expect(second.report.deleted).toEqual([]);
    expect(condition(second.result.response, 'Recreating')).toBeUndefined();
    const vct = (s.cluster.get('StatefulSet', 'rw-compute-analytics')!.spec as Spec).volumeClaimTemplates[0];
    expect(vct.spec.resources.requests.storage).toBe('20Gi');

    // From here on it is an ordinary StatefulSet: no more deletes, and it rolls out.
    for (let i = 0; i < 3; i++) {
      s.advance(5);
      const again = await s.step();
      expect(again.report.deleted).toEqual([]);
      expect(again.result.removed).toEqual([]);
      s.cluster.rollOutAll();
    }
    expectCondition(s.last.response, 'Running', 'True');
    expectCondition(s.last.response, 'Upgrading', 'False', 'RolledOut');
  });

  it('server defaults on the stored StatefulSet never look like an immutable change', async () => {
    const s = await running();
    const sts = s.cluster.get('StatefulSet', 'rw-compute-analytics')!;
    expect((sts.spec as Spec).podManagementPolicy).toBeDefined();
    expect((sts.spec as Spec).volumeClaimTemplates[0].spec.volumeMode).toBe('Filesystem');
    const { result, report } = await s.step();
    expect(result.removed).toEqual([]);
    expect(report).toEqual({ created: [], updated: [], deleted: [] });
  });
});

describe('rollout deadline', () => {
  it('an upgrade not rolled out after rolloutDeadlineSeconds: RolloutStuck once, status stable, nothing deleted', async () => {
    const s = await running();
    s.cluster.edit((p) => {
      (p.spec as Spec).image = 'risingwavelabs/risingwave:v2.5.0';
    });
    await s.step();
    const since = condition(s.last.response, 'Upgrading')!.lastTransitionTime;
    // Everything but compute rolls out.
    for (const n of ['rw-meta', 'rw-compute-analytics', 'rw-frontend', 'rw-compactor']) s.cluster.rollOut(n);
    s.advance(599);
    const before = (await s.step()).result;
    expectCondition(before.response, 'Upgrading', 'True', 'RollingOut');
    expect(before.response.resyncAfterSeconds).toBe(60);

    s.advance(2);
    const stuck = await s.step();
    const c = expectCondition(stuck.result.response, 'Upgrading', 'True', 'RolloutStuck');
    expect(c.lastTransitionTime).toBe(since);
    expect(c.message).toBe(`compute not rolled out 600 s after ${since}; nothing is deleted, check the pods`);
    expect(stuck.report.deleted).toEqual([]);
    expect(stuck.result.removed).toEqual([]);
    expectCondition(stuck.result.response, 'Running', 'True');
    expect(stuck.result.response.resyncAfterSeconds).toBe(60);

    // Later syncs of the same state: byte-identical status, no loop.
    s.advance(3600);
    const later = await s.step();
    expect(JSON.stringify(later.result.response.status)).toBe(JSON.stringify(stuck.result.response.status));
    expect(later.report).toEqual({ created: [], updated: [], deleted: [] });

    // It recovers when the rollout finishes.
    s.cluster.rollOut('rw-compute');
    const done = (await s.step()).result;
    expectCondition(done.response, 'Upgrading', 'False', 'RolledOut');
  });

  it('a first rollout that never finishes: Initializing and Running report RolloutStuck (custom deadline)', async () => {
    const s = new Scenario(basicRisingWave(), { rolloutDeadlineSeconds: 30 });
    await s.step();
    s.advance(10);
    await s.step();
    expectCondition(s.last.response, 'Initializing', 'True', 'RollingOut');
    s.advance(21);
    const { result } = await s.step();
    expectCondition(result.response, 'Initializing', 'True', 'RolloutStuck');
    expectCondition(result.response, 'Running', 'False', 'RolloutStuck');
    expect(condition(result.response, 'Running')!.message).toContain('compactor, compute, compute/analytics, frontend, meta not rolled out 30 s after');
  });
});
