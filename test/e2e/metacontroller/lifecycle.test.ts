// One small RisingWave through its life, driven by the real Metacontroller and the production hook: each
// spec edit (scale, restart, upgrade, group add and removal, frontend Deployment <-> StatefulSet, a config
// file edit through `related`, an immutable claim template change) reaches what the API server stores and
// the RisingWave comes back to Running=True; pausing holds every child as it is; a hand-deleted child comes
// back; with the hook down a spec change waits (nothing deleted, nothing changed) and is applied once the
// hook returns; deleting the RisingWave garbage-collects everything. Every check reads the API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHook, stopHook } from '../cluster/metacontroller.js';
import { createNamespace, stackOf, useCluster, waitFor } from '../support.js';
import { childLabel, condition, deleteNamespace, getRw, isPodReady, listPods, rwRef, shippedChildRules, smallRisingWave, storedChildren, storedWorkloads, type Obj } from '../scenarios/harness.js';
import { activityDelta, readActivity, waitQuiet } from './activity.js';
import { editSpec, runningAt, runningFor, storedRw } from './support.js';

const cluster = useCluster();
const NAME = 'life';
let ns = '';
let uid = '';

beforeAll(async () => {
  const c = cluster();
  ns = await createNamespace(c, 'mc-life');
  await c.kube.create({ apiVersion: 'v1', resource: 'configmaps', namespace: ns }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'life-config' }, data: { 'risingwave.toml': '[server]\n' } });
  const rw = smallRisingWave(NAME, ns);
  rw.spec.configuration = { configMap: { name: 'life-config', key: 'risingwave.toml' } };
  await c.kube.create(rwRef(ns), rw);
  uid = (await getRw(c.kube, ns, NAME)).metadata.uid;
});

afterAll(async () => {
  await startHook(cluster()).catch(() => undefined);
  await deleteNamespace(cluster(), ns);
});

const kube = () => cluster().kube;
const edit = (fn: (spec: Obj) => void) => editSpec(cluster(), ns, NAME, fn);
const workloads = () => storedWorkloads(kube(), ns, uid);
const children = () => storedChildren(kube(), ns, shippedChildRules(), uid);
const uidsOf = (objs: Obj[]) => objs.map((o) => `${childLabel(o)}@${o.metadata.uid}`).sort();

async function readyPods(workload: Obj, replicas: number): Promise<Obj[]> {
  return waitFor(`${workload.metadata.name}: ${replicas} Ready pods`, async () => {
    const pods = await listPods(kube(), ns, workload.spec.selector.matchLabels);
    return pods.length === replicas && pods.every(isPodReady) ? pods : undefined;
  });
}

/** Edits the spec and waits until the new generation is Running=True. */
async function editAndSettle(fn: (spec: Obj) => void): Promise<Obj> {
  const stored = await edit(fn);
  return runningAt(cluster(), ns, NAME, stored.metadata.generation);
}

describe('a RisingWave driven by the real Metacontroller', () => {
  it('reaches Running=True; its pod templates carry the hash of the configuration it reads', async () => {
    const rw = await runningFor(cluster(), ns, NAME);
    expect(rw.status.observedGeneration).toBe(rw.metadata.generation);
    for (const w of (await workloads()).values()) {
      expect(w.spec.template.metadata.annotations?.['risingwave.risingwavelabs.com/config-hash'], w.metadata.name).toMatch(/\S/);
    }
  });

  it('scale: the group replicas reach the stored StatefulSet and its pods', async () => {
    const rw = await editAndSettle((s) => (s.components.compute.nodeGroups[0].replicas = 2));
    const sts = (await workloads()).get('life-compute')!;
    expect(sts.spec.replicas).toBe(2);
    await readyPods(sts, 2);
    expect(rw.status.componentReplicas.compute).toMatchObject({ target: 2, running: 2 });
  });

  it("restart: restartAt replaces only that group's pods", async () => {
    const before = await workloads();
    const podsBefore = new Map<string, string[]>();
    for (const [n, w] of before) podsBefore.set(n, (await listPods(kube(), ns, w.spec.selector.matchLabels)).map((p) => p.metadata.uid).sort());
    await editAndSettle((s) => (s.components.compute.nodeGroups[0].restartAt = '2030-01-02T03:04:05Z'));
    for (const [n, w] of await workloads()) {
      if (n === 'life-compute') {
        expect(w.spec.template.metadata.annotations['risingwave/restart-at']).toBe('2030-01-02T03:04:05Z');
        const pods = await waitFor('compute pods replaced', async () => {
          const p = await listPods(kube(), ns, w.spec.selector.matchLabels);
          return p.length === 2 && p.every(isPodReady) && p.every((x) => !podsBefore.get(n)!.includes(x.metadata.uid)) ? p : undefined;
        });
        expect(pods).toHaveLength(2);
      } else {
        expect(w.spec.template, `${n} pod template`).toEqual(before.get(n)!.spec.template);
        expect((await listPods(kube(), ns, w.spec.selector.matchLabels)).map((p) => p.metadata.uid).sort(), `${n} pods untouched`).toEqual(podsBefore.get(n));
      }
    }
  });

  it('config hash via related: editing the ConfigMap the spec names rolls the pods that read it', async () => {
    const before = await workloads();
    const gen = new Map([...before].map(([n, w]) => [n, w.metadata.generation as number]));
    await kube().mergePatch({ apiVersion: 'v1', resource: 'configmaps', namespace: ns, name: 'life-config' }, { data: { 'risingwave.toml': '[server]\nheartbeat_interval_ms = 1000\n' } });
    const after = await waitFor('every workload rolled to the new config hash', async () => {
      const now = await workloads();
      return [...now].every(([n, w]) => w.metadata.generation > gen.get(n)! && w.spec.template.metadata.annotations['risingwave.risingwavelabs.com/config-hash'] !== before.get(n)!.spec.template.metadata.annotations['risingwave.risingwavelabs.com/config-hash']) ? now : undefined;
    });
    expect(after.size).toBe(before.size);
    await runningFor(cluster(), ns, NAME);
  });

  it('upgrade: a new image reaches every workload and its pods; status shows the version and RolledOut', async () => {
    const rw = await editAndSettle((s) => (s.image = 'risingwavelabs/risingwave:v2.5.0'));
    expect(rw.status.version).toBe('v2.5.0');
    expect(condition(rw, 'Upgrading')).toMatchObject({ status: 'False', reason: 'RolledOut' });
    for (const w of (await workloads()).values()) {
      expect(w.spec.template.spec.containers.map((x: Obj) => x.image), w.metadata.name).toEqual(['risingwavelabs/risingwave:v2.5.0']);
      const pods = await readyPods(w, w.spec.replicas);
      expect(pods.map((p) => p.spec.containers[0].image)).toEqual(pods.map(() => 'risingwavelabs/risingwave:v2.5.0'));
    }
  });

  it("group add and removal: only the removed group's workload is deleted", async () => {
    await editAndSettle((s) => s.components.compute.nodeGroups.push({ name: 'extra', replicas: 1, template: structuredClone(s.components.compute.nodeGroups[0].template) }));
    const withExtra = await children();
    const extra = withExtra.find((o) => childLabel(o) === 'StatefulSet/life-compute-extra');
    expect(extra).toBeDefined();
    await editAndSettle((s) => s.components.compute.nodeGroups.splice(1, 1));
    await waitFor('life-compute-extra deleted', async () => !(await children()).some((o) => childLabel(o) === 'StatefulSet/life-compute-extra'));
    expect(uidsOf(await children())).toEqual(uidsOf(withExtra.filter((o) => o !== extra)));
  });

  it('frontend form switch: Deployment -> StatefulSet (with its headless Service) -> Deployment', async () => {
    const kinds = async () => Object.fromEntries([...(await workloads())].filter(([n]) => n.startsWith('life-frontend')).map(([n, w]) => [n, w.kind]));
    expect(await kinds()).toEqual({ 'life-frontend': 'Deployment' });
    await editAndSettle((s) => (s.enableFrontendStatefulSet = true));
    await waitFor('frontend is a StatefulSet', async () => JSON.stringify(await kinds()) === JSON.stringify({ 'life-frontend': 'StatefulSet' }));
    expect((await children()).map(childLabel)).toContain('Service/life-frontend-headless');
    await runningFor(cluster(), ns, NAME);
    await editAndSettle((s) => (s.enableFrontendStatefulSet = false));
    await waitFor('frontend is a Deployment again', async () => JSON.stringify(await kinds()) === JSON.stringify({ 'life-frontend': 'Deployment' }));
    await waitFor('headless Service removed', async () => !(await children()).map(childLabel).includes('Service/life-frontend-headless'));
    await runningFor(cluster(), ns, NAME);
  });

  it('pause: with the pause annotation a spec change is held (every child kept as it is); removing it applies the change', async () => {
    await kube().mergePatch(rwRef(ns, NAME), { metadata: { annotations: { 'risingwave.risingwavelabs.com/pause-reconcile': 'true' } } });
    await storedRw(cluster(), ns, NAME, 'Synced=False/Paused', (rw) => condition(rw, 'Synced')?.reason === 'Paused');
    const before = await children();
    const stored = await edit((s) => (s.components.compute.nodeGroups[0].replicas = 1));
    await storedRw(cluster(), ns, NAME, 'paused at the new generation', (rw) => rw.metadata.generation === stored.metadata.generation && condition(rw, 'Synced')?.reason === 'Paused');
    await waitQuiet(kube(), stackOf(cluster()), { windowMs: 2_000 });
    expect(uidsOf(await children())).toEqual(uidsOf(before));
    expect((await workloads()).get('life-compute')!.spec.replicas).toBe(2);
    await kube().mergePatch(rwRef(ns, NAME), { metadata: { annotations: { 'risingwave.risingwavelabs.com/pause-reconcile': null } } });
    await runningAt(cluster(), ns, NAME, stored.metadata.generation);
    await waitFor('compute scaled to 1', async () => (await workloads()).get('life-compute')!.spec.replicas === 1);
  });

  it('a child deleted by hand is created again', async () => {
    const svc = { apiVersion: 'v1', resource: 'services', namespace: ns, name: 'life-meta' };
    const old = await kube().get<Obj>(svc);
    await kube().delete(svc);
    const back = await waitFor('life-meta recreated', async () => {
      const s = await kube().getOrUndefined<Obj>(svc);
      return s && s.metadata.uid !== old.metadata.uid ? s : undefined;
    });
    expect(back.spec.ports).toEqual(old.spec.ports);
    await runningFor(cluster(), ns, NAME);
  });

  it('the hook down while the spec changes: nothing is deleted or changed; the change is applied once the hook is back', async () => {
    const c = cluster();
    const before = await children();
    await stopHook(c);
    const stored = await edit((s) => (s.components.compute.nodeGroups[0].replicas = 3));
    // Metacontroller calls, fails (connection refused) and retries with backoff; meanwhile nothing moves.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(uidsOf(await children())).toEqual(uidsOf(before));
    expect((await workloads()).get('life-compute')!.spec.replicas).toBe(1);
    const mid = await getRw(kube(), ns, NAME);
    expect(mid.status.observedGeneration).toBeLessThan(stored.metadata.generation);
    await startHook(c);
    const rw = await runningAt(c, ns, NAME, stored.metadata.generation, 120_000);
    expect((await workloads()).get('life-compute')!.spec.replicas).toBe(3);
    expect(rw.status.componentReplicas.compute).toMatchObject({ target: 3, running: 3 });
    expect(uidsOf(await children())).toEqual(uidsOf(before));
  });

  it('immutable field: a changed claim template recreates the StatefulSet (new uid), keeping its claims', async () => {
    const claim = (size: string) => ({ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } });
    const addVolume = (s: Obj, size: string) => {
      const g = s.components.compute.nodeGroups[0];
      g.volumeClaimTemplates = [claim(size)];
      g.template.spec.volumeMounts = [{ name: 'data', mountPath: '/data' }];
    };
    await editAndSettle((s) => addVolume(s, '1Gi'));
    const first = await waitFor('compute with a claim template', async () => {
      const w = (await workloads()).get('life-compute');
      return w?.spec.volumeClaimTemplates?.length === 1 ? w : undefined;
    });
    const claims = async () => ((await kube().list({ apiVersion: 'v1', resource: 'persistentvolumeclaims', namespace: ns })) as Obj[]).map((p) => `${p.metadata.name}@${p.metadata.uid}`).sort();
    const claimsBefore = await waitFor('claims bound', async () => ((await claims()).length === 3 ? claims() : undefined));
    await editAndSettle((s) => addVolume(s, '2Gi'));
    const second = await waitFor('compute recreated', async () => {
      const w = (await workloads()).get('life-compute');
      return w && w.metadata.uid !== first.metadata.uid ? w : undefined;
    });
    expect(second.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
    await runningFor(cluster(), ns, NAME);
    expect(await claims()).toEqual(claimsBefore);
  });

  it('at rest after all of it: no hook sync and no Metacontroller write', async () => {
    const stack = stackOf(cluster());
    // After the last rollout's one-shot resyncs (5 or 10 s: its waits here last seconds).
    await waitQuiet(kube(), stack, { windowMs: 11_000 });
    const before = await readActivity(kube(), stack);
    await new Promise((r) => setTimeout(r, 8_000));
    const d = activityDelta(before, await readActivity(kube(), stack));
    expect(d).toEqual({ apiserverWrites: {}, metacontrollerWrites: {}, hookSyncs: 0 });
  });

  it('deleting the RisingWave garbage-collects every child and pod', async () => {
    await cluster().kubectl(['delete', 'rw', NAME, '-n', ns, '--wait=true', '--timeout=60s']);
    await waitFor('children collected', async () => (await children()).length === 0, { timeoutMs: 60_000 });
    await waitFor('pods collected', async () => (await listPods(kube(), ns, { 'risingwave/name': NAME })).length === 0, { timeoutMs: 60_000 });
  });
});
