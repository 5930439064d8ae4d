import { describe, expect, it } from 'vitest';
import { isRolledOut, rolloutBlocker } from '../../../src/reactions/status/rollout.js';
import type { KubeObject } from '../../../src/kube/kube-object.js';

const sts = (generation: number, replicas: number | undefined, status: Record<string, unknown>, kind = 'StatefulSet'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'w', generation },
  spec: replicas === undefined ? {} : { replicas },
  status,
});

describe('rolled out (reference §4.6)', () => {
  const done = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 };
  it.each([
    ['fully rolled out', sts(2, 3, done), true],
    ['controller has not observed the new generation', sts(3, 3, done), false],
    ['observedGeneration ahead is fine', sts(1, 3, done), true],
    ['not every replica updated', sts(2, 3, { ...done, updatedReplicas: 2 }), false],
    ['old replicas still around', sts(2, 3, { ...done, replicas: 4 }), false],
    ['updated but not available', sts(2, 3, { ...done, availableReplicas: 1, readyReplicas: 1 }), false],
    ['availableReplicas missing (k8s 1.21): readyReplicas counts', sts(2, 3, { ...done, availableReplicas: 0 }), true],
    ['availableReplicas 0 and readyReplicas short', sts(2, 3, { ...done, availableReplicas: 0, readyReplicas: 2 }), false],
    ['spec.replicas absent means 1', sts(2, undefined, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1 }), true],
    ['spec.replicas absent, nothing updated', sts(2, undefined, { observedGeneration: 2 }), false],
    ['scaled to zero', sts(2, 0, { observedGeneration: 2, replicas: 0 }), true],
    ['no status at all', sts(1, 1, {}), false],
    [
      'Deployment past its progress deadline',
      sts(2, 3, { ...done, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }, 'Deployment'),
      false,
    ],
    [
      'Deployment progressing normally',
      sts(2, 3, { ...done, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] }, 'Deployment'),
      true,
    ],
  ])('%s', (_name, w, expected) => {
    expect(isRolledOut(w)).toBe(expected);
    expect(rolloutBlocker(w) === undefined).toBe(expected);
  });
});
