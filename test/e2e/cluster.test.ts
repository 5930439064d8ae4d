// Smoke test of the e2e cluster itself (test/e2e/cluster): proves that the API server, CRDs
// with a status subresource, the controllers the RisingWave hook relies on (deployment,
// statefulset, garbage collector), the scheduler and kwok's fake kubelet/volume provisioner
// all work, so that failures in the hook's e2e tests are about the hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, useCluster, waitFor } from './support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cluster = useCluster();
let ns = '';

const GROUP = 'smoke.e2e.rw-hook.test';
const CRD_NAME = `widgets.${GROUP}`;
const widgets = () => ({ apiVersion: `${GROUP}/v1`, resource: 'widgets', namespace: ns });
const deployments = () => ({ apiVersion: 'apps/v1', resource: 'deployments', namespace: ns });
const statefulsets = () => ({ apiVersion: 'apps/v1', resource: 'statefulsets', namespace: ns });
const configmaps = () => ({ apiVersion: 'v1', resource: 'configmaps', namespace: ns });

beforeAll(async () => {
  ns = await createNamespace(cluster(), 'smoke');
});

afterAll(async () => {
  if (!ns) return;
  await cluster().kube.delete({ apiVersion: 'v1', resource: 'namespaces', name: ns }).catch(() => undefined);
  await cluster().kube.delete({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions', name: CRD_NAME }).catch(() => undefined);
});

describe('e2e cluster', () => {
  it('serves Kubernetes v1.36.3 with Ready, untainted fake nodes', async () => {
    const { kube } = cluster();
    const version = await kube.request<Obj>('GET', '/version');
    expect(version.gitVersion).toBe('v1.36.3');
    const nodes = (await kube.list({ apiVersion: 'v1', resource: 'nodes' })) as Obj[];
    expect(nodes.length).toBeGreaterThanOrEqual(1);
    for (const n of nodes) {
      expect(n.status.conditions.find((c: Obj) => c.type === 'Ready')?.status).toBe('True');
      expect(n.spec.taints ?? []).toEqual([]);
    }
  });

  it('establishes a CRD with a status subresource', async () => {
    const c = cluster();
    await c.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: CRD_NAME },
        spec: {
          group: GROUP,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
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
                    spec: { type: 'object', properties: { size: { type: 'integer' } } },
                    status: { type: 'object', properties: { observedGeneration: { type: 'integer' }, phase: { type: 'string' } } },
                  },
                },
              },
            },
          ],
        },
      }),
    );
    await c.kubectl(['wait', '--for=condition=Established', `crd/${CRD_NAME}`, '--timeout=60s']);
    // The new resource is served (discovery can lag Established by a moment).
    const created = await waitFor('Widget create', () =>
      c.kube.create<Obj>(widgets(), { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1 } }),
    );
    expect(created.metadata.generation).toBe(1);

    // Status goes through /status only and does not bump generation; unknown fields are pruned.
    const withStatus = { ...created, status: { observedGeneration: 1, phase: 'Ready', pruned: 'x' } };
    const afterStatus = await c.kube.replace<Obj>({ ...widgets(), name: 'w1', subresource: 'status' }, withStatus);
    expect(afterStatus.status).toEqual({ observedGeneration: 1, phase: 'Ready' });
    expect(afterStatus.metadata.generation).toBe(1);

    // A spec change through the main resource bumps generation and cannot touch status.
    const afterSpec = await c.kube.replace<Obj>({ ...widgets(), name: 'w1' }, { ...afterStatus, spec: { size: 2 }, status: { phase: 'Ignored' } });
    expect(afterSpec.metadata.generation).toBe(2);
    expect(afterSpec.status).toEqual({ observedGeneration: 1, phase: 'Ready' });
  });

  it('runs a Deployment to 2 ready replicas (scheduler + kwok pod-ready)', async () => {
    const c = cluster();
    await c.kube.create(deployments(), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'example.invalid/web:1' }] } },
      },
    });
    const d = await waitFor('deployment web readyReplicas=2', async () => {
      const d = await c.kube.get<Obj>({ ...deployments(), name: 'web' });
      return d.status?.readyReplicas === 2 && d;
    });
    expect(d.status.availableReplicas).toBe(2);
    const pods = (await c.kube.list({ apiVersion: 'v1', resource: 'pods', namespace: ns }, 'app=web')) as Obj[];
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.spec.nodeName).toMatch(/^kwok-node-/);
      expect(p.status.phase).toBe('Running');
      expect(p.status.podIP).toBeTruthy();
    }
  });

  it('runs a StatefulSet with a volumeClaimTemplate (kwok volume provisioner) and scales it down', async () => {
    const c = cluster();
    await c.kubectl(
      ['apply', '-n', ns, '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          replicas: 2,
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'example.invalid/db:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
          },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      }),
    );
    await waitFor('statefulset db readyReplicas=2', async () => (await c.kube.get<Obj>({ ...statefulsets(), name: 'db' })).status?.readyReplicas === 2);
    const pvcs = (await c.kube.list({ apiVersion: 'v1', resource: 'persistentvolumeclaims', namespace: ns })) as Obj[];
    expect(pvcs.map((p) => [p.metadata.name, p.status.phase, p.spec.storageClassName]).sort()).toEqual([
      ['data-db-0', 'Bound', 'kwok-volume'],
      ['data-db-1', 'Bound', 'kwok-volume'],
    ]);

    // Scale-down needs kwok's pod-delete stage to finish graceful deletion.
    await c.kube.mergePatch({ ...statefulsets(), name: 'db' }, { spec: { replicas: 1 } });
    await waitFor('statefulset db scaled to 1', async () => {
      const s = await c.kube.get<Obj>({ ...statefulsets(), name: 'db' });
      const pods = await c.kube.list({ apiVersion: 'v1', resource: 'pods', namespace: ns }, 'app=db');
      return s.status?.replicas === 1 && s.status?.readyReplicas === 1 && pods.length === 1;
    });
  });

  it('garbage-collects dependents when an owner is deleted (built-in and custom owners)', async () => {
    const c = cluster();
    const ownerRefTo = (o: Obj) => [
      { apiVersion: o.apiVersion ?? 'v1', kind: o.kind ?? 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true },
    ];
    // Deployment -> ReplicaSet -> Pods (Background propagation, as Metacontroller deletes).
    await c.kube.delete({ ...deployments(), name: 'web' }, { propagationPolicy: 'Background' });
    await waitFor('web pods and replicasets collected', async () => {
      const rs = await c.kube.list({ apiVersion: 'apps/v1', resource: 'replicasets', namespace: ns });
      const pods = await c.kube.list({ apiVersion: 'v1', resource: 'pods', namespace: ns }, 'app=web');
      return rs.length === 0 && pods.length === 0;
    });

    // ConfigMap owner -> ConfigMap dependent.
    const owner = await c.kube.create<Obj>(configmaps(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    await c.kube.create(configmaps(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dependent', ownerReferences: ownerRefTo({ ...owner, apiVersion: 'v1', kind: 'ConfigMap' }) } });
    await c.kube.delete({ ...configmaps(), name: 'owner' }, { propagationPolicy: 'Background' });
    await waitFor('dependent ConfigMap collected', async () => !(await c.kube.getOrUndefined({ ...configmaps(), name: 'dependent' })));

    // Custom-resource owner (like a RisingWave parent) -> ConfigMap + StatefulSet dependents.
    const widget = await c.kube.get<Obj>({ ...widgets(), name: 'w1' });
    await c.kube.create(configmaps(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1-config', ownerReferences: ownerRefTo(widget) } });
    await c.kube.mergePatch({ ...statefulsets(), name: 'db' }, { metadata: { ownerReferences: ownerRefTo(widget) } });
    const t0 = Date.now();
    await c.kube.delete({ ...widgets(), name: 'w1' }, { propagationPolicy: 'Background' });
    await waitFor(
      'dependents of the Widget collected',
      async () => {
        const cm = await c.kube.getOrUndefined({ ...configmaps(), name: 'w1-config' });
        const sts = await c.kube.getOrUndefined({ ...statefulsets(), name: 'db' });
        const pods = await c.kube.list({ apiVersion: 'v1', resource: 'pods', namespace: ns }, 'app=db');
        return !cm && !sts && pods.length === 0;
      },
      { timeoutMs: 120_000 }, // the GC re-discovers new CRD kinds periodically
    );
    process.stderr.write(`[smoke] GC of custom-resource dependents took ${Date.now() - t0} ms\n`);
  });
});
