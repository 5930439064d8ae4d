/**
 * Found by the fuzz suite (test/fuzz): an observed child listed under a group its kind/apiVersion do not
 * name was found by the reactions' lookups of that group and removed on purpose under its own id, so a
 * 200 left out a child the hook had no business deleting. Metacontroller never sends that; the hook still
 * must not lose it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { childId, type KubeObject } from '../../src/kube/kube-object.js';
import { ObservedIndex } from '../../src/kube/observed.js';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';

const clock = fixedClock('2026-11-25T12:00:00Z');

function typical(): SyncRequest {
  return JSON.parse(readFileSync(new URL('../fixtures/typical-v2.request.json', import.meta.url), 'utf8'));
}

/** A compactor Deployment of a group the spec does not have: the hook removes it, deliberately. */
function strayCompactor(apiVersion: string): KubeObject {
  const labels = { 'risingwave/component': 'compactor', 'risingwave/group': 'gone', 'risingwave/name': 'risingwave' };
  return { apiVersion, kind: 'Deployment', metadata: { name: 'risingwave-compactor-gone', namespace: 'streaming', labels }, spec: { replicas: 1 } };
}

const ids = (children: KubeObject[]) => children.map(childId);

describe('observed children are indexed by their own kind and apiVersion', () => {
  it('control: a stray workload of the right group is removed on purpose', async () => {
    const req = typical();
    req.children!['Deployment.apps/v1']!['streaming/risingwave-compactor-gone'] = strayCompactor('apps/v1');
    const result = await runSync(req, { clock });
    expect(result.removed).toEqual(['Deployment.apps/v1/risingwave-compactor-gone']);
  });

  it('the same workload listed under its group with another apiVersion is carried over, not removed', async () => {
    const req = typical();
    req.children!['Deployment.apps/v1']!['streaming/risingwave-compactor-gone'] = strayCompactor('apps/v1beta2');
    const result = await runSync(req, { clock });
    expect(result.removed).toEqual([]);
    expect(ids(result.response.children as KubeObject[])).toContain('Deployment.apps/v1beta2/risingwave-compactor-gone');
    expect(result.carriedOver).toContain('Deployment.apps/v1beta2/risingwave-compactor-gone');
  });

  it('a Service listed under the Service group with a wrong apiVersion is kept next to the one the hook wants', async () => {
    const req = typical();
    const meta = req.children!['Service.v1']!['streaming/risingwave-meta']!;
    meta.apiVersion = 'v2';
    const result = await runSync(req, { clock });
    const out = ids(result.response.children as KubeObject[]);
    expect(out).toContain('Service.v2/risingwave-meta');
    expect(out).toContain('Service.v1/risingwave-meta');
  });

  it('groups are what the request registered: an object elsewhere does not register its own kind', () => {
    const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' } };
    const index = ObservedIndex.from({ 'Service.v1': { m: monitor }, 'ConfigMap.v1': {} });
    expect(index.hasGroup('ServiceMonitor.monitoring.coreos.com/v1')).toBe(false);
    expect(index.hasGroup('ConfigMap.v1')).toBe(true);
    expect(index.get('ServiceMonitor.monitoring.coreos.com/v1', 'm')).toBe(monitor);
    expect(index.get('Service.v1', 'm')).toBeUndefined();
  });
});
