/**
 * Bodies that look alike but are not the same (issue #14 item 2): numbers JSON.stringify writes alike
 * (`1e400` and `null`, `-0` and `0`), equal numbers written differently (`1e2`, `100`, `100.0`), strings
 * with and without escapes, keys in another order, a key given twice. A hook that has answered some of them
 * must answer each exactly as a fresh process does: no cache may take one for another. Runs with `npm test`
 * (a few dozen sequences) and, scaled by FUZZ_RUNS, with `npm run fuzz`.
 */
import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createCaches, type Caches } from '../../src/cache/caches.js';
import { testSettings } from '../server/helpers.js';
import { cli } from '../cli/helpers.js';
import { budget, count, fcParams, runs, type Tally } from './invariants.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const BASE = JSON.parse(readFileSync(new URL('../fixtures/typical-v2.request.json', import.meta.url), 'utf8')) as Record<string, any>;
const REPLICAS = '"\u0000replicas\u0000"';
const IMAGE = '"\u0000image\u0000"';

/** How a compute group's replica count is written: values JSON.stringify confuses, and one value written many ways. */
const REPLICA_TEXTS = ['1e400', '-1e400', '9'.repeat(400), 'null', '-0', '0', '-0.0', '0e5', '1e2', '100', '1E2', '100.0', '3', '3.0'];
const IMAGE_TEXTS = ['"risingwavelabs/risingwave:v2.4.2"', '"risingwavelabs\\/risingwave:v2.4.2"', '"\\u0072isingwavelabs/risingwave:v2.4.2"', '"risingwavelabs/risingwave:v2.4.3"'];

interface Variant {
  readonly replicas: string;
  readonly image: string;
  /** The spec's keys in reverse order. */
  readonly reordered: boolean;
  /** `"replicas": 7` written just before the real one (JSON.parse keeps the later). */
  readonly duplicate: boolean;
  /** The parent's resourceVersion; most variants share one, as a parent edited back and forth would not. */
  readonly resourceVersion: string;
  readonly generation: number;
}

function text(v: Variant): string {
  const request = structuredClone(BASE);
  const parent = request.parent;
  parent.metadata.resourceVersion = v.resourceVersion;
  parent.metadata.generation = v.generation;
  parent.spec.image = IMAGE;
  parent.spec.components.compute.nodeGroups[0].replicas = REPLICAS;
  if (v.reordered) parent.spec = Object.fromEntries(Object.entries(parent.spec).reverse());
  let t = JSON.stringify(request).replace(JSON.stringify(IMAGE), v.image);
  t = t.replace(`"replicas":${JSON.stringify(REPLICAS)}`, `${v.duplicate ? '"replicas":7,' : ''}"replicas":${v.replicas}`);
  return t;
}

const variant: fc.Arbitrary<Variant> = fc.record({
  replicas: fc.constantFrom(...REPLICA_TEXTS),
  image: fc.constantFrom(...IMAGE_TEXTS),
  reordered: fc.boolean(),
  duplicate: fc.boolean(),
  resourceVersion: fc.constantFrom('1002', '1002', '1002', '1003'),
  generation: fc.constantFrom(1, 1, 2),
});

interface Answer {
  readonly statusCode: number;
  readonly body: string;
}

const apps: FastifyInstance[] = [];
const tally: Tally = {};

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  console.log('look-alike tally', JSON.stringify(tally));
});

/** Every app has caches of its own (src/cache/caches.ts), empty as a new process starts with them. */
async function newApp(recordDir?: string, caches?: Caches): Promise<FastifyInstance> {
  const app = buildApp(testSettings({ recordDir }), { now: () => new Date(NOW.getTime()), caches });
  await app.ready();
  return app;
}

async function post(app: FastifyInstance, body: string): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url: '/sync', headers: { 'content-type': 'application/json' }, payload: body });
  return { statusCode: res.statusCode, body: res.body };
}

/** A fresh process's answer to `body`: an app of its own with every cache off. Memoised: it depends on the body alone. */
const freshAnswers = new Map<string, Answer>();
async function fresh(body: string): Promise<Answer> {
  let answer = freshAnswers.get(body);
  if (answer === undefined) {
    const app = await newApp(undefined, createCaches({ enabled: false }));
    answer = await post(app, body);
    await app.close();
    freshAnswers.set(body, answer);
  }
  return answer;
}

describe('look-alike bodies', () => {
  it("a warm hook answers every body in a sequence byte for byte as a fresh process does", async () => {
    const n = runs(0.015);
    await fc.assert(
      fc.asyncProperty(fc.array(variant, { minLength: 2, maxLength: 6 }), async (variants) => {
        const bodies = variants.map(text);
        const want: Answer[] = [];
        for (const b of bodies) want.push(await fresh(b));
        const warm = await newApp();
        try {
          for (const [i, b] of bodies.entries()) {
            const got = await post(warm, b);
            const v = variants[i]!;
            count(tally, `replicas ${v.replicas.length > 20 ? '9…9' : v.replicas} → ${got.statusCode}`);
            expect(got.statusCode, `body ${i} of ${JSON.stringify(variants)}`).toBe(want[i]!.statusCode);
            expect(got.body, `body ${i} of ${JSON.stringify(variants)}`).toBe(want[i]!.body);
          }
        } finally {
          await warm.close();
        }
      }),
      fcParams(n),
    );
    // Both sides of the door are reached: refused numbers, and accepted look-alikes.
    const seen = Object.keys(tally).join(' ');
    expect(seen).toMatch(/replicas 1e400 → 400/);
    expect(seen).toMatch(/replicas -0 → 200/);
  }, budget(runs(0.015)));

  it('a number past a double is refused with a 400 that names the field', async () => {
    const app = await newApp();
    apps.push(app);
    const v: Variant = { replicas: '1e400', image: IMAGE_TEXTS[0]!, reordered: false, duplicate: false, resourceVersion: '1002', generation: 1 };
    for (const replicas of ['1e400', '-1E+999', '9'.repeat(400)]) {
      const res = await post(app, text({ ...v, replicas }));
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).message).toBe('parent.spec.components.compute.nodeGroups[0].replicas: number out of range (a JSON number must be finite as a double)');
    }
    const inChild = text(v).replace('"1e400"', '1').replace(/"replicas":1e400/, '"replicas":1').replace('"children":{', '"children":{"X.v1":{"a":{"n":[1,2e999]}},');
    const res = await post(app, inChild);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).message).toMatch(/^children\["X\.v1"\]\.a\.n\[1\]: number out of range/);
  });

  it('every look-alike the hook answered is recorded as a pair that replays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-lookalike-'));
    const app = await newApp(dir);
    apps.push(app);
    let generation = 10;
    let recorded = 0;
    for (const replicas of REPLICA_TEXTS) {
      for (const image of IMAGE_TEXTS.slice(0, 3)) {
        // A generation each, so that every pair is kept (later syncs of one generation replace its pair).
        const res = await post(app, text({ replicas, image, reordered: generation % 2 === 0, duplicate: generation % 3 === 0, resourceVersion: '1002', generation: generation++ }));
        if (res.statusCode === 200) recorded++;
      }
    }
    await app.hook.recorder!.idle();
    expect((await readdir(dir)).length).toBe(2 * recorded);
    const copy = await mkdtemp(join(tmpdir(), 'rw-lookalike-replay-'));
    await cp(dir, copy, { recursive: true, preserveTimestamps: true });
    const r = await cli(['replay', '--now', NOW.toISOString(), copy]);
    expect(r.stderr).toContain(`replay: ${recorded} matched, 0 differ, 0 failed`);
    expect(r.code).toBe(0);
  });
});
