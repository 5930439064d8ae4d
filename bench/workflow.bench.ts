/**
 * The pure workflow in-process (no HTTP, no JSON.parse): runSync on the HTTP harness's payloads
 * (bench/payloads.mjs), built from src. `npm run bench:workflow`.
 */
import { bench, describe } from 'vitest';
import { renderRisingWave } from '../src/cli/render.js';
import { runSync } from '../src/controller/sync.js';
import { fixedClock } from '../src/kube/time.js';
// @ts-expect-error plain ESM helper shared with the HTTP harness (bench/run.mjs), no type declarations
import { BENCH_NOW, buildPayloads } from './payloads.mjs';

type Payload = { name: string; body: unknown; children: number };
const payloads: Payload[] = await buildPayloads({ renderRisingWave, runSync, fixedClock });
const clock = fixedClock(BENCH_NOW);

/**
 * A request that shares everything with `body` except the observed objects' identities (and their
 * metadata): memos keyed by an observed object (the parsed last-applied annotation) start empty, as for
 * a freshly parsed request. A few µs per sync for typical, ~0.2% of the huge one.
 */
function fresh(body: Request): Request {
  const children: Record<string, Record<string, unknown>> = {};
  for (const [key, inner] of Object.entries(body.children ?? {})) {
    const copy: Record<string, unknown> = {};
    for (const [k, o] of Object.entries(inner)) copy[k] = { ...o, metadata: { ...o.metadata } };
    children[key] = copy;
  }
  return { ...body, children: children as Request['children'] };
}

type Request = Parameters<typeof runSync>[0];

for (const name of ['small', 'typical', 'groups10', 'huge']) {
  const p = payloads.find((x) => x.name === name)!;
  const text = JSON.stringify(p.body);
  const body: Request = JSON.parse(text);
  describe(`${name} (${p.children} children, ${(text.length / 1024).toFixed(1)} KiB)`, () => {
    bench(
      'runSync',
      async () => {
        await runSync(fresh(body), { clock });
      },
      name === 'huge' ? { iterations: 10, time: 0 } : {},
    );
  });
}
