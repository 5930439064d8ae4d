import { describe, expect, it } from 'vitest';
import { DesiredChildren } from '../../src/kube/desired.js';
import { assembleChildren } from '../../src/kube/assemble.js';
import { ObservedIndex } from '../../src/kube/observed.js';

const sts = (name: string, serviceName = 'svc') => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name }, spec: { serviceName } });

describe('DesiredChildren.recreate', () => {
  it('turns a put into a removal flagged as a recreate, and the assembled answer leaves the object out', () => {
    const observed = ObservedIndex.from({ 'StatefulSet.apps/v1': { a: sts('a'), b: sts('b') } });
    const d = new DesiredChildren();
    d.put(sts('a', 'new'));
    d.put(sts('b'));
    d.recreate(sts('a', 'new'), 'immutable fields changed: serviceName');
    expect(d.getPut('StatefulSet.apps/v1/a')).toBeUndefined();
    expect(d.removalList()).toEqual([{ id: 'StatefulSet.apps/v1/a', reason: 'immutable fields changed: serviceName', recreate: true }]);
    const { children, removed } = assembleChildren(observed, d);
    expect(children.map((c) => c.metadata.name)).toEqual(['b']);
    expect(removed).toEqual(['StatefulSet.apps/v1/a']);
  });

  it('a later put of the same object in the same sync is refused (no put-and-delete)', () => {
    const d = new DesiredChildren();
    d.put(sts('a'));
    d.recreate(sts('a'), 'x');
    expect(() => d.put(sts('a'))).toThrow(/both put and removed/);
  });

  it('an ordinary removal is not flagged as a recreate', () => {
    const d = new DesiredChildren();
    d.remove(sts('a'), 'group removed');
    expect(d.removalList()[0]!.recreate).toBeUndefined();
  });
});
