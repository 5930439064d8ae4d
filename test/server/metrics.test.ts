import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { CHILD_KIND_LABELS } from '../../src/server/metrics.js';
import { CHILD_GROUPS } from '../../src/cli/render.js';
import { SERVICE_MONITOR_KEY } from '../../src/kube/child-keys.js';
import { fakeCore, syncRequest, testSettings } from './helpers.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('metric labels', () => {
  it('the kind label of rw_hook_children_total comes from a closed set: many made-up kinds are all `other`', async () => {
    app = buildApp(testSettings(), { sync: fakeCore().core });
    const kinds = 2000;
    for (let batch = 0; batch < 4; batch++) {
      const children: Record<string, Record<string, unknown>> = {
        'ConfigMap.v1': { 'prod/cm': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'prod' } } },
        // A known kind under another apiVersion is not the child type the hook emits.
        'StatefulSet.example.com/v1': { 'prod/ss': { apiVersion: 'example.com/v1', kind: 'StatefulSet', metadata: { name: 'ss', namespace: 'prod' } } },
      };
      for (let i = 0; i < kinds / 4; i++) {
        const kind = `Made${batch}x${i}${'Up'.repeat(i % 50)}`;
        children[`${kind}.example.com/v1`] = { [`prod/${kind}`]: { apiVersion: 'example.com/v1', kind, metadata: { name: 'x', namespace: 'prod' } } };
      }
      const res = await app.inject({ method: 'POST', url: '/sync', payload: syncRequest({ children: children as never }) });
      expect(res.statusCode).toBe(200);
    }
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const series = text.split('\n').filter((l) => l.startsWith('rw_hook_children_total{'));
    expect(series.sort()).toEqual(['rw_hook_children_total{kind="ConfigMap"} 4', `rw_hook_children_total{kind="other"} ${4 + kinds}`]);
    expect(text.length).toBeLessThan(64 * 1024);
  });

  it('the closed set is exactly the child types the hook emits', () => {
    expect([...CHILD_KIND_LABELS.keys()].sort()).toEqual([...CHILD_GROUPS, SERVICE_MONITOR_KEY].sort());
    for (const [key, label] of CHILD_KIND_LABELS) expect(key.split('.')[0]).toBe(label);
  });
});
