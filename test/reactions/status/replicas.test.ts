import { describe, expect, it } from 'vitest';
import { prepareRisingWave } from '../../../src/api/prepare.js';
import { componentReplicas } from '../../../src/reactions/status/replicas.js';
import type { KubeObject } from '../../../src/kube/kube-object.js';
import { basicRisingWave, standaloneRisingWave } from '../../fixtures/specs.js';

function workload(kind: string, name: string, component: string, group: string | undefined, ready: number, rw = 'rw'): KubeObject {
  const labels: Record<string, string> = { 'risingwave/name': rw, 'risingwave/component': component };
  if (group !== undefined) labels['risingwave/group'] = group;
  return { apiVersion: 'apps/v1', kind, metadata: { name, labels }, status: { readyReplicas: ready } };
}

describe('componentReplicas', () => {
  const { rw } = prepareRisingWave(basicRisingWave());

  it('sums spec targets and observed readyReplicas, groups sorted, missing groups exists=false', () => {
    const got = componentReplicas(rw, [
      workload('StatefulSet', 'rw-compute-analytics', 'compute', 'analytics', 1),
      workload('StatefulSet', 'rw-meta', 'meta', '', 1),
    ]);
    expect(got.compute).toEqual({
      groups: [
        { exists: false, name: '', running: 0, target: 2 },
        { exists: true, name: 'analytics', running: 1, target: 1 },
      ],
      running: 1,
      target: 3,
    });
    expect(got.meta).toEqual({ groups: [{ exists: true, name: '', running: 1, target: 1 }], running: 1, target: 1 });
    expect(Object.keys(got).sort()).toEqual(['compactor', 'compute', 'frontend', 'meta']);
  });

  it('a kept workload whose group left the spec is listed as <group>(-) with target 0 and counts as running', () => {
    const got = componentReplicas(rw, [
      workload('StatefulSet', 'rw-compute', 'compute', '', 2),
      workload('StatefulSet', 'rw-compute-old', 'compute', 'old', 3),
      workload('StatefulSet', 'rw-compute-a', 'compute', 'a', 1),
    ]);
    expect(got.compute!.groups!.map((g) => g.name)).toEqual(['', 'a(-)', 'analytics', 'old(-)']);
    expect(got.compute!.groups![1]).toEqual({ exists: true, name: 'a(-)', running: 1, target: 0 });
    expect(got.compute!.running).toBe(6);
    expect(got.compute!.target).toBe(3);
  });

  it('ignores workloads of another RisingWave', () => {
    const got = componentReplicas(rw, [workload('StatefulSet', 'x-meta', 'meta', '', 5, 'other')]);
    expect(got.meta!.running).toBe(0);
  });

  it('a component without groups reports zeros and no groups list', () => {
    const { rw: empty } = prepareRisingWave(basicRisingWave('rw', { components: { meta: { nodeGroups: [{ name: '', replicas: 1 }] } } }));
    expect(componentReplicas(empty, []).compactor).toEqual({ running: 0, target: 0 });
  });

  it('standalone: only standalone, one group named ""', () => {
    const { rw: solo } = prepareRisingWave(standaloneRisingWave());
    expect(componentReplicas(solo, [workload('StatefulSet', 'rw-solo-standalone', 'standalone', '', 1, 'rw-solo')])).toEqual({
      standalone: { groups: [{ exists: true, name: '', running: 1, target: 1 }], running: 1, target: 1 },
    });
    expect(componentReplicas(solo, [])).toEqual({
      standalone: { groups: [{ exists: false, name: '', running: 0, target: 1 }], running: 0, target: 1 },
    });
  });
});
