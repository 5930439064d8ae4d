// Unit tests for the e2e driver's re-implementation of Metacontroller's dynamic apply
// (test/e2e/driver/merge.ts). Pure functions: no cluster needed.
import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  canonicalJson,
  deepEqual,
  detectListMapKey,
  getLastApplied,
  LAST_APPLIED_ANNOTATION,
  merge3,
  MergeError,
  type JsonObject,
} from './merge.js';

describe('merge3 objects and scalars', () => {
  it('removes keys that were applied before and are no longer desired', () => {
    const observed = { spec: { a: 1, b: 2, serverDefault: 'x' } };
    const last = { spec: { a: 1, b: 2 } };
    const desired = { spec: { a: 1 } };
    expect(merge3(observed, last, desired)).toEqual({ spec: { a: 1, serverDefault: 'x' } });
  });

  it('keeps keys it never set and replaces scalars', () => {
    const observed = { spec: { replicas: 1, revisionHistoryLimit: 10 }, metadata: { labels: { other: 'x' } } };
    expect(merge3(observed, { spec: { replicas: 1 } }, { spec: { replicas: 3 }, metadata: { labels: { mine: 'y' } } })).toEqual({
      spec: { replicas: 3, revisionHistoryLimit: 10 },
      metadata: { labels: { other: 'x', mine: 'y' } },
    });
  });

  it('without last-applied nothing is removed', () => {
    expect(merge3({ a: 1, b: 2 }, null, { a: 5 })).toEqual({ a: 5, b: 2 });
  });

  it('takes desired when observed is absent, null or a scalar', () => {
    expect(merge3({ a: null, b: 'x' }, {}, { a: { x: 1 }, b: [1], c: { d: 2 } })).toEqual({ a: { x: 1 }, b: [1], c: { d: 2 } });
  });

  it('sets a desired null scalar to null', () => {
    expect(merge3({ a: 1 }, { a: 1 }, { a: null })).toEqual({ a: null });
  });

  it('desired null for an observed object only drops last-applied keys (Metacontroller quirk)', () => {
    expect(merge3({ o: { a: 1, b: 2 } }, { o: { a: 1 } }, { o: null })).toEqual({ o: { b: 2 } });
  });

  it('throws on a type mismatch between observed object and desired scalar', () => {
    expect(() => merge3({ o: { a: 1 } }, {}, { o: 'str' })).toThrow(MergeError);
    expect(() => merge3({ l: [1] }, {}, { l: { a: 1 } })).toThrow(MergeError);
  });

  it('does not mutate its inputs', () => {
    const observed = { spec: { a: 1, l: [{ name: 'x', v: 1 }] } };
    const last = { spec: { a: 1 } };
    const desired = { spec: { b: 2, l: [{ name: 'x', v: 2 }] } };
    const copies = JSON.stringify([observed, last, desired]);
    merge3(observed, last, desired);
    expect(JSON.stringify([observed, last, desired])).toBe(copies);
  });
});

describe('merge3 lists', () => {
  it('merges list-maps by name, keeping server-defaulted fields of matched items', () => {
    const observed: JsonObject = {
      containers: [
        { name: 'a', image: 'a:1', terminationMessagePath: '/dev/termination-log' },
        { name: 'sidecar', image: 's:1' },
      ],
    };
    const last = { containers: [{ name: 'a', image: 'a:1' }] };
    const desired = { containers: [{ name: 'a', image: 'a:2' }] };
    expect(merge3(observed, last, desired)).toEqual({
      containers: [
        { name: 'a', image: 'a:2', terminationMessagePath: '/dev/termination-log' },
        { name: 'sidecar', image: 's:1' }, // never applied by us: kept
      ],
    });
  });

  it('removes list-map items that were applied before and are no longer desired', () => {
    const observed = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    const last = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    expect(merge3(observed, last, { env: [{ name: 'B', value: '3' }] })).toEqual({ env: [{ name: 'B', value: '3' }] });
  });

  it('keeps observed order and appends new desired items in desired order', () => {
    const observed = { l: [{ name: 'b' }, { name: 'a' }] };
    const desired = { l: [{ name: 'c' }, { name: 'a' }, { name: 'd' }, { name: 'b' }] };
    expect(merge3(observed, {}, desired)).toEqual({ l: [{ name: 'b' }, { name: 'a' }, { name: 'c' }, { name: 'd' }] });
  });

  it('prefers containerPort over port over name as merge key', () => {
    expect(detectListMapKey([{ name: 'http', containerPort: 80, port: 1 }], [{ name: 'x', containerPort: 81, port: 2 }])).toBe('containerPort');
    expect(detectListMapKey([{ name: 'http', port: 80 }])).toBe('port');
    expect(detectListMapKey([{ name: 'data', mountPath: '/data' }])).toBe('mountPath');
    expect(detectListMapKey([{ uid: 'u', ip: '1' }])).toBe('uid');
    expect(detectListMapKey([{ ip: '1', path: '/p' }])).toBe('ip');
    expect(detectListMapKey([{ path: '/p' }])).toBe('path');
    expect(detectListMapKey([{ key: 'k' }])).toBe('');
  });

  it('merges ports by numeric containerPort (stringified keys)', () => {
    const observed = { ports: [{ containerPort: 8080, protocol: 'TCP', name: 'a' }] };
    const last = { ports: [{ containerPort: 8080, name: 'a' }] };
    const desired = { ports: [{ containerPort: 8080, name: 'b' }, { containerPort: 9090, name: 'c' }] };
    expect(merge3(observed, last, desired)).toEqual({
      ports: [
        { containerPort: 8080, protocol: 'TCP', name: 'b' },
        { containerPort: 9090, name: 'c' },
      ],
    });
  });

  it('a merge key must be shared by every item of observed, last-applied and desired', () => {
    expect(detectListMapKey([{ name: 'a' }], [{ name: 'b' }], [{ other: 1 }])).toBe('');
    // observed has an item without "name": the whole list is replaced
    const observed: JsonObject = { l: [{ name: 'a', x: 1 }, { y: 2 }] };
    expect(merge3(observed, {}, { l: [{ name: 'a' }] })).toEqual({ l: [{ name: 'a' }] });
  });

  it('replaces lists of scalars and lists whose objects share no known key', () => {
    expect(merge3({ args: ['a', 'b'] }, { args: ['a'] }, { args: ['c'] })).toEqual({ args: ['c'] });
    expect(merge3({ t: [{ key: 'k', effect: 'E' }] }, {}, { t: [{ key: 'z' }] })).toEqual({ t: [{ key: 'z' }] });
  });

  it('an empty desired list is still a list-map when observed items share a key', () => {
    // never applied by us: kept
    expect(merge3({ l: [{ name: 'a' }] }, {}, { l: [] })).toEqual({ l: [{ name: 'a' }] });
    // applied before: removed
    expect(merge3({ l: [{ name: 'a' }] }, { l: [{ name: 'a' }] }, { l: [] })).toEqual({ l: [] });
  });

  it('all-empty lists give no key and the desired list wins', () => {
    expect(detectListMapKey([], [], [])).toBe('');
    expect(merge3({ l: [] }, null, { l: [] })).toEqual({ l: [] });
  });
});

describe('applyUpdate', () => {
  const desired: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'rw-meta', namespace: 'ns', labels: { app: 'rw', 'controller-uid': 'u1' } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'meta', image: 'rw:1' }] } } },
  };
  const created = (): JsonObject => ({
    ...structuredClone(desired),
    metadata: {
      ...(structuredClone(desired.metadata) as JsonObject),
      uid: 'child-uid',
      resourceVersion: '10',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: { [LAST_APPLIED_ANNOTATION]: canonicalJson(desired) },
      ownerReferences: [{ apiVersion: 'x/v1', kind: 'P', name: 'p', uid: 'u1', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      template: { spec: { containers: [{ name: 'meta', image: 'rw:1', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always' } },
    },
    status: { replicas: 1, readyReplicas: 1 },
  });

  it('is a no-op (deep-equal to observed) when desired did not change, whatever its key order', () => {
    const observed = created();
    expect(deepEqual(applyUpdate(observed, desired), observed)).toBe(true);
    const reordered = JSON.parse(JSON.stringify(desired, Object.keys(desired).reverse())) as JsonObject;
    expect(deepEqual(applyUpdate(observed, { ...reordered, ...desired }), observed)).toBe(true);
  });

  it('updates a changed field, keeps defaults and owner refs, and records the new last-applied', () => {
    const observed = created();
    const want = structuredClone(desired);
    ((want.spec as JsonObject).template as JsonObject).spec = { containers: [{ name: 'meta', image: 'rw:2' }] };
    const out = applyUpdate(observed, want);
    const c = (((out.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    expect(c).toEqual([{ name: 'meta', image: 'rw:2', imagePullPolicy: 'IfNotPresent' }]);
    expect((out.spec as JsonObject).revisionHistoryLimit).toBe(10);
    expect((out.metadata as JsonObject).ownerReferences).toEqual((observed.metadata as JsonObject).ownerReferences);
    expect(getLastApplied(out)).toEqual(want);
    expect(out.status).toEqual(observed.status);
  });

  it('resets status and ObjectMeta system fields to observed', () => {
    const observed = created();
    const want = structuredClone(desired);
    want.status = { replicas: 99 };
    (want.metadata as JsonObject).uid = 'evil';
    (want.metadata as JsonObject).resourceVersion = '1';
    (want.metadata as JsonObject).deletionTimestamp = '2026-01-01T00:00:00Z';
    const out = applyUpdate(observed, want);
    expect(out.status).toEqual(observed.status);
    expect((out.metadata as JsonObject).uid).toBe('child-uid');
    expect((out.metadata as JsonObject).resourceVersion).toBe('10');
    expect('deletionTimestamp' in (out.metadata as JsonObject)).toBe(false);
  });

  it('removes a label the hook stopped returning but keeps labels added by others', () => {
    const observed = created();
    ((observed.metadata as JsonObject).labels as JsonObject).addedByAdmin = 'yes';
    const want = structuredClone(desired);
    delete ((want.metadata as JsonObject).labels as JsonObject).app;
    const out = applyUpdate(observed, want);
    expect((out.metadata as JsonObject).labels).toEqual({ 'controller-uid': 'u1', addedByAdmin: 'yes' });
  });

  it("ignores the hook's own copy of the last-applied annotation", () => {
    const observed = created();
    const want = structuredClone(desired);
    (want.metadata as JsonObject).annotations = { [LAST_APPLIED_ANNOTATION]: '{"bogus":true}' };
    const out = applyUpdate(observed, want);
    expect(getLastApplied(out)).toEqual({ ...want, metadata: { ...(want.metadata as JsonObject), annotations: { [LAST_APPLIED_ANNOTATION]: '' } } });
  });

  it('canonicalJson sorts keys recursively', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });
});
