import { describe, expect, it } from 'vitest';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { configHash, missingConfigurations, relatedResourcesFor } from '../../src/builders/config-hash.js';
import { ANNOTATION_CONFIG_HASH } from '../../src/builders/labels.js';
import { groupWorkload } from '../../src/builders/workloads.js';
import { ObservedIndex } from '../../src/kube/observed.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { input, makeRw } from './helpers.js';

const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const secret = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data });

const rw = makeRw({
  configuration: { configMap: { name: 'cluster-cfg' } },
  components: {
    meta: { nodeGroups: [{ name: '', replicas: 1 }] },
    compute: {
      nodeGroups: [
        { name: 'a', replicas: 1, configuration: { secret: { name: 'grp-secret', key: 'c.toml' } } },
        { name: 'b', replicas: 1, configuration: { configMap: { name: 'b-cfg' } } },
      ],
    },
  },
});

describe('related resources', () => {
  it('lists every ConfigMap and Secret the spec names, sorted', () => {
    expect(relatedResourcesFor(rw)).toEqual([
      { apiVersion: 'v1', resource: 'configmaps', names: ['b-cfg', 'cluster-cfg'] },
      { apiVersion: 'v1', resource: 'secrets', names: ['grp-secret'] },
    ]);
    expect(relatedResourcesFor(makeRw())).toEqual([]);
  });
});

describe('config hash', () => {
  it('hashes the referenced key only, and changes with it', () => {
    const idx = (data: Record<string, string>) => ObservedIndex.from({ 'ConfigMap.v1': { x: cm('x', data) } });
    const h1 = configHash(idx({ 'risingwave.toml': 'a', other: '1' }), { kind: 'ConfigMap', name: 'x', key: 'risingwave.toml' });
    const h2 = configHash(idx({ 'risingwave.toml': 'a', other: '2' }), { kind: 'ConfigMap', name: 'x', key: 'risingwave.toml' });
    const h3 = configHash(idx({ 'risingwave.toml': 'b' }), { kind: 'ConfigMap', name: 'x', key: 'risingwave.toml' });
    expect(h1).toMatch(/^[0-9a-f]{16}$/);
    expect(h1).toBe(h2);
    expect(h3).not.toBe(h1);
    expect(configHash(idx({}), { kind: 'ConfigMap', name: 'x', key: 'risingwave.toml' })).not.toBe(configHash(idx({ 'risingwave.toml': '' }), { kind: 'ConfigMap', name: 'x', key: 'risingwave.toml' }));
    expect(configHash(idx({}), { kind: 'ConfigMap', name: 'y', key: 'k' })).toBeUndefined();
  });

  it('annotates a group template only when its configuration was fetched', () => {
    const related = [cm('cluster-cfg', { 'risingwave.toml': 'x=1' }), secret('grp-secret', { 'c.toml': 'eD0y' })];
    const ann = (component: 'meta' | 'compute', g: number) =>
      (groupWorkload(input(rw, related), component, rw.spec.components![component]!.nodeGroups![g]!) as IStatefulSet).spec!.template.metadata!.annotations?.[ANNOTATION_CONFIG_HASH];
    expect(ann('meta', 0)).toMatch(/^[0-9a-f]{16}$/);
    expect(ann('compute', 0)).toMatch(/^[0-9a-f]{16}$/);
    expect(ann('compute', 0)).not.toBe(ann('meta', 0));
    expect(ann('compute', 1)).toBeUndefined();
    const noRelated = groupWorkload(input(rw), 'meta', rw.spec.components!.meta!.nodeGroups![0]!) as IStatefulSet;
    expect(noRelated.spec!.template.metadata!.annotations).toBeUndefined();
  });

  it('reports configurations the request did not carry, only when the kind was fetched at all', () => {
    const related = ObservedIndex.from({ 'ConfigMap.v1': { 'cluster-cfg': cm('cluster-cfg', {}) }, 'Secret.v1': {} });
    expect(missingConfigurations(rw, related).map((m) => m.message)).toEqual([
      'configuration Secret grp-secret used by compute group a not found',
      'configuration ConfigMap b-cfg used by compute group b not found',
    ]);
    expect(missingConfigurations(rw, ObservedIndex.from({}))).toEqual([]);
    expect(missingConfigurations(rw, undefined)).toEqual([]);
  });
});
