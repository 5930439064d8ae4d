import { describe, expect, it } from 'vitest';
import { syncCompute, syncFrontend, syncMeta } from '../../src/reactions/component.js';
import { syncStandalone } from '../../src/reactions/standalone.js';
import { syncConfigMap } from '../../src/reactions/config-map.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { asObserved, render } from '../support/render.js';
import { context, groups, ids, parent } from './helpers.js';

/** Render once with nothing observed and return the children as the API server would then report them. */
async function stored(spec: Record<string, unknown>): Promise<KubeObject[]> {
  return ((await render(parent(spec))).response.children as KubeObject[]).map(asObserved);
}

const base = { components: { meta: groups(''), frontend: groups(''), compute: groups(''), compactor: groups('') } };

describe('node group add / remove / rename', () => {
  it('removes the workload of a group dropped from the spec, keeps the others', async () => {
    const before = await stored({ components: { ...base.components, compute: groups('', 'a', 'b') } });
    const ctx = context(parent({ components: { ...base.components, compute: groups('', 'a') } }), before);
    await syncCompute(ctx);
    expect(ctx.desired.removalList()).toEqual([{ id: 'StatefulSet.apps/v1/rw-compute-b', reason: 'compute node group "b" is no longer in the spec' }]);
    expect(ids(ctx.desired.putObjects())).toEqual(['Service/rw-compute', 'StatefulSet/rw-compute', 'StatefulSet/rw-compute-a']);
  });

  it('a rename is a removal plus a creation', async () => {
    const before = await stored({ components: { ...base.components, compute: groups('old') } });
    const result = await render(parent({ components: { ...base.components, compute: groups('new') } }), { observed: before });
    expect(result.removed).toEqual(['StatefulSet.apps/v1/rw-compute-old']);
    const names = result.response.children.map((c) => c.metadata.name);
    expect(names).toContain('rw-compute-new');
    expect(names).not.toContain('rw-compute-old');
  });

  it('a group scaled to 0 keeps its workload', async () => {
    const before = await stored(base);
    const result = await render(parent({ components: { ...base.components, compute: { nodeGroups: [{ name: '', replicas: 0 }] } } }), { observed: before });
    expect(result.removed).toEqual([]);
    const sts = result.response.children.find((c) => c.kind === 'StatefulSet' && c.metadata.name === 'rw-compute') as unknown as { spec: { replicas: number } };
    expect(sts.spec.replicas).toBe(0);
  });

  it('leaves alone observed children that belong to no component it manages', async () => {
    const foreign: KubeObject = asObserved({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rw-extra', labels: { 'risingwave/name': 'rw' } }, spec: {} });
    const result = await render(parent(base), { observed: [...(await stored(base)), foreign] });
    expect(result.removed).toEqual([]);
    expect(result.carriedOver).toEqual(['Service.v1/rw-extra']);
  });

  it('converges: a second sync over its own output changes nothing and removes nothing', async () => {
    for (const spec of [base, { enableStandaloneMode: true }, { ...base, enableFrontendStatefulSet: true, components: { ...base.components, compute: groups('', 'x') } }]) {
      const first = await render(parent(spec));
      const second = await render(parent(spec), { observed: (first.response.children as KubeObject[]).map(asObserved) });
      expect(second.removed).toEqual([]);
      expect(second.carriedOver).toEqual([]);
      expect(second.response.children).toEqual(first.response.children);
    }
  });
});

describe('frontend form switches', () => {
  it('Deployment → StatefulSet removes the Deployments and adds the headless Service', async () => {
    const before = await stored({ components: { ...base.components, frontend: groups('', 'web') } });
    const ctx = context(parent({ enableFrontendStatefulSet: true, components: { ...base.components, frontend: groups('', 'web') } }), before);
    await syncFrontend(ctx);
    expect(ctx.desired.removalList().map((r) => r.id)).toEqual(['Deployment.apps/v1/rw-frontend', 'Deployment.apps/v1/rw-frontend-web']);
    expect(ctx.desired.removalList()[0]!.reason).toMatch(/StatefulSets/);
    expect(ids(ctx.desired.putObjects())).toEqual(['Service/rw-frontend', 'Service/rw-frontend-headless', 'StatefulSet/rw-frontend', 'StatefulSet/rw-frontend-web']);
  });

  it('StatefulSet → Deployment removes the StatefulSets and the headless Service', async () => {
    const before = await stored({ ...base, enableFrontendStatefulSet: true });
    const result = await render(parent(base), { observed: before });
    expect(result.removed).toEqual(['Service.v1/rw-frontend-headless', 'StatefulSet.apps/v1/rw-frontend']);
    expect(result.response.children.some((c) => c.kind === 'Deployment' && c.metadata.name === 'rw-frontend')).toBe(true);
  });
});

describe('standalone switches', () => {
  it('turning standalone on removes the component Services and every group workload, keeps the frontend Service', async () => {
    const before = await stored({ ...base, enableFrontendStatefulSet: true });
    const result = await render(parent({ ...base, enableStandaloneMode: true, enableFrontendStatefulSet: true }), { observed: before });
    expect(result.removed).toEqual([
      'Deployment.apps/v1/rw-compactor',
      'Service.v1/rw-compactor',
      'Service.v1/rw-compute',
      'Service.v1/rw-frontend-headless',
      'Service.v1/rw-meta',
      'StatefulSet.apps/v1/rw-compute',
      'StatefulSet.apps/v1/rw-frontend',
      'StatefulSet.apps/v1/rw-meta',
    ]);
    const fe = result.response.children.find((c) => c.kind === 'Service' && c.metadata.name === 'rw-frontend') as unknown as { spec: { selector: Record<string, string> } };
    expect(fe.spec.selector['risingwave/component']).toBe('standalone');
    expect(ids(result.response.children as KubeObject[])).toEqual(['ConfigMap/rw-default-config', 'Service/rw-frontend', 'Service/rw-standalone', 'StatefulSet/rw-standalone']);
  });

  it('the reasons name standalone mode', async () => {
    const before = await stored(base);
    const ctx = context(parent({ ...base, enableStandaloneMode: true }), before);
    await syncMeta(ctx);
    expect(ctx.desired.removalList()).toEqual([
      { id: 'Service.v1/rw-meta', reason: 'standalone mode is enabled' },
      { id: 'StatefulSet.apps/v1/rw-meta', reason: 'standalone mode is enabled: node groups are not deployed' },
    ]);
  });

  it('turning standalone off removes the standalone Service and StatefulSet', async () => {
    const before = await stored({ enableStandaloneMode: true });
    const ctx = context(parent(base), before);
    await syncStandalone(ctx);
    expect(ctx.desired.removalList().map((r) => r.id)).toEqual(['Service.v1/rw-standalone', 'StatefulSet.apps/v1/rw-standalone']);
    const result = await render(parent(base), { observed: before });
    expect(result.removed).toEqual(['Service.v1/rw-standalone', 'StatefulSet.apps/v1/rw-standalone']);
  });
});

describe('default ConfigMap', () => {
  it('keeps what is stored: the operator never updates it', async () => {
    const before = await stored(base);
    const cm = before.find((o) => o.kind === 'ConfigMap')!;
    const edited = { ...cm, data: { 'risingwave.toml': '[streaming]\nbarrier_interval_ms = 500\n' } };
    const ctx = context(parent(base), [edited]);
    await syncConfigMap(ctx);
    expect(ctx.desired.putObjects()[0]!.data).toEqual(edited.data);
  });
});
