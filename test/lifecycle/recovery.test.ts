import { describe, expect, it } from 'vitest';
import { condition, expectCondition, running, Scenario, type Spec } from './helpers.js';

describe('recovery and gates', () => {
  it('a child deleted by hand is recreated in the same response; Running=False meanwhile, then True again', async () => {
    const s = await running();
    s.cluster.deleteChild('StatefulSet', 'rw-compute');
    s.cluster.deleteChild('Service', 'rw-meta');
    const { result, report } = await s.step();
    expect(report.created.sort()).toEqual(['Service.v1/rw-meta', 'StatefulSet.apps/v1/rw-compute']);
    const r = expectCondition(result.response, 'Running', 'False', 'ChildrenMissing');
    expect(r.message).toBe('missing Service rw-meta, StatefulSet rw-compute (created by this sync)');
    expect(r.lastTransitionTime).toBe(s.clock);
    expect(condition(result.response, 'Initializing')).toBeUndefined();
    expect((result.response.status.componentReplicas as Spec).compute.groups[0]).toEqual({ exists: false, name: '', running: 0, target: 2 });
    expect(result.response.resyncAfterSeconds).toBe(5);

    s.advance(5);
    const waiting = (await s.step()).result;
    const w = expectCondition(waiting.response, 'Running', 'False', 'RollingOut');
    expect(w.message).toBe('waiting for compute to roll out generation 1');
    expect(w.lastTransitionTime).toBe(r.lastTransitionTime);
    expect(waiting.response.resyncAfterSeconds).toBe(10);

    s.cluster.rollOut('rw-compute');
    s.advance(5);
    const back = (await s.step()).result;
    expectCondition(back.response, 'Running', 'True', 'AllComponentsReady');
    expect(back.response.resyncAfterSeconds).toBeUndefined();
  });

  it('an invalid edit: Valid=False with the problems, Synced=False, every child carried over unchanged', async () => {
    const s = await running();
    const before = JSON.stringify(s.last.response.children);
    const statusBefore = s.last.response.status;
    s.cluster.edit((p) => {
      const groups = (p.spec as Spec).components.compute.nodeGroups;
      groups.push({ ...groups[0], replicas: 9 });
      (p.spec as Spec).image = 'risingwavelabs/risingwave:v9.9.9';
    });
    const { result, report } = await s.step();
    expect(result.outcome).toBe('invalid');
    const valid = expectCondition(result.response, 'Valid', 'False', 'InvalidSpec');
    expect(valid.message).toContain('duplicate node group name');
    expectCondition(result.response, 'Synced', 'False', 'InvalidSpec');
    expect(JSON.stringify(result.response.children)).toBe(before);
    expect(report).toEqual({ created: [], updated: [], deleted: [] });
    // Other status fields keep their values (the image change is not reported as done).
    expect(result.response.status.version).toBe(statusBefore.version);
    expect(result.response.status.componentReplicas).toEqual(statusBefore.componentReplicas);
    expect(result.response.resyncAfterSeconds).toBeUndefined();

    // Fixing it resumes: the image change is now an upgrade.
    s.cluster.edit((p) => {
      (p.spec as Spec).components.compute.nodeGroups.pop();
    });
    const fixed = (await s.step()).result;
    expectCondition(fixed.response, 'Valid', 'True');
    expectCondition(fixed.response, 'Synced', 'True');
    expectCondition(fixed.response, 'Upgrading', 'True', 'RollingOut');
  });

  it('paused: every child carried over unchanged, Synced=False reason=Paused; unpausing applies the pending edit', async () => {
    const s = await running();
    const before = JSON.stringify(s.last.response.children);
    s.cluster.edit((p) => {
      p.metadata.annotations = { 'risingwave.risingwavelabs.com/pause-reconcile': '' };
      (p.spec as Spec).components.frontend.nodeGroups[0].replicas = 7;
    });
    s.cluster.deleteChild('Service', 'rw-compactor');
    const { result, report } = await s.step();
    expect(result.outcome).toBe('paused');
    expectCondition(result.response, 'Synced', 'False', 'Paused');
    // Nothing is decided: the children are the last-applied ones, minus the one deleted by hand (it is not
    // recreated while paused).
    const expected = (JSON.parse(before) as { kind: string; metadata: { name: string } }[]).filter(
      (c) => !(c.kind === 'Service' && c.metadata.name === 'rw-compactor'),
    );
    expect(JSON.stringify(result.response.children)).toBe(JSON.stringify(expected));
    expect(s.names()).not.toContain('Service/rw-compactor');
    expect(report).toEqual({ created: [], updated: [], deleted: [] });
    expect((s.cluster.get('Deployment', 'rw-frontend')!.spec as Spec).replicas).toBe(2);
    // Two paused syncs of the same state: identical answers.
    expect(JSON.stringify((await s.sync()).response)).toBe(JSON.stringify(result.response));

    s.cluster.edit((p) => {
      p.metadata.annotations = {};
    });
    const resumed = (await s.step()).result;
    expectCondition(resumed.response, 'Synced', 'True', 'Reconciled');
    expect((s.cluster.get('Deployment', 'rw-frontend')!.spec as Spec).replicas).toBe(7);
    expect(s.names()).toContain('Service/rw-compactor');
  });
});

describe('conditions written by another controller (after a switch from risingwave-operator)', () => {
  /** The operator's form: reason and message empty, only type, status and lastTransitionTime. */
  function operatorConditions(s: Scenario): void {
    s.cluster.parent.status = {
      ...s.cluster.parent.status,
      conditions: [
        { type: 'Running', status: 'True', lastTransitionTime: '2025-06-01T00:00:00Z' },
        { type: 'Upgrading', status: 'False', lastTransitionTime: '2025-06-02T00:00:00Z' },
      ],
    };
  }

  it('are said again in our words once every component is ready, keeping their transition times', async () => {
    const s = await running();
    operatorConditions(s);
    const { result, report } = await s.step();
    expect(report).toEqual({ created: [], updated: [], deleted: [] });
    const r = expectCondition(result.response, 'Running', 'True', 'AllComponentsReady');
    expect(r.lastTransitionTime).toBe('2025-06-01T00:00:00Z');
    const u = expectCondition(result.response, 'Upgrading', 'False', 'RolledOut');
    expect(u.lastTransitionTime).toBe('2025-06-02T00:00:00Z');
    expect(u.message).toBe('generation 1 is rolled out');
    // Said once: the next sync of the same state answers the same status.
    const again = (await s.step()).result;
    expect(again.response.status).toEqual(result.response.status);
  });

  it('are left as they are while a workload is not rolled out, and a spec change moves Upgrading as usual', async () => {
    const s = await running();
    operatorConditions(s);
    s.cluster.setWorkloadStatus('rw-compute', { replicas: 2, readyReplicas: 1, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 1, observedGeneration: 1 });
    const waiting = (await s.step()).result;
    expect(condition(waiting.response, 'Running')).toMatchObject({ status: 'True', reason: '' });

    s.cluster.rollOutAll();
    s.cluster.edit((p) => {
      (p.spec as Spec).components.frontend.nodeGroups[0].replicas = 3;
    });
    const upgrading = (await s.step()).result;
    expectCondition(upgrading.response, 'Upgrading', 'True', 'RollingOut');
  });
});
