import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import { SimulatedCluster } from '../support/apiserver.js';
import { basicRisingWave } from '../fixtures/specs.js';

const clock = fixedClock('2026-01-01T00:00:00Z');

describe('sync outcome labels', () => {
  it('gates map to invalid / paused; waiting to waiting; steady state to ok', async () => {
    const bad = new SimulatedCluster(basicRisingWave('rw', { image: 7 }));
    expect((await runSync(bad.request(), { clock })).outcome).toBe('invalid');

    const paused = basicRisingWave();
    paused.metadata.annotations = { 'risingwave.risingwavelabs.com/pause-reconcile': 'yes' };
    expect((await runSync(new SimulatedCluster(paused).request(), { clock })).outcome).toBe('paused');

    const c = new SimulatedCluster(basicRisingWave());
    const first = await runSync(c.request(), { clock });
    expect(first.outcome).toBe('waiting');
    c.apply(first.response);
    c.rollOutAll();
    c.apply((await runSync(c.request(), { clock })).response);
    expect((await runSync(c.request(), { clock })).outcome).toBe('ok');
  });

  it('a malformed previous status does not break the sync: it is rebuilt', async () => {
    const c = new SimulatedCluster(basicRisingWave());
    c.parent.status = { conditions: 'not a list', internal: 5, componentReplicas: [] } as unknown as Record<string, unknown>;
    const r = await runSync(c.request(), { clock });
    expect(r.outcome).toBe('waiting');
    expect((r.response.status.conditions as { type: string }[]).map((x) => x.type)).toEqual(['Initializing', 'Running', 'Synced', 'Valid']);
  });
});
