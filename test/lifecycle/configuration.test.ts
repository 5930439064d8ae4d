import { describe, expect, it } from 'vitest';
import { basicRisingWave } from '../fixtures/specs.js';
import { condition, expectCondition, podTemplates, Scenario, type Spec } from './helpers.js';

const userConfig = (toml: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'rw-user-config', namespace: 'risingwave', uid: 'cfg-1', resourceVersion: '7' },
  data: { 'risingwave.toml': toml },
});

function withConfiguration() {
  return basicRisingWave('rw', { configuration: { configMap: { name: 'rw-user-config', key: 'risingwave.toml' } } });
}

describe('referenced configuration', () => {
  it('missing: ConfigurationFound=False reason=ConfigurationMissing, the sync goes on', async () => {
    const s = new Scenario(withConfiguration(), {}, { related: { 'ConfigMap.v1': [] } });
    const { result } = await s.step();
    expect(result.outcome).not.toBe('error');
    const c = expectCondition(result.response, 'ConfigurationFound', 'False', 'ConfigurationMissing');
    expect(c.message).toContain('rw-user-config');
    expect(s.names()).toContain('StatefulSet/rw-meta');
  });

  it('present: True, and an edit rolls the pods that read it', async () => {
    const s = new Scenario(withConfiguration(), {}, { related: { 'ConfigMap.v1': [userConfig('a = 1')] } });
    await s.bringUp();
    expectCondition(s.last.response, 'ConfigurationFound', 'True', 'ConfigurationPresent');
    const before = podTemplates(s.cluster);
    s.cluster.related = { 'ConfigMap.v1': [userConfig('a = 2')] };
    await s.step();
    const after = podTemplates(s.cluster);
    expect(Object.keys(after).filter((n) => after[n] !== before[n]).sort()).toEqual(Object.keys(before).sort());
  });

  it('no customize hook (no related objects of that kind): Unknown, not a false alarm', async () => {
    const s = new Scenario(withConfiguration());
    const { result } = await s.step();
    expectCondition(result.response, 'ConfigurationFound', 'Unknown', 'NotObserved');
  });

  it('no referenced configuration: no condition', async () => {
    const s = new Scenario(basicRisingWave());
    await s.step();
    expect(condition(s.last.response, 'ConfigurationFound')).toBeUndefined();
    const spec = s.cluster.parent.spec as Spec;
    expect(spec.configuration).toBeUndefined();
  });
});
