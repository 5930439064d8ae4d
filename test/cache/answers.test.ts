import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createAnswerCache, type CachedSync } from '../../src/cache/answers.js';
import { testSettings } from '../server/helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}.request.json`, import.meta.url), 'utf8');
/** A settled parent's resync: the sync reads no clock. */
const STEADY = JSON.stringify(JSON.parse(fixture('typical-v2')));
/** A new parent: every condition transitions, so the answer carries the time. */
const NEW = JSON.stringify(JSON.parse(fixture('new-v2')));

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function realApp(now: () => Date, settings = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const app = buildApp(testSettings(settings), { now, logger: pino({ level: 'info' }, sink) });
  apps.push(app);
  await app.ready();
  const post = async (body: string) => {
    const res = await app.inject({ method: 'POST', url: '/sync', headers: { 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(200);
    return res.body;
  };
  const syncs = async () => {
    const text = await app.hook.metrics.registry.metrics();
    return [...text.matchAll(/^rw_hook_syncs_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  const cachedFlags = () => lines.filter((l) => l.msg === 'sync').map((l) => l.cached === true);
  return { app, post, syncs, cachedFlags };
}

describe('answer cache of /sync', () => {
  it('answers a repeated settled body byte-for-byte as a fresh process computes it, and counts every sync', async () => {
    const a = await realApp(() => new Date('2026-01-01T01:00:10Z'));
    const first = await a.post(STEADY);
    const again = await a.post(STEADY);
    // A later wall clock cannot matter: this answer did not read it.
    const b = await realApp(() => new Date('2030-06-01T00:00:00Z'));
    expect(again).toBe(first);
    expect(await b.post(STEADY)).toBe(first);
    expect(JSON.parse(first)).toEqual(JSON.parse(readFileSync(new URL('../fixtures/typical-v2.response.json', import.meta.url), 'utf8')));
    expect(await a.syncs()).toBe(2);
    expect(a.cachedFlags()).toEqual([false, true]);
  });

  it('computes anew an answer that read the clock', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const a = await realApp(() => now);
    const first = JSON.parse(await a.post(NEW));
    now = new Date('2026-01-01T00:07:00Z');
    const second = JSON.parse(await a.post(NEW));
    const times = (r: { status: { conditions: { lastTransitionTime: string }[] } }) => r.status.conditions.map((c) => c.lastTransitionTime);
    expect(new Set(times(first))).toEqual(new Set(['2026-01-01T00:00:00Z']));
    expect(new Set(times(second))).toEqual(new Set(['2026-01-01T00:07:00Z']));
    expect(a.cachedFlags()).toEqual([false, false]);
  });

  it('still validates a body that differs by one byte from a cached one', async () => {
    const a = await realApp(() => new Date('2026-01-01T01:00:10Z'));
    await a.post(STEADY);
    const broken = STEADY.replace('"kind":"RisingWave"', '"kind":""');
    const res = await a.app.inject({ method: 'POST', url: '/sync', headers: { 'content-type': 'application/json' }, payload: broken });
    expect(res.statusCode).toBe(400);
  });

  it('is off when syncs are recorded (the recorder needs every parsed request)', async () => {
    const { mkdtemp, readdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'rw-cache-'));
    const a = await realApp(() => new Date('2026-01-01T01:00:10Z'), { recordDir: dir });
    await a.post(STEADY);
    await a.post(STEADY);
    await a.app.hook.recorder!.idle();
    expect((await readdir(dir, { recursive: true })).filter((f) => String(f).endsWith('.json')).length).toBeGreaterThanOrEqual(2);
    expect(a.cachedFlags()).toEqual([false, false]);
  });
});

describe('CACHE=off', () => {
  it('answers a repeated body by computing it again, with the same bytes', async () => {
    const on = await realApp(() => new Date('2026-01-01T01:00:10Z'));
    const off = await realApp(() => new Date('2026-01-01T01:00:10Z'), { cache: false });
    const want = await on.post(STEADY);
    expect(await off.post(STEADY)).toBe(want);
    expect(await off.post(STEADY)).toBe(want);
    expect(off.cachedFlags()).toEqual([false, false]);
  });
});

describe('createAnswerCache', () => {
  const entry = (json: string): CachedSync => ({
    parent: 'ns/a', uid: undefined, generation: 1, json, outcome: 'ok', reason: 'Synced', children: 0, childrenByKind: new Map(), carriedOver: 0, removed: [],
  });
  // Each entry costs 256 + 2 × (uid + body + answer + parent name) = 256 + 2 × (2 + 5 + 5 + 4) = 288 bytes.
  const COST = 288;

  it('answers only the body it kept for the parent, byte for byte', () => {
    const cache = createAnswerCache();
    cache.set('u1', 'body1', entry('11111'));
    expect(cache.get('u1', 'body1')?.json).toBe('11111');
    expect(cache.get('u1', 'body2')).toBeUndefined();
    expect(cache.get('u2', 'body1')).toBeUndefined();
  });

  it('keeps one answer per parent: the answer to its newer body replaces the older one', () => {
    const cache = createAnswerCache();
    cache.set('u1', 'body1', entry('A1'));
    cache.set('u2', 'bodyB', entry('B1'));
    cache.set('u1', 'body3', entry('A2'));
    expect(cache.get('u1', 'body1')).toBeUndefined();
    expect(cache.get('u1', 'body3')?.json).toBe('A2');
    expect(cache.get('u2', 'bodyB')?.json).toBe('B1');
    expect(cache.size).toBe(2);
    const before = cache.bytes;
    cache.set('u1', 'body3', entry('A2'));
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(before);
  });

  it('evicts the least recently used parents past its byte bound', () => {
    const cache = createAnswerCache(true, 3 * COST, 1000);
    cache.set('u1', 'aaaaa', entry('11111'));
    cache.set('u2', 'bbbbb', entry('22222'));
    cache.set('u3', 'ccccc', entry('33333'));
    expect(cache.get('u1', 'aaaaa')?.json).toBe('11111'); // u1 is now the most recent
    cache.set('u4', 'ddddd', entry('44444'));
    expect(cache.get('u2', 'bbbbb')).toBeUndefined();
    expect(cache.get('u1', 'aaaaa')?.json).toBe('11111');
    expect(cache.get('u4', 'ddddd')?.json).toBe('44444');
    expect(cache.bytes).toBe(3 * COST);
    expect(cache.size).toBe(3);
  });

  it('never keeps an entry larger than its per-entry bound, and drops the parent\'s older one', () => {
    const cache = createAnswerCache(true, 10_000, 400);
    cache.set('u1', 'small', entry('y'));
    cache.set('u1', 'large', entry('y'.repeat(100)));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
