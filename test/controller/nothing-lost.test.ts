import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import type { RisingWaveContext } from '../../src/reactions/context.js';
import { carryOver } from '../../src/kube/carry-over.js';
import { LAST_APPLIED_ANNOTATION, childId, type KubeObject } from '../../src/kube/kube-object.js';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import { CONTINUE, exit, Join, Parallel, reaction, Sequential, Timeout, type Reaction } from '../../src/workflow/index.js';

type R = RisingWaveContext;
const clock = fixedClock('2026-11-25T12:00:00Z');

function typicalRequest(): SyncRequest {
  return JSON.parse(readFileSync(new URL('../fixtures/typical-v2.request.json', import.meta.url), 'utf8'));
}

function observedChildren(req: SyncRequest): KubeObject[] {
  return Object.values(req.children ?? {}).flatMap((inner) => Object.values(inner)) as KubeObject[];
}

function lastApplied(obj: KubeObject): unknown {
  return JSON.parse(obj.metadata.annotations![LAST_APPLIED_ANNOTATION]!);
}

const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'streaming' }, spec: { ports: [] } });

describe('carryOver: the form of a child nobody decided about', () => {
  const observed: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'x',
      namespace: 'ns',
      uid: 'u',
      resourceVersion: '7',
      generation: 2,
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'm' }],
      ownerReferences: [{ uid: 'p' }],
      selfLink: '/api/v1/namespaces/ns/configmaps/x',
      labels: { a: 'b' },
      annotations: { keep: 'me' },
    },
    data: { k: 'observed' },
    status: { whatever: true },
  };

  it('is the configuration Metacontroller last applied, when the annotation is there', () => {
    const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 'b' } }, data: { k: 'applied' } };
    const withAnnotation = { ...observed, metadata: { ...observed.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(applied) } } };
    expect(carryOver(withAnnotation)).toEqual(applied);
  });

  describe('keeps the observed spec.replicas, which an HPA or `kubectl scale` owns', () => {
    const workload = (replicas: unknown, lastAppliedReplicas: unknown) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {
        name: 'x',
        resourceVersion: '9',
        annotations: {
          [LAST_APPLIED_ANNOTATION]: JSON.stringify({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicas: lastAppliedReplicas, serviceName: 's' } }),
        },
      },
      spec: { replicas, serviceName: 's', podManagementPolicy: 'Parallel' },
    });
    it.each([
      ['scaled by someone else', 5, 2, 5],
      ['unchanged', 2, 2, 2],
      ['scaled to zero', 0, 2, 0],
    ])('%s: observed %s, last applied %s -> %s', (_, observed, applied, want) => {
      expect(carryOver(workload(observed, applied))).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicas: want, serviceName: 's' } });
    });
    it.each([
      ['no count was applied', 5, undefined],
      ['the observed count is not a count', 'five', 2],
      ['the observed count is negative', -1, 2],
    ])('leaves last-applied as it is when %s', (_, observed, applied) => {
      const out = carryOver(workload(observed, applied));
      expect((out.spec as Record<string, unknown>).replicas).toBe(applied);
    });
  });

  it('is the observed object without status and server-set metadata, when the annotation is absent', () => {
    expect(carryOver(observed)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'ns', labels: { a: 'b' }, annotations: { keep: 'me' } },
      data: { k: 'observed' },
    });
  });

  it.each([
    ['not JSON', '{oops'],
    ['another object', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } })],
    ['another kind', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })],
  ])('falls back to the stripped observed object when the annotation is %s', (_, text) => {
    const bad = { ...observed, metadata: { ...observed.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: text } } };
    const out = carryOver(bad);
    expect(out.data).toEqual({ k: 'observed' });
    expect(out.metadata).toEqual({ name: 'x', namespace: 'ns', labels: { a: 'b' } });
    expect(out).not.toHaveProperty('status');
  });
});

describe('runSync keeps every observed child unless a reaction removes it on purpose', () => {
  const everyObservedAsLastApplied = (req: SyncRequest) =>
    observedChildren(req)
      .map((o) => [childId(o), lastApplied(o)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));

  const byId = (children: KubeObject[]) => children.map((c) => [childId(c), c] as const);

  const hang: Reaction<R> = reaction('Hang', () => new Promise(() => undefined));
  const cases: [string, Reaction<R>, string][] = [
    ['the workflow throws', reaction<R>('Boom', () => { throw new Error('kaboom'); }), 'error'],
    ['a reaction times out', Timeout<R>(20, hang), 'error'],
    ['the branch exits', Sequential<R>('Gate', reaction<R>('Closed', () => exit('waiting'))), 'ok'],
    ['no reaction claims anything', reaction<R>('Idle', () => CONTINUE), 'ok'],
  ];

  it.each(cases)('when %s, every observed child comes back as last applied', async (_, workflow, outcome) => {
    const req = typicalRequest();
    const result = await runSync(req, { clock, workflow });
    expect(result.outcome).toBe(outcome);
    expect(byId(result.response.children as KubeObject[])).toEqual(everyObservedAsLastApplied(req));
    expect(result.removed).toEqual([]);
  });

  it('a failed reaction is reported in status and Metacontroller is asked to call again', async () => {
    const req = typicalRequest();
    const result = await runSync(req, { clock, workflow: reaction<R>('SyncMeta', () => { throw new Error('no meta'); }) });
    const synced = (result.response.status.conditions as { type: string; status: string; reason: string; message: string }[]).find((c) => c.type === 'Synced');
    expect(synced).toMatchObject({ status: 'False', reason: 'ReactionFailed' });
    expect(synced!.message).toContain('SyncMeta: no meta');
    expect(result.response.resyncAfterSeconds).toBeGreaterThan(0);
  });

  it('one failing branch does not cost the decisions of the others, nor any observed child', async () => {
    const req = typicalRequest();
    const replaced = service('risingwave-meta');
    const workflow = Join<R>(
      'Both',
      Parallel(reaction<R>('PutsMetaService', (ctx) => { ctx.desired.put(replaced); return CONTINUE; })),
      Parallel(reaction<R>('Fails', () => { throw new Error('bug'); })),
    );
    const result = await runSync(req, { clock, workflow });
    const children = new Map(byId(result.response.children as KubeObject[]));
    expect(children.get('Service.v1/risingwave-meta')).toEqual(replaced);
    expect(children.size).toBe(observedChildren(req).length);
    expect(result.outcome).toBe('error');
  });

  it('only an explicit remove drops an observed child', async () => {
    const req = typicalRequest();
    const workflow = reaction<R>('RemovesCompactor', (ctx) => {
      const compactor = ctx.observed.get('Deployment.apps/v1', 'risingwave-compactor')!;
      ctx.desired.remove(compactor, 'group removed from the spec');
      return CONTINUE;
    });
    const result = await runSync(req, { clock, workflow });
    const ids = (result.response.children as KubeObject[]).map(childId);
    expect(ids).not.toContain('Deployment.apps/v1/risingwave-compactor');
    expect(ids).toHaveLength(observedChildren(req).length - 1);
    expect(result.removed).toEqual(['Deployment.apps/v1/risingwave-compactor']);
  });

  it('an observed child the RisingWave tree does not know is kept, with hook v1 and v2 keys alike', async () => {
    for (const fixture of ['typical-v1.request.json', 'typical-v2.request.json']) {
      const req: SyncRequest = JSON.parse(readFileSync(new URL(`../fixtures/${fixture}`, import.meta.url), 'utf8'));
      const stray = { ...service('hand-made'), metadata: { name: 'hand-made', namespace: 'streaming', uid: 'x', resourceVersion: '1' }, status: {} };
      req.children!['Service.v1']![fixture.includes('v1') ? 'hand-made' : 'streaming/hand-made'] = stray;
      const result = await runSync(req, { clock });
      const kept = (result.response.children as KubeObject[]).find((c) => childId(c) === 'Service.v1/hand-made');
      expect(kept).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hand-made', namespace: 'streaming' }, spec: { ports: [] } });
    }
  });

  it('a group name too long for a label is an invalid spec: Valid=False, children unchanged', async () => {
    const req = typicalRequest();
    const spec = (req.parent as { spec: { components: { compute: { nodeGroups: { name: string }[] } } } }).spec;
    spec.components.compute.nodeGroups[0]!.name = 'g'.repeat(70);
    const result = await runSync(req, { clock });
    const valid = (result.response.status.conditions as { type: string; status: string; message: string }[]).find((c) => c.type === 'Valid');
    expect(valid).toMatchObject({ status: 'False' });
    expect(valid!.message).toMatch(/cannot be a label value/);
    expect(byId(result.response.children as KubeObject[])).toEqual(everyObservedAsLastApplied(req));
  });
});
