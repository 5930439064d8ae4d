import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import { createCaches } from '../../src/cache/caches.js';
import { strictResponse, strictResponseJson } from '../../src/server/response.js';

const clock = fixedClock('2026-11-01T10:05:00Z');
const request = (): SyncRequest => JSON.parse(readFileSync(new URL('../fixtures/typical-v2.request.json', import.meta.url), 'utf8')) as SyncRequest;
const workloads = (r: Awaited<ReturnType<typeof runSync>>) => r.response.children.filter((c) => c.kind === 'StatefulSet' || c.kind === 'Deployment');

describe('node-group workloads shared between syncs', () => {
  it('answers a resync byte-identically to a sync that built everything afresh', async () => {
    const caches = createCaches({ enabled: true });
    const fresh = await runSync(request(), { clock, caches });
    const again = await runSync(request(), { clock, caches });
    expect(JSON.stringify(again.response)).toBe(JSON.stringify(fresh.response));
    // The second sync reused the first's objects: nothing was rebuilt.
    expect(workloads(again)).toEqual(workloads(fresh));
    workloads(again).forEach((w, i) => expect(w).toBe(workloads(fresh)[i]));
    // Without a cache, or with a disabled one, every sync builds its own.
    const off = createCaches({ enabled: false });
    const unshared = await runSync(request(), { clock, caches: off });
    expect(JSON.stringify(unshared.response)).toBe(JSON.stringify(fresh.response));
    workloads(unshared).forEach((w, i) => expect(w).not.toBe(workloads(fresh)[i]));
    expect(workloads(await runSync(request(), { clock, caches: off }))[0]).not.toBe(workloads(unshared)[0]);
  });

  it('rebuilds when anything a builder reads changes: spec, labels, generation, operator version', async () => {
    const base = await runSync(request(), { clock });
    // Each of these changes the workloads; parent labels need not, but a stale memo must not answer them.
    const changes: Array<[string, (r: SyncRequest) => void, Parameters<typeof runSync>[1]?]> = [
      ['spec.image', (r) => ((r.parent.spec as Record<string, unknown>).image = 'risingwavelabs/risingwave:v9.9.9')],
      ['metadata.labels', (r) => (r.parent.metadata.labels = { ...r.parent.metadata.labels, team: 'x' })],
      ['metadata.generation', (r) => (r.parent.metadata.generation = (r.parent.metadata.generation ?? 1) + 1)],
      ['operatorVersion', () => {}, { clock, options: { operatorVersion: 'v0.0.0-test' } }],
    ];
    for (const [what, edit, deps] of changes) {
      const r = request();
      edit(r);
      const expected = JSON.stringify(workloads(await runSync(structuredClone(r), deps ?? { clock })));
      // Warm the memo with the unchanged request: the changed one must still get its own answer.
      const caches = createCaches({ enabled: true });
      await runSync(request(), { clock, caches });
      const memoised = JSON.stringify(workloads(await runSync(r, { clock, ...deps, caches })));
      expect(memoised, what).toBe(expected);
      if (what !== 'metadata.labels') expect(memoised, what).not.toBe(JSON.stringify(workloads(base)));
    }
  });

  it('shares only frozen objects: a reaction that mutated one would throw, not corrupt the next answer', async () => {
    const r = await runSync(request(), { clock, caches: createCaches({ enabled: true }) });
    const sts = workloads(r)[0]!;
    expect(Object.isFrozen(sts)).toBe(true);
    expect(Object.isFrozen(sts.spec)).toBe(true);
    expect(() => ((sts.metadata as { name: string }).name = 'x')).toThrow(TypeError);
  });

  it('serialises the response exactly as JSON.stringify does', async () => {
    for (const name of ['typical-v1', 'typical-v2', 'new-v2', 'standalone-v1']) {
      const req = JSON.parse(readFileSync(new URL(`../fixtures/${name}.request.json`, import.meta.url), 'utf8')) as SyncRequest;
      const { response } = await runSync(req, { clock });
      expect(strictResponseJson(response), name).toBe(JSON.stringify(strictResponse(response)));
      expect(strictResponseJson({ ...response, resyncAfterSeconds: 30, finalized: true })).toBe(
        JSON.stringify(strictResponse({ ...response, resyncAfterSeconds: 30, finalized: true })),
      );
    }
  });
});
