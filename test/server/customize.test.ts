import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { relatedResources } from '../../src/server/customize.js';

function parent(): SyncRequest['parent'] {
  const req = JSON.parse(readFileSync(new URL('../fixtures/new-v2.request.json', import.meta.url), 'utf8')) as SyncRequest;
  const spec = req.parent.spec as Record<string, any>;
  spec.configuration = { configMap: { name: 'rw-config', key: 'risingwave.toml' } };
  return req.parent;
}

describe('customize: the related objects of a parent', () => {
  it('names the ConfigMaps the spec reads, pinned to the parent namespace', () => {
    expect(relatedResources(parent())).toEqual([{ apiVersion: 'v1', resource: 'configmaps', names: ['rw-config'], namespace: 'streaming' }]);
  });

  // Found by the fuzz suite (test/fuzz): a null node group reached the rule builder, which threw (a 500).
  it.each([
    ['a null node group', (s: Record<string, any>) => (s.components.compute.nodeGroups[0] = null)],
    ['a node group that is a number', (s: Record<string, any>) => (s.components.meta.nodeGroups[0] = 5)],
    ['components that are a list', (s: Record<string, any>) => (s.components = [])],
    ['a configuration that is a string', (s: Record<string, any>) => (s.configuration = 'rw-config')],
  ])('an invalid spec (%s) asks to watch nothing instead of throwing', (_, breakIt) => {
    const p = parent();
    breakIt(p.spec as Record<string, any>);
    expect(relatedResources(p)).toEqual([]);
  });
});
