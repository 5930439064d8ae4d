import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { createCaches, type Caches } from '../../src/cache/caches.js';
import { runSync, type SyncResult } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { buildApp } from '../../src/server/app.js';
import { strictResponseJson } from '../../src/server/response.js';
import { REPLAY_NOW } from '../fixtures/generate.js';
import { testSettings } from '../server/helpers.js';
import { asObserved, exampleNames, loadExample, render } from '../support/render.js';

/**
 * One setting turns every cache off (CACHE=off, `createCaches({ enabled: false })`), and nothing the hook
 * answers may depend on it: every golden example (first sync, and the resync that observes its own
 * children) and every committed fixture request, answered with caches off, cold and warm (each twice, with
 * one set shared by all cases as the server shares it), are the same text byte for byte.
 */
const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixtureNames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.request.json'))
  .sort();
const fixture = (name: string): SyncRequest => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as SyncRequest;

/** Everything a sync answers and reports, as text. */
const text = (r: SyncResult): string => JSON.stringify({ response: strictResponseJson(r.response), outcome: r.outcome, reason: r.reason, carriedOver: r.carriedOver, removed: r.removed });

function expectCachesUsed(caches: Caches): void {
  // The warm runs must have been served from somewhere: otherwise this compares the cold path with itself.
  expect(caches.parents.bytes.values).toBeGreaterThan(0);
  expect(caches.builds.bytes).toBeGreaterThan(0);
}

describe('caches on and off answer byte-identically', () => {
  it('every golden example, first sync and its resync', async () => {
    const on = createCaches({ enabled: true });
    const off = createCaches({ enabled: false });
    for (const name of exampleNames()) {
      const first = await render(loadExample(name), { caches: off });
      const observed = (first.response.children as KubeObject[]).map(asObserved);
      const want = [text(first), text(await render(loadExample(name), { observed, caches: off }))];
      for (let round = 0; round < 2; round++) {
        expect(text(await render(loadExample(name), { caches: on })), `${name}, caches on, round ${round}`).toBe(want[0]);
        expect(text(await render(loadExample(name), { observed, caches: on })), `${name} resync, caches on, round ${round}`).toBe(want[1]);
      }
    }
    expectCachesUsed(on);
  });

  it('every committed fixture request', async () => {
    const clock = fixedClock(REPLAY_NOW);
    const on = createCaches({ enabled: true });
    for (const name of fixtureNames) {
      const want = text(await runSync(fixture(name), { clock, caches: createCaches({ enabled: false }) }));
      for (let round = 0; round < 2; round++) expect(text(await runSync(fixture(name), { clock, caches: on })), `${name}, round ${round}`).toBe(want);
    }
    expectCachesUsed(on);
  });

  it('through the server: CACHE=on answers each fixture body, repeated, as CACHE=off does', async () => {
    const now = () => new Date(REPLAY_NOW);
    const apps = [buildApp(testSettings({ cache: true }), { now }), buildApp(testSettings({ cache: false }), { now })];
    try {
      const answers: string[][] = [[], []];
      for (const [i, app] of apps.entries()) {
        await app.ready();
        for (let round = 0; round < 2; round++) {
          for (const name of fixtureNames) {
            const res = await app.inject({ method: 'POST', url: '/sync', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(fixture(name)) });
            expect(res.statusCode, name).toBe(200);
            answers[i]!.push(res.body);
          }
        }
      }
      expect(answers[0]).toEqual(answers[1]);
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });
});
