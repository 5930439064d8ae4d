// The rollout deadline on the real control plane: a compactor whose pods can never schedule (a nodeSelector
// no fake node matches) keeps the RisingWave waiting; past `rolloutDeadlineSeconds` (3 s for this hook
// server) the stored reason turns RolloutStuck once and the status then stays still (no hot loop); fixing
// the spec lets it roll out and reach Running=True.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncOptions } from '../driver/sync-driver.js';
import { createNamespace, useCluster, withoutMetacontroller } from '../support.js';
import {
  condition,
  converged,
  deleteNamespace,
  expectNoHotLoop,
  getRw,
  rwRef,
  smallRisingWave,
  startHook,
  storedWorkloads,
  syncOptions,
  syncUntilStored,
  type Hook,
  type Obj,
} from './harness.js';

const cluster = useCluster();
// Driven by test/e2e/driver: the real Metacontroller must not sync these RisingWaves meanwhile.
withoutMetacontroller(cluster);
const NAME = 'stuck';
let ns = '';
let hook: Hook;
let o: SyncOptions;

beforeAll(async () => {
  hook = await startHook({ rolloutDeadlineSeconds: 3 });
  ns = await createNamespace(cluster(), 'deadline');
  o = syncOptions(cluster(), hook, ns, NAME);
  const rw = smallRisingWave(NAME, ns);
  rw.spec.components.compactor.nodeGroups[0].template.spec.nodeSelector = { 'e2e.rw-hook.test/nowhere': 'true' };
  await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(rw));
});

afterAll(async () => {
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
});

describe('rollout deadline', () => {
  it('an unschedulable group turns the stored reason RolloutStuck after the deadline, naming the group', async () => {
    const passes = await syncUntilStored(o, ({ rw }) => condition(rw, 'Running')?.reason === 'RolloutStuck', { timeoutMs: 60_000, intervalMs: 500 });
    const rw = passes.at(-1)!.rw;
    expect(condition(rw, 'Running')).toMatchObject({ status: 'False', reason: 'RolloutStuck' });
    expect(condition(rw, 'Running')!.message).toContain('compactor');
    expect(condition(rw, 'Initializing')).toMatchObject({ status: 'True', reason: 'RolloutStuck' });
    // The deadline is measured from the waiting condition's stored transition time, which did not move.
    const firstWaiting = passes.find((p) => condition(p.rw, 'Running')?.status === 'False')!;
    expect(condition(rw, 'Running')!.lastTransitionTime).toBe(condition(firstWaiting.rw, 'Running')!.lastTransitionTime);
    // Not before the deadline (the stored time has whole seconds, so allow one second of truncation).
    expect(Date.now() - Date.parse(condition(rw, 'Running')!.lastTransitionTime)).toBeGreaterThanOrEqual(2_000);
    expect(passes.slice(0, -1).every((p) => condition(p.rw, 'Running')?.reason !== 'RolloutStuck')).toBe(true);
    expect(passes.at(-1)!.report.response.resyncAfterSeconds).toBeGreaterThan(0);
    // Everything else did roll out: only the compactor is missing its pod.
    const workloads = await storedWorkloads(cluster().kube, ns, rw.metadata.uid);
    expect([...workloads.values()].filter((w) => (w.status.readyReplicas ?? 0) < 1).map((w) => w.metadata.name)).toEqual(['stuck-compactor']);
  });

  it('stuck is a rest state: passes over it write nothing', async () => {
    await expectNoHotLoop(o, { repeats: 2 });
    expect(condition(await getRw(cluster().kube, ns, NAME), 'Running')?.reason).toBe('RolloutStuck');
  });

  it('fixing the spec rolls out and reaches Running=True', async () => {
    const rw = await getRw(cluster().kube, ns, NAME);
    const groups = structuredClone(rw.spec.components.compactor.nodeGroups) as Obj[];
    delete groups[0]!.template.spec.nodeSelector;
    await cluster().kube.mergePatch(rwRef(ns, NAME), { spec: { components: { compactor: { nodeGroups: groups } } } });
    const passes = await syncUntilStored(o, converged, { timeoutMs: 120_000 });
    const now = passes.at(-1)!.rw;
    expect(condition(now, 'Running')).toMatchObject({ status: 'True', reason: 'AllComponentsReady' });
    expect(condition(now, 'Initializing')).toBeUndefined();
    expect((await storedWorkloads(cluster().kube, ns, now.metadata.uid)).get('stuck-compactor')!.status.readyReplicas).toBe(1);
  });
});
