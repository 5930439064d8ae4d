import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import { SimulatedCluster } from '../support/apiserver.js';
import { NS, RW, specCase } from './arbitraries.js';

const clock = fixedClock('2026-01-01T00:00:00Z');
const valid = specCase.filter((c) => c.broken === undefined && !c.paused);

describe('convergence (property)', () => {
  it('any valid spec reaches a steady state in a few syncs: Running=True, no resync, and sync → apply → sync changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(valid, fc.constantFrom<'v1' | 'v2'>('v1', 'v2'), async (c, hookVersion) => {
        const childKeys = ['ConfigMap.v1', 'Deployment.apps/v1', 'Service.v1', 'StatefulSet.apps/v1'];
        if (c.spec.enableDefaultServiceMonitor) childKeys.push('ServiceMonitor.monitoring.coreos.com/v1');
        const cluster = new SimulatedCluster(
          { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', kind: 'RisingWave', metadata: { name: RW, namespace: NS }, spec: c.spec },
          { hookVersion, childKeys },
        );
        let response;
        for (let i = 0; i < 4; i++) {
          response = (await runSync(cluster.request(), { clock })).response;
          cluster.apply(response);
          cluster.rollOutAll();
        }
        const running = (response!.status.conditions as { type: string; status: string }[]).find((x) => x.type === 'Running');
        expect(running?.status).toBe('True');
        const a = (await runSync(cluster.request(), { clock })).response;
        const report = cluster.apply(a);
        const b = (await runSync(cluster.request(), { clock })).response;
        expect(report).toEqual({ created: [], updated: [], deleted: [] });
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        expect(a.resyncAfterSeconds).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  }, 180_000);
});
