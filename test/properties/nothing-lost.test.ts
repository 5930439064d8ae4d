import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { buildRequest, observedCase, previousStatus, RW, specCase } from './arbitraries.js';
import { mayRemove } from './may-remove.js';

const clock = fixedClock('2026-01-01T00:00:00Z');

const arbitrary = fc.tuple(specCase, observedCase, fc.constantFrom<'v1' | 'v2'>('v1', 'v2'), fc.integer({ min: 1, max: 3 }), previousStatus);

describe('nothing lost (property)', () => {
  it('every observed child is in the response unless removed for an allowed reason; invalid/paused keep all', async () => {
    const seen = { removedSome: 0, invalid: 0, paused: 0, recreated: 0 };
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([c, observed, hookVersion, generation, status]) => {
        const request = buildRequest(c, observed, hookVersion, generation, status);
        const { response, outcome } = await runSync(request, { clock });
        expect(outcome).not.toBe('error');
        const returned = new Set(response.children.map((o) => `${o.kind}.${o.apiVersion}/${o.metadata.name}`));
        const conditions = (response.status.conditions ?? []) as { type: string; status: string; message: string }[];
        const invalid = conditions.some((x) => x.type === 'Valid' && x.status === 'False');
        const recreating = conditions.find((x) => x.type === 'Recreating')?.message ?? '';
        expect(invalid, c.broken ? `spec broken by ${c.broken}` : `valid spec refused: ${JSON.stringify(conditions)}`).toBe(c.broken !== undefined);
        if (invalid) seen.invalid++;
        if (c.paused) seen.paused++;
        if (recreating) seen.recreated++;
        let dropped = 0;
        for (const byName of Object.values(request.children ?? {})) {
          for (const obj of Object.values(byName) as KubeObject[]) {
            const id = `${obj.kind}.${obj.apiVersion}/${obj.metadata.name}`;
            if (returned.has(id)) continue;
            dropped++;
            const allowed = !invalid && !c.paused && mayRemove(c.spec, obj, recreating, RW);
            expect(allowed, `${id} was dropped (invalid=${invalid}, paused=${c.paused})`).toBe(true);
          }
        }
        // No child twice.
        expect(returned.size).toBe(response.children.length);
        if (dropped > 0) seen.removedSome++;
      }),
      { numRuns: 10_000 },
    );
    console.log('nothing-lost coverage', JSON.stringify(seen));
    // The generators reach every interesting region (otherwise the property could pass vacuously).
    expect(seen.invalid).toBeGreaterThan(1000);
    expect(seen.paused).toBeGreaterThan(300);
    expect(seen.recreated).toBeGreaterThan(100);
    expect(seen.removedSome).toBeGreaterThan(1000);
  }, 180_000);

  it('deterministic: the same request twice gives byte-identical JSON', async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([c, observed, hookVersion, generation, status]) => {
        const request = buildRequest(c, observed, hookVersion, generation, status);
        const copy = structuredClone(request);
        const a = await runSync(request, { clock });
        const b = await runSync(copy, { clock });
        expect(JSON.stringify(b.response)).toBe(JSON.stringify(a.response));
        // The hook never modifies its input.
        expect(JSON.stringify(request)).toBe(JSON.stringify(copy));
      }),
      { numRuns: 2_000 },
    );
  }, 120_000);
});
