// The kustomize overlays users install, through the real Metacontroller.
// - overlays/auth: its Secret and CompositeController (from a copy of metacontroller/ holding a generated
//   token, as the overlay's comment says to create it); the hook reads the same token file. RisingWaves
//   converge with no 401; with a hook token that no longer matches, Metacontroller's calls are refused and
//   nothing is applied or deleted until the tokens match again.
// - overlays/with-servicemonitor WITHOUT the Prometheus Operator's CRD: Metacontroller cannot start the
//   controller, so no RisingWave is synced at all (the one already there keeps its children untouched).
//   Once a ServiceMonitor CRD exists, Metacontroller's discovery finds it and a RisingWave asking for a
//   ServiceMonitor gets one. (The CRD here is a minimal structural one for monitoring.coreos.com/v1
//   ServiceMonitor; Metacontroller only needs the resource to be served.)
// The base CompositeController and hook settings are restored afterwards.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCompositeController, REPO_ROOT, renderOverlayObjects, startHook } from '../cluster/metacontroller.js';
import { createNamespace, stackOf, useCluster, waitFor } from '../support.js';
import { childLabel, deleteNamespace, getRw, rwRef, shippedChildRules, smallRisingWave, storedChildren, type Obj } from '../scenarios/harness.js';
import { parseCounter } from './activity.js';
import { editSpec, runningAt, runningFor } from './support.js';

const cluster = useCluster();
let ns = '';
let tmp = '';
const SM_CRD = 'servicemonitors.monitoring.coreos.com';

beforeAll(async () => {
  ns = await createNamespace(cluster(), 'mc-overlays');
  tmp = mkdtempSync(join(tmpdir(), 'rw-e2e-overlays-'));
  // The overlay's base reaches ../../crds: both folders, side by side as in the repository.
  for (const dir of ['metacontroller', 'crds']) cpSync(join(REPO_ROOT, dir), join(tmp, dir), { recursive: true });
});

afterAll(async () => {
  const c = cluster();
  await applyCompositeController(c, 'metacontroller');
  await startHook(c, {});
  await deleteNamespace(c, ns);
  await c.kube.delete({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions', name: SM_CRD }).catch(() => undefined);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 180_000);

async function rejections401(): Promise<number> {
  const text = await (await fetch(`${stackOf(cluster()).hookUrl}/metrics`)).text();
  let n = 0;
  for (const [labels, v] of parseCounter(text, 'rw_hook_http_rejections_total')) if (labels.includes('code="401"')) n += v;
  return n;
}

const uids = async (uid: string) =>
  (await storedChildren(cluster().kube, ns, shippedChildRules(), uid)).map((o) => `${childLabel(o)}@${o.metadata.uid}@${o.metadata.generation ?? ''}`).sort();

describe('overlays/auth', () => {
  const tokenFile = () => join(tmp, 'metacontroller', 'overlays', 'auth', 'token');

  it('with the Secret and the CompositeController it renders, RisingWaves converge and no request is refused', async () => {
    const c = cluster();
    writeFileSync(tokenFile(), 'e2e-token-0123456789abcdef');
    const overlay = join(tmp, 'metacontroller', 'overlays', 'auth');
    const objs = await renderOverlayObjects(c, overlay, ['Namespace', 'Secret']);
    expect(objs.map((o) => o.kind).sort()).toEqual(['Namespace', 'Secret']);
    await c.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
    await startHook(c, { AUTH_TOKEN_FILE: tokenFile() });
    const cc = await applyCompositeController(c, overlay);
    expect(cc.spec.hooks.sync.webhook.authorization).toEqual({ type: 'Bearer', secretRef: { name: 'risingwave-hook-auth', namespace: 'risingwave-hook', key: 'token' } });
    const refused = await rejections401();
    await c.kube.create(rwRef(ns), smallRisingWave('authed', ns));
    await runningFor(c, ns, 'authed');
    expect(await rejections401()).toBe(refused);
  });

  it('a hook token that does not match: every call is refused (401), nothing applied or deleted; matching again applies the change', async () => {
    const c = cluster();
    const rw = await getRw(c.kube, ns, 'authed');
    const before = await uids(rw.metadata.uid);
    const wrong = join(tmp, 'wrong-token');
    writeFileSync(wrong, 'not-the-token');
    await startHook(c, { AUTH_TOKEN_FILE: wrong });
    const refused = await rejections401();
    const stored = await editSpec(c, ns, 'authed', (s) => (s.components.compute.nodeGroups[0].replicas = 2));
    await waitFor('Metacontroller refused', async () => (await rejections401()) > refused);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await uids(rw.metadata.uid)).toEqual(before);
    expect((await getRw(c.kube, ns, 'authed')).status.observedGeneration).toBeLessThan(stored.metadata.generation);
    await startHook(c, { AUTH_TOKEN_FILE: tokenFile() });
    await runningAt(c, ns, 'authed', stored.metadata.generation, 120_000);
    const sts = await c.kube.get<Obj>({ apiVersion: 'apps/v1', resource: 'statefulsets', namespace: ns, name: 'authed-compute' });
    expect(sts.spec.replicas).toBe(2);
  });
});

describe('overlays/with-servicemonitor', () => {
  it('without the Prometheus Operator CRD: no RisingWave is synced any more, and existing children are left alone', async () => {
    const c = cluster();
    await applyCompositeController(c, 'metacontroller');
    await startHook(c, {});
    const existing = await runningFor(c, ns, 'authed');
    const before = await uids(existing.metadata.uid);
    await applyCompositeController(c, 'metacontroller/overlays/with-servicemonitor');
    const withMonitor = smallRisingWave('monitored', ns);
    withMonitor.spec.enableDefaultServiceMonitor = true;
    await c.kube.create(rwRef(ns), withMonitor);
    const log = join(c.logDir, 'metacontroller.log');
    await waitFor('Metacontroller reports the missing resource', async () => /servicemonitors/.test(readFileSync(log, 'utf8').split('\n').filter((l) => /error/i.test(l)).join('\n')), { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 5_000));
    const monitored = await getRw(c.kube, ns, 'monitored');
    expect(monitored.status, 'a new RisingWave is never synced').toBeUndefined();
    expect(await storedChildren(c.kube, ns, shippedChildRules(), monitored.metadata.uid)).toEqual([]);
    expect(await uids(existing.metadata.uid)).toEqual(before);
  });

  it('once the CRD exists, Metacontroller discovers it and the RisingWave gets its ServiceMonitor', async () => {
    const c = cluster();
    await c.kube.create(
      { apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' },
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: SM_CRD },
        spec: {
          group: 'monitoring.coreos.com',
          names: { kind: 'ServiceMonitor', listKind: 'ServiceMonitorList', plural: 'servicemonitors', singular: 'servicemonitor' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
      },
    );
    const rw = await runningFor(c, ns, 'monitored', 150_000);
    const monitors = (await c.kube.list({ apiVersion: 'monitoring.coreos.com/v1', resource: 'servicemonitors', namespace: ns }, `controller-uid=${rw.metadata.uid}`)) as Obj[];
    expect(monitors).toHaveLength(1);
    expect(monitors[0]!.metadata.ownerReferences[0]).toMatchObject({ kind: 'RisingWave', name: 'monitored', controller: true });
    await runningFor(c, ns, 'authed');
  });
});
