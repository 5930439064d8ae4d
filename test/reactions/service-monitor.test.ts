import { describe, expect, it } from 'vitest';
import { syncServiceMonitor } from '../../src/reactions/service-monitor.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { asObserved, render } from '../support/render.js';
import { context, ids, parent } from './helpers.js';

describe('ServiceMonitor', () => {
  it('is created when enabled and registered', async () => {
    const ctx = context(parent({ enableDefaultServiceMonitor: true }));
    await syncServiceMonitor(ctx);
    expect(ids(ctx.desired.putObjects())).toEqual(['ServiceMonitor/risingwave-rw']);
    expect(ctx.conditions.get('ServiceMonitor')).toBeUndefined();
  });

  it('is reported, not failed, when enabled but the kind is not registered', async () => {
    const ctx = context(parent({ enableDefaultServiceMonitor: true }), [], false);
    const outcome = await syncServiceMonitor(ctx);
    expect(outcome.kind).toBe('continue');
    expect(ctx.desired.putObjects()).toEqual([]);
    expect(ctx.conditions.get('ServiceMonitor')).toMatchObject({ status: 'False', reason: 'CRDNotRegistered' });
    const result = await render(parent({ enableDefaultServiceMonitor: true }), { serviceMonitor: false });
    expect(result.outcome).not.toBe('error');
    expect(result.response.children.some((c) => c.kind === 'ServiceMonitor')).toBe(false);
  });

  it('is removed when disabled', async () => {
    const first = await render(parent({ enableDefaultServiceMonitor: true }));
    const observed = (first.response.children as KubeObject[]).map(asObserved);
    expect(observed.some((o) => o.kind === 'ServiceMonitor')).toBe(true);
    const ctx = context(parent({ enableDefaultServiceMonitor: false }), observed);
    await syncServiceMonitor(ctx);
    expect(ctx.desired.removalList()).toEqual([{ id: 'ServiceMonitor.monitoring.coreos.com/v1/risingwave-rw', reason: 'enableDefaultServiceMonitor is off' }]);
    const second = await render(parent({}), { observed });
    expect(second.removed).toEqual(['ServiceMonitor.monitoring.coreos.com/v1/risingwave-rw']);
  });
});
