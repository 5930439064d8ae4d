/**
 * Fuzz of /sync and /customize through the real fastify app, in-process (issue #8 item 1). The app is the
 * one `rw-hook serve` builds, with the real core and its answer cache; one instance answers every case, as a
 * long-running hook would. Raw-socket cases (bytes inject cannot express, the body limit) are in socket.fuzz.
 *
 * `FUZZ_RUNS=50000 npm run fuzz` for a long run; `FUZZ_SEED=<seed>` replays one (fast-check prints it).
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { testSettings } from '../server/helpers.js';
import { customizeText, deepCase, fixtureRequest, hostileCase, nearValidCase, validCase, type FuzzCase } from './generators.js';
import {
  count,
  expectCustomizeShape,
  expectNoPollution,
  expectNothingLost,
  expectWellFormed,
  fcParams,
  protoSnapshot,
  budget,
  runs,
  type Answer,
  type Tally,
} from './invariants.js';

const NOW = new Date('2026-11-25T12:00:00Z');
let app: FastifyInstance;
const tally: Record<string, Tally> = {};

beforeAll(async () => {
  app = buildApp(testSettings(), { now: () => new Date(NOW.getTime()) });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  console.log('hook fuzz tally', JSON.stringify(tally), `heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
});

async function post(url: string, text: string): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: text });
  return { statusCode: res.statusCode, body: res.body, contentType: res.headers['content-type'] as string | undefined };
}

async function expectAlive(label: string): Promise<void> {
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  expect(res.statusCode, `healthz after ${label}`).toBe(200);
}

const describeCase = (c: FuzzCase) => `${c.family} case "${c.label}" (${c.text.length} chars: ${c.text.slice(0, 160)}…)`;

/** One /sync case: every invariant; returns the answer for further checks. */
async function syncCase(c: FuzzCase, t: Tally): Promise<{ answer: Answer; parsed: unknown }> {
  const label = describeCase(c);
  const before = protoSnapshot();
  const answer = await post('/sync', c.text);
  const parsed = expectWellFormed(answer, label);
  count(t, String(answer.statusCode));
  if (answer.statusCode === 200) {
    const verdict = expectNothingLost(JSON.parse(c.text), parsed as Record<string, unknown>, label);
    if (verdict.dropped > 0) count(t, 'removedSome');
    if (verdict.failed) {
      count(t, 'reactionFailed');
      // A reaction that fails on a request the schema let through is worth knowing about: keep a sample.
      t[`failed: ${verdict.failed.message.slice(0, 160)}`] = 1;
    }
    if (verdict.conditions.some((x) => x.type === 'Valid' && x.status === 'False')) count(t, 'invalidSpec');
  } else {
    count(t, `${answer.statusCode}: ${(parsed as { message: string }).message.split(/[:/]/)[0]!.slice(0, 40)}`);
  }
  expectNoPollution(before, label);
  await expectAlive(label);
  return { answer, parsed };
}

describe('/sync fuzz (in-process)', () => {
  it('valid requests: 200, nothing lost, no reaction fails, and the same request gives byte-identical answers', async () => {
    const t: Tally = (tally.valid = {});
    await fc.assert(
      fc.asyncProperty(validCase, async (c) => {
        const { answer } = await syncCase(c, t);
        expect(answer.statusCode, describeCase(c)).toBe(200);
        expect(answer.body, describeCase(c)).not.toContain('"ReactionFailed"');
        // Again as sent (most likely an answer-cache hit) and reformatted (computed anew): same bytes.
        const again = await post('/sync', c.text);
        const reformatted = await post('/sync', JSON.stringify(JSON.parse(c.text), null, 1));
        expect(again.body, `${describeCase(c)} repeated`).toBe(answer.body);
        expect(reformatted.body, `${describeCase(c)} reformatted`).toBe(answer.body);
      }),
      fcParams(runs(0.25)),
    );
    expect(t['200']).toBe(runs(0.25));
    expect(t.invalidSpec ?? 0, 'the generators reach invalid specs').toBeGreaterThan(0);
    expect(t.removedSome ?? 0, 'the generators reach deliberate removals').toBeGreaterThan(0);
  }, budget(runs(0.25)));

  it('near-valid requests (one field changed): 200 with nothing lost, or 400 with a message', async () => {
    const t: Tally = (tally.nearValid = {});
    await fc.assert(
      fc.asyncProperty(nearValidCase, async (c) => {
        await syncCase(c, t);
      }),
      fcParams(runs(0.4)),
    );
    // Both answers are reached, or the property could hold vacuously.
    expect(t['200'] ?? 0).toBeGreaterThan(runs(0.4) / 10);
    expect(t['400'] ?? 0).toBeGreaterThan(runs(0.4) / 20);
  }, budget(runs(0.4)));

  it('hostile requests: deep nesting, special keys, duplicates, odd unicode, huge strings, wrong types', async () => {
    const t: Tally = (tally.hostile = {});
    await fc.assert(
      fc.asyncProperty(hostileCase, async (c) => {
        const { answer } = await syncCase(c, t);
        // The parser refuses "__proto__" keys outright.
        if (c.text.includes('"__proto__":')) expect(answer.statusCode, describeCase(c)).toBe(400);
      }),
      fcParams(runs(0.15)),
    );
    expect(t['200'] ?? 0).toBeGreaterThan(0);
    expect(t['400'] ?? 0).toBeGreaterThan(0);
  }, budget(runs(0.15)));
});

describe('deeply nested bodies', () => {
  const request = fc.sample(fixtureRequest, { numRuns: 1, seed: 1 })[0]!;
  const cases = (['spec', 'child', 'controller'] as const).flatMap((where) => [false, true].map((array) => deepCase(request, 10_000, where, array)));

  it('a thousand levels: answered like any other body', async () => {
    for (const where of ['spec', 'child', 'controller'] as const) {
      const c = deepCase(request, 1000, where, where === 'spec');
      const { answer } = await syncCase(c, (tally.deep1000 ??= {}));
      expect(answer.statusCode, c.label).toBe(200);
    }
  });

  // Found by this suite: a 10k-deep body overflowed the stack in the sync (JSON.stringify in
  // prepareRisingWaveShared, the canonicaliser, strictResponseJson) and was answered 500. The routes now
  // answer such an overflow with a 400 (src/server/json-depth.ts); a deep part that no code walks (the
  // controller object) is answered like any other body.
  it('ten thousand levels: a 400 that says so where the hook walks them, else the usual invariants; never a 5xx', async () => {
    const t: Tally = (tally.deep10k = {});
    for (const c of cases) {
      const { answer } = await syncCase(c, t);
      if (c.label.startsWith('controller')) expect(answer.statusCode, c.label).toBe(200);
      else {
        expect(answer.statusCode, c.label).toBe(400);
        expect(JSON.parse(answer.body).message, c.label).toMatch(/deeper than/);
      }
      const customized = await post('/customize', c.text);
      expectWellFormed(customized, `/customize ${c.label}`, [200, 400]);
      if (c.label.startsWith('spec')) expect(JSON.parse(customized.body).message).toMatch(/deeper than/);
      await expectAlive(c.label);
    }
  });
});

describe('/customize fuzz (in-process)', () => {
  it('every family: 200 with related-resource rules, or 400 with a message; never a 5xx or pollution', async () => {
    const t: Tally = (tally.customize = {});
    const anyCase = fc.oneof(validCase, nearValidCase, hostileCase);
    await fc.assert(
      fc.asyncProperty(anyCase, async (c) => {
        const text = customizeText(c);
        const label = `/customize ${describeCase({ ...c, text })}`;
        const before = protoSnapshot();
        const answer = await post('/customize', text);
        const parsed = expectWellFormed(answer, label);
        count(t, String(answer.statusCode));
        if (answer.statusCode === 200) {
          expectCustomizeShape(parsed as Record<string, unknown>, label);
          // Pure: the same parent, the same rules.
          expect((await post('/customize', text)).body, label).toBe(answer.body);
        }
        expectNoPollution(before, label);
        await expectAlive(label);
      }),
      fcParams(runs(0.12)),
    );
    expect(t['200'] ?? 0).toBeGreaterThan(0);
    expect(t['400'] ?? 0).toBeGreaterThan(0);
  }, budget(runs(0.12)));
});
