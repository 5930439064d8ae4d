import { describe, expect, it } from 'vitest';
import { condition, expectCondition, running, type Spec } from './helpers.js';

describe('a component switches form', () => {
  it('frontend Deployment → StatefulSet: the old form is deleted in the same response and not counted', async () => {
    const s = await running();
    s.cluster.edit((p) => {
      (p.spec as Spec).enableFrontendStatefulSet = true;
    });
    const { result, report } = await s.step();
    expect(report.deleted).toEqual(['Deployment.apps/v1/rw-frontend']);
    expect(report.created.sort()).toEqual(['Service.v1/rw-frontend-headless', 'StatefulSet.apps/v1/rw-frontend']);
    // The Deployment's pods are going with it: the status describes what the response leaves behind.
    expect((result.response.status.componentReplicas as Spec).frontend).toEqual({
      groups: [{ exists: false, name: '', running: 0, target: 2 }],
      running: 0,
      target: 2,
    });
    const run = expectCondition(result.response, 'Running', 'False', 'ChildrenMissing');
    expect(run.message).toBe('missing Service rw-frontend-headless, StatefulSet rw-frontend (created by this sync)');
    expectCondition(result.response, 'Upgrading', 'True', 'ChildrenMissing');

    s.cluster.rollOutAll();
    s.advance(5);
    await s.step();
    expectCondition(s.last.response, 'Running', 'True');
    expectCondition(s.last.response, 'Upgrading', 'False', 'RolledOut');
    expect((s.last.response.status.componentReplicas as Spec).frontend.groups).toEqual([{ exists: true, name: '', running: 2, target: 2 }]);
  });

  it('standalone on: the group workloads and Services go, only componentReplicas.standalone is reported', async () => {
    const s = await running();
    s.cluster.edit((p) => {
      (p.spec as Spec).enableStandaloneMode = true;
      (p.spec as Spec).components.standalone = { replicas: 1 };
    });
    const { result, report } = await s.step();
    expect(report.deleted.sort()).toEqual([
      'Deployment.apps/v1/rw-compactor',
      'Deployment.apps/v1/rw-frontend',
      'Service.v1/rw-compactor',
      'Service.v1/rw-compute',
      'Service.v1/rw-meta',
      'StatefulSet.apps/v1/rw-compute',
      'StatefulSet.apps/v1/rw-compute-analytics',
      'StatefulSet.apps/v1/rw-meta',
    ]);
    expect(result.response.status.componentReplicas).toEqual({
      standalone: { groups: [{ exists: false, name: '', running: 0, target: 1 }], running: 0, target: 1 },
    });
    s.cluster.rollOutAll();
    await s.step();
    expectCondition(s.last.response, 'Running', 'True');
    expect(condition(s.last.response, 'Initializing')).toBeUndefined();
    expect(s.cluster.names()).toEqual(['ConfigMap/rw-default-config', 'Service/rw-frontend', 'Service/rw-standalone', 'StatefulSet/rw-standalone']);
  });
});
