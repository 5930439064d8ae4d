/**
 * Helpers for scenarios driven by the real Metacontroller: waiting on what the API server stores, and
 * nudging a parent so that Metacontroller syncs it again.
 */
import { rolloutResyncSeconds } from '../../../src/reactions/status/backoff.js';
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

/** Reads the stored RisingWave, changes its spec with `edit`, writes it back; retries when a status write raced. */
export async function editSpec(c: E2eCluster, ns: string, name: string, edit: (spec: Obj) => void): Promise<Obj> {
  for (let attempt = 0; ; attempt++) {
    const rw = await getRw(c.kube, ns, name);
    edit(rw.spec);
    try {
      return await c.kube.replace<Obj>(rwRef(ns, name), rw);
    } catch (e) {
      if (attempt < 5 && (e as { status?: number }).status === 409) continue;
      throw e;
    }
  }
}

/** Running=True for `generation` at least (a spec edit has been seen and rolled out). */
export const runningAt = (c: E2eCluster, ns: string, name: string, generation: number, timeoutMs = 90_000): Promise<Obj> =>
  storedRw(c, ns, name, `Running=True at generation ${generation}`, (rw) => rw.metadata.generation >= generation && isSettledRunning(rw), timeoutMs);

/**
 * When the last one-shot resync the hook may have asked for (resyncAfterSeconds while it waited for the
 * rollout, src/reactions/status/backoff.ts) fires at the latest, in ms since the epoch: Metacontroller calls the hook
 * once more then, even though nothing changed. The wait lasted at most from creation to the stored
 * Running=True transition; the delay asked grows with it. Idle windows start after this.
 */
export function lastPendingResync(rws: Obj[]): number {
  let latest = 0;
  for (const rw of rws) {
    const running = condition(rw, 'Running');
    if (running?.status !== 'True') throw new Error(`${rw.metadata.name} is not Running`);
    const settled = Date.parse(running.lastTransitionTime);
    const waited = (settled - Date.parse(rw.metadata.creationTimestamp)) / 1000;
    // Stored times have whole seconds: one second of slack on each side.
    latest = Math.max(latest, settled + (rolloutResyncSeconds(waited + 1) + 2) * 1000);
  }
  return latest;
}
