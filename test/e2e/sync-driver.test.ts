// Exercises the e2e sync driver (test/e2e/driver/sync-driver.ts) against the real API server
// with a tiny in-test hook, so that the instrument itself is trusted before it is used to
// judge the RisingWave hook: creation with owner refs and last-applied, no-op resyncs despite
// server defaulting, 3-way updates, deletions, and "nothing applied" on hook errors.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookError, isNoop, syncOnce, syncUntil, syncUntilStable, type SyncOptions } from './driver/sync-driver.js';
import { LAST_APPLIED_ANNOTATION } from './driver/merge.js';
import { createNamespace, useCluster } from './support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cluster = useCluster();
const GROUP = 'driver.e2e.rw-hook.test';
const CRD_NAME = `gadgets.${GROUP}`;
let ns = '';
let server: http.Server;
let hookUrl = '';

// ---- a minimal CompositeController-style hook ------------------------------------------------
let mode: 'normal' | 'dropConfig' | 'fail500' | 'unknownField' = 'normal';
const requests: Obj[] = [];
function desiredFor(req: Obj): Obj {
  const p = req.parent;
  const name = p.metadata.name;
  const deploy = req.children['Deployment.apps/v1'][`${p.metadata.namespace}/${name}-web`];
  const children: Obj[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${name}-web`, labels: { app: name } },
      spec: {
        replicas: p.spec.size,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'web', image: p.spec.image, ports: [{ containerPort: 8080, name: 'http' }], env: [{ name: 'SIZE', value: String(p.spec.size) }] }] },
        },
      },
    },
  ];
  if (mode !== 'dropConfig') {
    children.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config` }, data: { size: String(p.spec.size) } });
  }
  return {
    status: { readyReplicas: deploy?.status?.readyReplicas ?? 0, phase: (deploy?.status?.readyReplicas ?? 0) === p.spec.size ? 'Ready' : 'Progressing' },
    children,
    ...(mode === 'unknownField' ? { bogus: true } : {}),
  };
}

const opts = (): SyncOptions => ({
  parent: { namespace: ns, name: 'g1' },
  parentResource: { apiVersion: `${GROUP}/v1`, resource: 'gadgets' },
  hookUrl,
  childResources: [
    { apiVersion: 'v1', resource: 'configmaps', kind: 'ConfigMap' },
    { apiVersion: 'apps/v1', resource: 'deployments', kind: 'Deployment' },
  ],
  hookVersion: 'v2',
  kube: cluster().kube,
});
const deploymentRef = () => ({ apiVersion: 'apps/v1', resource: 'deployments', namespace: ns, name: 'g1-web' });
const configRef = () => ({ apiVersion: 'v1', resource: 'configmaps', namespace: ns, name: 'g1-config' });
const parentRef = () => ({ apiVersion: `${GROUP}/v1`, resource: 'gadgets', namespace: ns, name: 'g1' });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj;
      requests.push(body);
      if (mode === 'fail500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(desiredFor(body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const c = cluster();
  ns = await createNamespace(c, 'driver');
  await c.kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: CRD_NAME },
      spec: {
        group: GROUP,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { size: { type: 'integer' }, image: { type: 'string' } } },
                  status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        ],
      },
    }),
  );
  await c.kubectl(['wait', '--for=condition=Established', `crd/${CRD_NAME}`, '--timeout=60s']);
  await c.kubectl(['apply', '-n', ns, '-f', '-'], JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1, image: 'example.invalid/web:1' } }));
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (!ns) return;
  await cluster().kube.delete({ apiVersion: 'v1', resource: 'namespaces', name: ns }).catch(() => undefined);
  await cluster().kube.delete({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions', name: CRD_NAME }).catch(() => undefined);
});

describe('sync driver against a real API server', () => {
  it('first sync sends every child key (empty) and creates children with owner ref, selector label and last-applied', async () => {
    const r = await syncOnce(opts());
    expect(r.request.children).toEqual({ 'ConfigMap.v1': {}, 'Deployment.apps/v1': {} });
    expect(r.request.related).toEqual({});
    expect(r.request.finalizing).toBe(false);
    expect(r.created.sort()).toEqual(['ConfigMap/g1-config', 'Deployment/g1-web']);
    expect(r.statusChanged).toBe(true);

    const parent = await cluster().kube.get<Obj>(parentRef());
    expect(parent.status).toEqual({ readyReplicas: 0, phase: 'Progressing', observedGeneration: 1 });
    const d = await cluster().kube.get<Obj>(deploymentRef());
    expect(d.metadata.ownerReferences).toEqual([
      { apiVersion: `${GROUP}/v1`, kind: 'Gadget', name: 'g1', uid: parent.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(d.metadata.labels['controller-uid']).toBe(parent.metadata.uid);
    const lastApplied = JSON.parse(d.metadata.annotations[LAST_APPLIED_ANNOTATION]);
    expect(lastApplied.metadata).toEqual({ name: 'g1-web', namespace: ns, labels: { app: 'g1', 'controller-uid': parent.metadata.uid } });
  });

  it('converges, after which a sync changes nothing (server defaults do not cause updates)', async () => {
    const stable = await syncUntil(opts(), (r) => isNoop(r) && (r.response.status as Obj).phase === 'Ready', { timeoutMs: 60_000 });
    expect(Object.keys(stable.request.children['Deployment.apps/v1'])).toEqual([`${ns}/g1-web`]);
    const again = await syncOnce(opts());
    expect(isNoop(again)).toBe(true);
    expect(again).toMatchObject({ created: [], updated: [], deleted: [], statusChanged: false });
  });

  it('applies a spec change with a 3-way merge, keeping fields set by others', async () => {
    const c = cluster();
    // Someone else annotates the Deployment and edits hook-owned ConfigMap data.
    await c.kube.mergePatch(deploymentRef(), { metadata: { annotations: { 'example.com/by-admin': 'keep-me' } } });
    await c.kube.mergePatch(configRef(), { data: { size: 'tampered', extra: 'other-writer' } });
    await c.kube.mergePatch(parentRef(), { spec: { size: 2, image: 'example.invalid/web:2' } });

    const r = await syncOnce(opts());
    expect(r.updated.sort()).toEqual(['ConfigMap/g1-config', 'Deployment/g1-web']);
    const d = await c.kube.get<Obj>(deploymentRef());
    expect(d.spec.replicas).toBe(2);
    const container = d.spec.template.spec.containers[0];
    expect(container.image).toBe('example.invalid/web:2');
    expect(container.env).toEqual([{ name: 'SIZE', value: '2' }]);
    expect(container.imagePullPolicy).toBeDefined(); // server default survived the merge
    expect(container.ports[0]).toMatchObject({ containerPort: 8080, name: 'http', protocol: 'TCP' });
    expect(d.metadata.annotations['example.com/by-admin']).toBe('keep-me');
    const cm = await c.kube.get<Obj>(configRef());
    expect(cm.data).toEqual({ size: '2', extra: 'other-writer' });

    const stable = await syncUntil(opts(), (x) => isNoop(x) && (x.response.status as Obj).readyReplicas === 2, { timeoutMs: 60_000 });
    expect((await c.kube.get<Obj>(parentRef())).status).toEqual({ readyReplicas: 2, phase: 'Ready', observedGeneration: 2 });
    expect(stable.statusChanged).toBe(false);
  });

  it('applies nothing when the hook fails, and rejects unknown top-level fields in v2', async () => {
    const before = await cluster().kube.get<Obj>(deploymentRef());
    await cluster().kube.mergePatch(parentRef(), { spec: { size: 3 } });
    mode = 'fail500';
    try {
      await expect(syncOnce(opts())).rejects.toBeInstanceOf(HookError);
      mode = 'unknownField';
      await expect(syncOnce(opts())).rejects.toThrow(/unknown top-level field\(s\) bogus/);
    } finally {
      mode = 'normal';
    }
    const after = await cluster().kube.get<Obj>(deploymentRef());
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await cluster().kube.get<Obj>(parentRef())).status.observedGeneration).toBe(2);
    await syncUntilStable(opts(), { timeoutMs: 60_000 });
  });

  it('deletes an observed child the hook no longer returns', async () => {
    mode = 'dropConfig';
    try {
      const r = await syncOnce(opts());
      expect(r.deleted).toEqual(['ConfigMap/g1-config']);
      expect(await cluster().kube.getOrUndefined(configRef())).toBeUndefined();
      const next = await syncOnce(opts());
      expect(next.request.children['ConfigMap.v1']).toEqual({});
      expect(next.deleted).toEqual([]);
    } finally {
      mode = 'normal';
    }
  });
});
