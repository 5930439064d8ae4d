import { describe, expect, it } from 'vitest';
import { basicRisingWave, standaloneRisingWave } from '../fixtures/specs.js';
import { condition, expectCondition, Scenario, T0 } from './helpers.js';

const ALL_CHILDREN = [
  'ConfigMap/rw-default-config',
  'Deployment/rw-compactor',
  'Deployment/rw-frontend',
  'Service/rw-compactor',
  'Service/rw-compute',
  'Service/rw-frontend',
  'Service/rw-meta',
  'StatefulSet/rw-compute',
  'StatefulSet/rw-compute-analytics',
  'StatefulSet/rw-meta',
];

describe('a new RisingWave', () => {
  it('gets every child on the first sync, Initializing=True and Running=False', async () => {
    const s = new Scenario(basicRisingWave());
    const { result, report } = await s.step();
    expect(s.names()).toEqual(ALL_CHILDREN);
    expect(report.created.length).toBe(ALL_CHILDREN.length);
    const init = expectCondition(result.response, 'Initializing', 'True', 'ChildrenMissing');
    expect(init.lastTransitionTime).toBe(T0);
    const running = expectCondition(result.response, 'Running', 'False', 'ChildrenMissing');
    expect(running.message).toContain('StatefulSet rw-meta');
    expectCondition(result.response, 'Valid', 'True', 'SpecValid');
    expect(condition(result.response, 'Upgrading')).toBeUndefined();
    expect(result.response.resyncAfterSeconds).toBe(5);
    expect(result.response.status.version).toBe('v2.4.2');
    expect(result.response.status.metaStore).toEqual({ backend: 'PostgreSQL' });
    expect(result.response.status.stateStore).toEqual({ backend: 'MinIO' });
    expect(result.response.status.internal).toEqual({ stateStoreRootPath: '' });
  });

  it('waits for the rollout with a growing resync, then Running=True and Initializing removed', async () => {
    const s = new Scenario(basicRisingWave());
    await s.step();
    s.advance(3);
    const second = (await s.step()).result;
    expectCondition(second.response, 'Initializing', 'True', 'RollingOut');
    const running = expectCondition(second.response, 'Running', 'False', 'RollingOut');
    expect(running.message).toBe('waiting for compactor, compute, compute/analytics, frontend, meta to roll out generation 1');
    expect(running.lastTransitionTime).toBe(T0);
    expect(second.response.resyncAfterSeconds).toBe(5);
    s.advance(20);
    expect((await s.sync()).response.resyncAfterSeconds).toBe(20);

    // All but one workload done: still waiting, and the message names only that one.
    for (const name of ['rw-meta', 'rw-compute', 'rw-compute-analytics', 'rw-frontend']) s.cluster.rollOut(name);
    const partial = (await s.step()).result;
    expect(condition(partial.response, 'Running')!.message).toBe('waiting for compactor to roll out generation 1');

    s.cluster.rollOut('rw-compactor');
    s.advance(10);
    const done = (await s.step()).result;
    expect(done.outcome).toBe('ok');
    const ready = expectCondition(done.response, 'Running', 'True', 'AllComponentsReady');
    expect(ready.lastTransitionTime).toBe(s.clock);
    expect(condition(done.response, 'Initializing')).toBeUndefined();
    expect(done.response.resyncAfterSeconds).toBeUndefined();
    expect(done.response.status.componentReplicas).toEqual({
      compactor: { groups: [{ exists: true, name: '', running: 1, target: 1 }], running: 1, target: 1 },
      compute: {
        groups: [
          { exists: true, name: '', running: 2, target: 2 },
          { exists: true, name: 'analytics', running: 1, target: 1 },
        ],
        running: 3,
        target: 3,
      },
      frontend: { groups: [{ exists: true, name: '', running: 2, target: 2 }], running: 2, target: 2 },
      meta: { groups: [{ exists: true, name: '', running: 1, target: 1 }], running: 1, target: 1 },
    });
  });

  it('converges: once rolled out, sync → apply → sync gives a byte-identical response and no write', async () => {
    const s = new Scenario(basicRisingWave());
    await s.bringUp();
    s.advance(3600);
    const a = await s.step();
    const b = await s.step();
    expect(JSON.stringify(b.result.response)).toBe(JSON.stringify(a.result.response));
    expect(b.report).toEqual({ created: [], updated: [], deleted: [] });
    expect(a.report).toEqual({ created: [], updated: [], deleted: [] });
    expect(b.result.response.resyncAfterSeconds).toBeUndefined();
  });

  it('standalone: one StatefulSet, only componentReplicas.standalone', async () => {
    const s = new Scenario(standaloneRisingWave());
    await s.bringUp();
    const r = s.last.response;
    expect(s.names()).toEqual([
      'ConfigMap/rw-solo-default-config',
      'Service/rw-solo-frontend',
      'Service/rw-solo-standalone',
      'StatefulSet/rw-solo-standalone',
    ]);
    expect(r.status.componentReplicas).toEqual({
      standalone: { groups: [{ exists: true, name: '', running: 1, target: 1 }], running: 1, target: 1 },
    });
    expect(r.status.stateStore).toEqual({ backend: 'LocalDisk' });
    expect(r.status.metaStore).toEqual({ backend: 'SQLite' });
    expectCondition(r, 'Running', 'True');
  });

  it('hook v1 and v2 inner keys give the same response', async () => {
    const v1 = new Scenario(basicRisingWave(), {}, { hookVersion: 'v1' });
    const v2 = new Scenario(basicRisingWave(), {}, { hookVersion: 'v2' });
    await v1.bringUp();
    await v2.bringUp();
    expect(Object.keys(v1.cluster.request().children!['Service.v1']!)).toContain('rw-meta');
    expect(Object.keys(v2.cluster.request().children!['Service.v1']!)).toContain('risingwave/rw-meta');
    expect(JSON.stringify((await v1.sync()).response)).toBe(JSON.stringify((await v2.sync()).response));
  });
});
