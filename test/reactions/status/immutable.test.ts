import { describe, expect, it } from 'vitest';
import { immutableFieldChanges, isContainedIn } from '../../../src/reactions/status/immutable.js';
import type { KubeObject } from '../../../src/kube/kube-object.js';

const LAST = 'metacontroller.k8s.io/last-applied-configuration';
const vct = (storage: string) => [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } }];
const desired = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec });
const selector = { matchLabels: { app: 'x' } };

/** An observed StatefulSet as the server stores it: last-applied = `applied`, live = applied + defaults. */
function observed(applied: Record<string, unknown>, live: Record<string, unknown> = {}): KubeObject {
  const obj = desired(applied);
  return {
    ...obj,
    metadata: { name: 's', annotations: { [LAST]: JSON.stringify(obj) } },
    spec: { podManagementPolicy: 'OrderedReady', ...applied, ...live },
  };
}

describe('immutable StatefulSet fields', () => {
  const base = { selector, serviceName: 'svc', volumeClaimTemplates: vct('10Gi'), replicas: 1 };

  it('an unchanged spec and a mutable change do not fire', () => {
    expect(immutableFieldChanges(observed(base), desired(base))).toEqual([]);
    expect(immutableFieldChanges(observed(base), desired({ ...base, replicas: 5 }))).toEqual([]);
  });

  it.each([
    ['volumeClaimTemplates', { volumeClaimTemplates: vct('20Gi') }],
    ['serviceName', { serviceName: 'other' }],
    ['selector', { selector: { matchLabels: { app: 'y' } } }],
    ['podManagementPolicy', { podManagementPolicy: 'Parallel' }],
  ])('a change of %s fires, naming the field', (field, change) => {
    expect(immutableFieldChanges(observed(base), desired({ ...base, ...change }))).toEqual([field]);
  });

  it('adding and removing volume claim templates fires', () => {
    const { volumeClaimTemplates: _v, ...without } = base;
    expect(immutableFieldChanges(observed(without), desired(base))).toEqual(['volumeClaimTemplates']);
    expect(immutableFieldChanges(observed(base), desired(without))).toEqual(['volumeClaimTemplates']);
  });

  it('server defaulting never fires: explicit defaults equal to the stored value are accepted in place', () => {
    const live = { volumeClaimTemplates: [{ ...vct('10Gi')[0], apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { ...vct('10Gi')[0]!.spec, volumeMode: 'Filesystem' } }] };
    expect(immutableFieldChanges(observed(base, live), desired(base))).toEqual([]);
    // The hook starts spelling out a server default: last-applied differs, but the live value matches.
    expect(immutableFieldChanges(observed(base), desired({ ...base, podManagementPolicy: 'OrderedReady' }))).toEqual([]);
    const explicit = { ...base, volumeClaimTemplates: [{ ...vct('10Gi')[0], spec: { ...vct('10Gi')[0]!.spec, volumeMode: 'Filesystem' } }] };
    expect(immutableFieldChanges(observed(base, live), desired(explicit))).toEqual([]);
    // …but not when the stored value lacks it (the server would refuse the update).
    expect(immutableFieldChanges(observed(base), desired(explicit))).toEqual(['volumeClaimTemplates']);
    expect(immutableFieldChanges(observed({ ...base, volumeClaimTemplates: [] }), desired({ ...base, volumeClaimTemplates: undefined }))).toEqual([]);
  });

  it('without a readable last-applied annotation nothing is known, so nothing fires', () => {
    const obj = { ...desired(base), metadata: { name: 's' } };
    expect(immutableFieldChanges(obj, desired({ ...base, serviceName: 'x' }))).toEqual([]);
    const broken = { ...desired(base), metadata: { name: 's', annotations: { [LAST]: '{not json' } } };
    expect(immutableFieldChanges(broken, desired({ ...base, serviceName: 'x' }))).toEqual([]);
  });

  it('isContainedIn: extra keys in the stored value are defaults; lists must match in length', () => {
    expect(isContainedIn({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(isContainedIn({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(isContainedIn([{ a: 1 }], [{ a: 1, z: 0 }])).toBe(true);
    expect(isContainedIn([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toBe(false);
    expect(isContainedIn('x', 'y')).toBe(false);
  });
});
