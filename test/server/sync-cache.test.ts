import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createSyncCache, type CachedSync } from '../../src/server/sync-cache.js';
import { testSettings } from './helpers.js';

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

describe('createSyncCache', () => {
  const entry = (json: string): CachedSync => ({
    parent: 'ns/a', uid: undefined, generation: 1, json, outcome: 'ok', reason: 'Synced', children: 0, childrenByKind: new Map(), carriedOver: 0, removed: [],
  });

  it('evicts the least recently used entries past its byte bound', () => {
    // Each entry costs 128 + 2 × (key + json) = 148 bytes.
    const cache = createSyncCache(3 * 148, 1000);
    cache.set('aaaaa', entry('11111'));
    cache.set('bbbbb', entry('22222'));
    cache.set('ccccc', entry('33333'));
    expect(cache.get('aaaaa')?.json).toBe('11111'); // a is now the most recent
    cache.set('ddddd', entry('44444'));
    expect(cache.get('bbbbb')).toBeUndefined();
    expect(cache.get('aaaaa')?.json).toBe('11111');
    expect(cache.get('ddddd')?.json).toBe('44444');
    expect(cache.bytes).toBeLessThanOrEqual(3 * 148);
    expect(cache.size).toBe(3);
  });

  it('keeps one answer per parent: the answer to its newer body replaces the older one', () => {
    const cache = createSyncCache(100_000, 10_000);
    const of = (uid: string, json: string): CachedSync => ({ ...entry(json), uid });
    cache.set('body-1', of('uid-a', 'A1'));
    cache.set('body-2', of('uid-b', 'B1'));
    cache.set('body-3', of('uid-a', 'A2'));
    expect(cache.get('body-1')).toBeUndefined();
    expect(cache.get('body-3')?.json).toBe('A2');
    expect(cache.get('body-2')?.json).toBe('B1');
    expect(cache.size).toBe(2);
    const before = cache.bytes;
    cache.set('body-3', of('uid-a', 'A2'));
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(before);
  });

  it('a parent whose answer was evicted by the bound gets a new one without losing others', () => {
    const cache = createSyncCache(2 * 148, 1000);
    const of = (uid: string, json: string): CachedSync => ({ ...entry(json), uid });
    cache.set('aaaaa', of('u1', '11111'));
    cache.set('bbbbb', of('u2', '22222'));
    cache.set('ccccc', of('u3', '33333')); // evicts u1's
    expect(cache.get('aaaaa')).toBeUndefined();
    cache.set('ddddd', of('u1', '44444')); // evicts u2's (oldest), not u3's
    expect(cache.get('ccccc')?.json).toBe('33333');
    expect(cache.get('ddddd')?.json).toBe('44444');
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(2 * 148);
  });

  it('never keeps an entry larger than its per-entry bound', () => {
    const cache = createSyncCache(10_000, 200);
    cache.set('k', entry('y'.repeat(40)));
    expect(cache.size).toBe(0);
  });
});
