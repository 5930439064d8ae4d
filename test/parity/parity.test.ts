import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderDetailed } from '../../src/cli/render.js';
import { EXAMPLES_DIR } from '../support/render.js';
import { objectKey, unexplained, type Obj, type Side, type Sides } from './compare.js';
import { corpus } from './corpus.js';
import { apiServerStore, buildProgram, operatorRender } from './program.js';

/**
 * The hook against risingwave-operator v0.17.2's own code: every example, the operator's own example
 * manifests and a random corpus go through `rw-hook render` and through the operator's CRD, webhooks
 * and factory (test/parity/build.sh); both sides are then stored as kube-apiserver v1.36.3 would store
 * them and compared object by object. Only the differences in compare.ts's ALLOWED_DIFFERENCES
 * (docs/parity.md) pass. PARITY_RUNS (default 300) and PARITY_SEED choose the corpus.
 */

const runs = Number(process.env.PARITY_RUNS ?? 300);
const seed = Number(process.env.PARITY_SEED ?? Date.now() % 2 ** 31);
console.log(`parity corpus: PARITY_SEED=${seed} PARITY_RUNS=${runs}`);

const program = buildProgram();

function risingWaves(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJSON() as Obj | null)
    .filter((o): o is Obj => o?.kind === 'RisingWave');
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? yamlFiles(join(dir, f)) : f.endsWith('.yaml') ? [join(dir, f)] : []))
    .sort();
}

interface Case {
  readonly name: string;
  readonly input: Obj;
}

const cases: Case[] = [
  ...yamlFiles(EXAMPLES_DIR).flatMap((f) => risingWaves(f).map((input) => ({ name: `examples/${relative(EXAMPLES_DIR, f)}`, input }))),
  ...yamlFiles(program.manifests).flatMap((f) => risingWaves(f).map((input) => ({ name: `operator docs/manifests/${relative(program.manifests, f)}`, input }))),
  ...corpus(seed, runs).map((input) => ({ name: `corpus ${String((input.metadata as Obj).name)} (seed ${seed})`, input })),
];

async function hookSide(input: Obj): Promise<Obj[] | { rejected: string }> {
  const spec = (input.spec ?? {}) as Obj;
  const result = await renderDetailed(input, { serviceMonitor: spec.enableDefaultServiceMonitor === true });
  if (result.outcome === 'error') throw new Error(`hook sync failed: ${result.reason}`);
  const conditions = (result.status.conditions ?? []) as Obj[];
  const valid = conditions.find((c) => c.type === 'Valid');
  if (valid && valid.status !== 'True') return { rejected: String(valid.message) };
  return result.children as unknown as Obj[];
}

// A render that throws or whose sync fails is a bug, never a refusal: recorded here and failed per case.
const hookErrors = new Map<number, string>();
const hookResults = await Promise.all(
  cases.map((c, i) =>
    hookSide(structuredClone(c.input)).catch((e: Error) => {
      hookErrors.set(i, e.message);
      return [] as Obj[];
    }),
  ),
);
const operatorResults = operatorRender(program, cases.map((c) => c.input));

// The operator once more for inputs that pin images by digest, with the digests cut off (see the allowed
// difference digest-is-not-a-version); the images are put back before the API server defaults them.
const DIGESTS = /@sha256:[0-9a-f]{64}/g;
const digestCases = cases.flatMap((c, i) => (JSON.stringify(c.input).match(DIGESTS) ? [i] : []));
const ignoringDigests = new Map<number, Side>();
{
  const results = operatorRender(program, digestCases.map((i) => JSON.parse(JSON.stringify(cases[i]!.input).replace(DIGESTS, '')) as Obj));
  digestCases.forEach((caseIndex, j) => {
    const r = results[j]!;
    const original = operatorResults[caseIndex]!;
    if (!r.objects || !original.objects) return void ignoringDigests.set(caseIndex, r.objects ?? { rejected: r.rejected ?? '' });
    const originals = new Map(original.objects.map((o) => [objectKey(o), o]));
    for (const o of r.objects) {
      const from = originals.get(objectKey(o));
      for (const field of ['containers', 'initContainers'] as const) {
        const to = ((o.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined;
        const src = ((from?.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined;
        ((to?.[field] ?? []) as Obj[]).forEach((c, k) => (c.image = ((src?.[field] as Obj[])[k] ?? c).image));
      }
    }
    ignoringDigests.set(caseIndex, r.objects);
  });
}

// Every side as the API server stores it, in one batch.
const all: Obj[] = [];
for (const r of [...hookResults, ...operatorResults.map((r) => r.objects ?? { rejected: r.rejected }), ...ignoringDigests.values()]) if (Array.isArray(r)) all.push(...r);
const stored = apiServerStore(program, all);
let next = 0;
const refusedChildren: string[] = [];
/** A side's objects as stored; a child the API server would refuse makes the whole side a refusal. */
function take(r: Obj[] | { rejected: string }, side: string): Obj[] | { rejected: string } {
  if (!Array.isArray(r)) return r;
  const objs = r.map(() => stored[next++]!);
  const invalid = objs.filter((s) => s.invalid !== undefined);
  if (invalid.length === 0) return objs.map((s) => s.object);
  if (side === 'hook') refusedChildren.push(...invalid.map((s) => `${String(s.object.kind)} ${String((s.object.metadata as Obj).name)}: ${s.invalid}`));
  return { rejected: `the API server refuses ${invalid.map((s) => `${String(s.object.kind)} ${String((s.object.metadata as Obj).name)}: ${s.invalid}`).join('; ')}` };
}
const hookStored = hookResults.map((r) => take(r, 'hook'));
const operatorStored = operatorResults.map((r) => take(r.objects ?? { rejected: r.rejected ?? '' }, 'operator'));
const ignoringDigestsStored = new Map([...ignoringDigests].map(([i, r]) => [i, take(r, 'operator')]));

// PARITY_SUMMARY=1 prints each unexplained difference once with how many cases show it (paths without names).
if (process.env.PARITY_SUMMARY === '1') {
  const counts = new Map<string, number>();
  cases.forEach((c, i) => {
    const seen = new Set(unexplained({ input: c.input, hook: hookStored[i]!, operator: operatorStored[i]!, operatorIgnoringDigests: ignoringDigestsStored.get(i) }).map((d) => d.replace(/ rw-[\w.-]+| [a-z0-9-]+-(meta|compute|frontend|compactor|standalone|headless|config)[\w.-]*/g, ' N').replace(/hook=.*/s, '').slice(0, 200)));
    for (const d of seen) counts.set(d, (counts.get(d) ?? 0) + 1);
  });
  console.log([...counts].sort((a, b) => b[1] - a[1]).map(([d, n]) => `${n}\t${d}`).join('\n'));
}

describe(`parity with risingwave-operator v0.17.2 (${cases.length} cases)`, () => {
  cases.forEach((c, i) => {
    it(c.name, () => {
      expect(hookErrors.get(i), 'the hook failed to render').toBeUndefined();
      const sides: Sides = { input: c.input, hook: hookStored[i]!, operator: operatorStored[i]!, operatorIgnoringDigests: ignoringDigestsStored.get(i) };
      expect(unexplained(sides), JSON.stringify(c.input)).toEqual([]);
    });
  });

  it('the API server accepts every child the hook returns', () => {
    expect(refusedChildren).toEqual([]);
  });

  it('covers accepted and refused inputs and every kind of child', () => {
    const accepted = operatorStored.filter(Array.isArray).length;
    expect(accepted).toBeGreaterThan(cases.length / 2);
    expect(cases.length - accepted).toBeGreaterThan(0);
    const kinds = new Set(operatorStored.filter(Array.isArray).flatMap((objs) => objs.map((o) => o.kind)));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'Deployment', 'Service', 'ServiceMonitor', 'StatefulSet']);
  });
});
