import { describe, expect, it } from 'vitest';
import { unexplained, type Obj } from './compare.js';

/** The comparison itself: what it lets through and what it reports. */
const input = { metadata: { name: 'rw' }, spec: { image: 'risingwavelabs/risingwave:v2.1.0' } };
const sts = (env: Obj[], labels: Record<string, string> = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'rw-meta', labels: { 'risingwave/operator-version': 'v1', ...labels } },
  spec: { template: { spec: { containers: [{ name: 'meta', image: 'risingwavelabs/risingwave:v2.1.0', env }], volumes: [{ name: 'b' }, { name: 'a' }] } } },
});

describe('unexplained', () => {
  it('lets the allowed differences through: operator-version label, ownerReferences, name-keyed list order', () => {
    const hook = [sts([{ name: 'A', value: '1' }])];
    const operator = [sts([{ name: 'A', value: '1' }], { 'risingwave/operator-version': 'v0.17.2' })];
    (operator[0]!.metadata as Obj).ownerReferences = [{ kind: 'RisingWave', name: 'rw' }];
    const pod = ((operator[0]!.spec as Obj).template as Obj).spec as Obj;
    (pod.volumes as Obj[]).reverse();
    expect(unexplained({ input, hook, operator })).toEqual([]);
  });

  it('reports a missing variable, a changed value and a different env order, which are not allowed', () => {
    const hook = [sts([{ name: 'A', value: '1' }, { name: 'B', value: '2' }])];
    expect(unexplained({ input, hook, operator: [sts([{ name: 'A', value: '1' }])] })).toEqual([
      'StatefulSet rw-meta /spec/template/spec/containers[meta]/env[B]: hook={"name":"B","value":"2"} operator=undefined',
    ]);
    expect(unexplained({ input, hook, operator: [sts([{ name: 'A', value: '1' }, { name: 'B', value: '3' }])] })).toEqual([
      'StatefulSet rw-meta /spec/template/spec/containers[meta]/env[B]/value: hook="2" operator="3"',
    ]);
    expect(unexplained({ input, hook, operator: [sts([{ name: 'B', value: '2' }, { name: 'A', value: '1' }])] })).toEqual([
      'StatefulSet rw-meta /spec/template/spec/containers[meta]/env order: hook=["A","B"] operator=["B","A"]',
    ]);
  });

  it('reports objects only one side creates, and disagreement on accept/reject', () => {
    expect(unexplained({ input, hook: [], operator: [sts([])] })).toEqual(['StatefulSet rw-meta: only the operator creates it']);
    expect(unexplained({ input, hook: { rejected: 'no' }, operator: [sts([])] })).toEqual(['hook rejects what the operator accepts: no']);
    expect(unexplained({ input, hook: [sts([])], operator: { rejected: 'no' } })).toEqual(['operator rejects what the hook accepts: no']);
    expect(unexplained({ input, hook: { rejected: 'a' }, operator: { rejected: 'b' } })).toEqual([]);
  });

  it('accepts a refusal only when every problem in it is an allowed one', () => {
    const long = 'StatefulSet name "x" is longer than 52 characters; its pods\' controller-revision-hash label would exceed 63';
    expect(unexplained({ input, hook: { rejected: `${long}; ${long}` }, operator: [sts([])] })).toEqual([]);
    expect(unexplained({ input, hook: { rejected: `${long}; spec.image: invalid` }, operator: [sts([])] })).toHaveLength(1);
  });
});
