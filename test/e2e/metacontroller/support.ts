/**
 * Helpers for scenarios driven by the real Metacontroller: waiting on what the API server stores, and
 * nudging a parent so that Metacontroller syncs it again.
 */
import { waitFor, type E2eCluster } from '../support.js';
import { condition, getRw, rwRef, type Obj } from '../scenarios/harness.js';

/** Waits until the stored RisingWave satisfies `done` (observedGeneration current); returns it. */
export async function storedRw(c: E2eCluster, ns: string, name: string, what: string, done: (rw: Obj) => boolean, timeoutMs = 90_000): Promise<Obj> {
  let last: Obj | undefined;
  try {
    return await waitFor(
      `${ns}/${name}: ${what}`,
      async () => {
        last = await getRw(c.kube, ns, name);
        return last.status?.observedGeneration === last.metadata.generation && done(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 300 },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast stored status: ${JSON.stringify(last?.status ?? null)}`);
  }
}

/** Running=True for the current generation, nothing upgrading or recreating. */
export const isSettledRunning = (rw: Obj): boolean =>
  condition(rw, 'Running')?.status === 'True' && condition(rw, 'Upgrading')?.status !== 'True' && condition(rw, 'Recreating') === undefined;

export const runningFor = (c: E2eCluster, ns: string, name: string, timeoutMs = 90_000): Promise<Obj> =>
  storedRw(c, ns, name, 'Running=True', isSettledRunning, timeoutMs);

let nudges = 0;
/** Changes an annotation on the parent: Metacontroller syncs it (no generation change, so the spec is as before). */
export async function annotateParent(c: E2eCluster, ns: string, name: string): Promise<void> {
  await c.kube.mergePatch(rwRef(ns, name), { metadata: { annotations: { 'e2e.rw-hook.test/nudge': `${Date.now()}-${++nudges}` } } });
}
