import { describe, expect, it } from 'vitest';
import { configHash } from '../../src/builders/config-hash.js';
import { ObservedIndex } from '../../src/kube/observed.js';

/** Found reading the hook's lookups for keys named like Object.prototype members while writing test/fuzz. */
describe('configHash reads only the ConfigMap’s own keys', () => {
  const related = (data: Record<string, string>) =>
    ObservedIndex.from({ 'ConfigMap.v1': { x: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data } } });
  const hash = (data: Record<string, string>, key: string) => configHash(related(data), { kind: 'ConfigMap', name: 'x', key });

  it.each(['toString', 'constructor', 'valueOf', 'hasOwnProperty'])('a missing key named %s hashes like any missing key', (key) => {
    expect(hash({ other: '1' }, key)).toBe(hash({ other: '1' }, 'absent'));
  });

  it.each(['toString', 'constructor'])('a present key named %s hashes its value', (key) => {
    expect(hash({ [key]: 'a' }, key)).not.toBe(hash({ [key]: 'b' }, key));
    expect(hash({ [key]: 'a' }, key)).not.toBe(hash({}, key));
  });
});
