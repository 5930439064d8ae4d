// The real Metacontroller next to the e2e cluster, as global-setup.ts starts it: the binary of the pinned
// tag, the CompositeController users install (`kubectl kustomize metacontroller/`, hooks pointed at the
// production hook by url), and a small RisingWave it drives to Running=True on its own: children created
// with Metacontroller's ownerReference, selector label and last-applied annotation; at rest neither
// Metacontroller nor the hook does anything, and a forced resync writes nothing; deleting the RisingWave
// garbage-collects its children.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, renderCompositeController } from '../cluster/metacontroller.js';
import { createNamespace, stackOf, useCluster, waitFor } from '../support.js';
import { condition, deleteNamespace, getRw, rwRef, smallRisingWave, storedChildren, shippedChildRules, type Obj } from '../scenarios/harness.js';
import { activityDelta, NOTHING, readActivity, waitQuiet } from './activity.js';
import { annotateParent, lastPendingResync, runningFor } from './support.js';

const cluster = useCluster();
let ns = '';

beforeAll(async () => {
  ns = await createNamespace(cluster(), 'mc-stack');
});
afterAll(async () => {
  await deleteNamespace(cluster(), ns);
});

describe('the real Metacontroller', () => {
  it('runs the pinned version against the cluster, with the CompositeController of metacontroller/ pointed at the hook', async () => {
    const c = cluster();
    const stack = stackOf(c);
    const log = readFileSync(join(c.logDir, 'metacontroller.log'), 'utf8');
    expect(log).toMatch(/"msg":"Configuration information".*"version":"4\.17\.2"/);
    const stored = await c.kube.get<Obj>({ apiVersion: 'metacontroller.k8s.io/v1alpha1', resource: 'compositecontrollers', name: 'risingwave-controller' });
    const want = await renderCompositeController(c, 'metacontroller', stack.hookUrl);
    expect(stored.spec).toMatchObject(want.spec);
    expect(stored.spec.hooks.sync.webhook).toMatchObject({ url: `${stack.hookUrl}/sync`, timeout: '5s' });
    expect(stored.spec.hooks.sync.webhook.service).toBeUndefined();
  });

  it("the README's CRD install command is accepted by the API server", async () => {
    const c = cluster();
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/`(kubectl apply [^`]*crds\/[^`]*)`/g)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const args = command.split(/\s+/).slice(1).map((a) => (a.startsWith('crds/') ? join(REPO_ROOT, a) : a));
      const out = await c.kubectl([...args, '--dry-run=server']);
      expect(out, command).toContain('customresourcedefinition.apiextensions.k8s.io/risingwaves.risingwave.risingwavelabs.com');
    }
  });

  it('drives a RisingWave to Running=True: children stored with its ownerReference, selector label and last-applied', async () => {
    const c = cluster();
    await c.kube.create(rwRef(ns), smallRisingWave('small', ns));
    const rw = await runningFor(c, ns, 'small');
    expect(rw.status.observedGeneration).toBe(rw.metadata.generation);
    const children = await storedChildren(c.kube, ns, shippedChildRules(), rw.metadata.uid);
    expect(children.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['ConfigMap', 'Service', 'StatefulSet', 'Deployment']));
    for (const o of children) {
      expect(o.metadata.ownerReferences).toEqual([
        { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', kind: 'RisingWave', name: 'small', uid: rw.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(o.metadata.annotations['metacontroller.k8s.io/last-applied-configuration']).toBeTruthy();
    }
  });

  it('at rest: no hook sync and no write over an idle window; a forced resync writes nothing', async () => {
    const c = cluster();
    const stack = stackOf(c);
    const pending = lastPendingResync([await getRw(c.kube, ns, 'small')]);
    await new Promise((r) => setTimeout(r, Math.max(0, pending - Date.now())));
    await waitQuiet(c.kube, stack);
    const before = await readActivity(c.kube, stack);
    await new Promise((r) => setTimeout(r, 10_000));
    expect(activityDelta(before, await readActivity(c.kube, stack))).toEqual(NOTHING);

    const start = await readActivity(c.kube, stack);
    await annotateParent(c, ns, 'small');
    await waitQuiet(c.kube, stack, { windowMs: 3_000 });
    const d = activityDelta(start, await readActivity(c.kube, stack));
    expect(d.hookSyncs, 'the annotation change is synced').toBeGreaterThanOrEqual(1);
    // Only the test's own PATCH of the parent.
    expect(d.apiserverWrites).toEqual({ 'PATCH risingwaves': 1 });
    expect(d.metacontrollerWrites).toEqual({});
  });

  it('deleting the RisingWave garbage-collects its children', async () => {
    const c = cluster();
    const rw = await getRw(c.kube, ns, 'small');
    await c.kube.delete(rwRef(ns, 'small'));
    await waitFor('children gone', async () => (await storedChildren(c.kube, ns, shippedChildRules(), rw.metadata.uid)).length === 0, { timeoutMs: 60_000 });
    expect(condition(rw, 'Running')?.status).toBe('True');
  });
});
