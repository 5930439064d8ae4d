import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createRecorder, recordBaseName, REQUEST_SUFFIX, RESPONSE_SUFFIX } from '../../src/server/recorder.js';
import { cli } from '../cli/helpers.js';
import { syncRequest, testSettings } from './helpers.js';

const AT = new Date('2026-11-25T12:00:00Z');

describe('RECORD_DIR recorder', () => {
  it('concurrent syncs of one parent generation: every one recorded, no error, no temporary file left, and the pair left is one sync', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-record-'));
    const errors: unknown[] = [];
    const recorder = createRecorder(dir, (err) => errors.push(err));
    for (let i = 0; i < 40; i++) {
      recorder.record({ namespace: 'prod', name: 'demo', generation: 3, request: JSON.stringify({ sync: i }), response: { sync: i }, at: AT });
    }
    await recorder.idle();
    expect(errors).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['prod_demo_g3.request.json', 'prod_demo_g3.response.json']);
    const request = JSON.parse(await readFile(join(dir, 'prod_demo_g3.request.json'), 'utf8'));
    const response = JSON.parse(await readFile(join(dir, 'prod_demo_g3.response.json'), 'utf8'));
    expect(request).toEqual({ sync: 39 });
    expect(response).toEqual({ sync: 39 });
  });

  it('concurrent real syncs through the server: the pair left replays (rw-hook replay exits 0)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-record-'));
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
    const app = buildApp(testSettings({ recordDir: dir }), { now: () => AT, logger });
    try {
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const children = { 'ConfigMap.v1': { [`prod/cm-${i}`]: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'prod' } } } };
          return app.inject({ method: 'POST', url: '/sync', payload: syncRequest({ children }) });
        }),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
      await app.hook.recorder!.idle();
      expect(logged).toEqual([]);
    } finally {
      await app.close();
    }
    expect((await readdir(dir)).sort()).toEqual(['prod_demo_g3.request.json', 'prod_demo_g3.response.json']);
    const r = await cli(['replay', '--now', AT.toISOString(), dir]);
    expect(r.stderr).toContain('replay: 1 matched, 0 differ, 0 failed');
    expect(r.code).toBe(0);
  });

  it('a 253-character name in a 63-character namespace: recorded under a name that fits, distinct from its neighbours, and replayable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-record-'));
    const errors: unknown[] = [];
    const recorder = createRecorder(dir, (err) => errors.push(err));
    const namespace = 'n'.repeat(63);
    const names = ['a'.repeat(253), `${'a'.repeat(252)}b`, `${'a'.repeat(251)}.b`];
    for (const name of names) recorder.record({ namespace, name, generation: 12345678901, request: JSON.stringify({ name }), response: { name }, at: AT });
    await recorder.idle();
    expect(errors).toEqual([]);
    const files = await readdir(dir);
    expect(files).toHaveLength(6);
    for (const f of files) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
    for (const name of names) {
      const base = recordBaseName(namespace, name, 12345678901);
      expect(base).toMatch(/~[0-9a-f]{16}_g12345678901$/);
      expect(JSON.parse(await readFile(join(dir, base + REQUEST_SUFFIX), 'utf8'))).toEqual({ name });
      expect(JSON.parse(await readFile(join(dir, base + RESPONSE_SUFFIX), 'utf8'))).toEqual({ name });
    }
  });

  it('names that are not plain file names never share a pair', () => {
    const bases = [
      recordBaseName('prod', 'demo', 1),
      recordBaseName(undefined, 'demo', 1),
      recordBaseName('_cluster', 'demo', 1),
      recordBaseName('prod', 'de/mo', 1),
      recordBaseName('prod', 'de_mo', 1),
      recordBaseName('prod', '..', 1),
      recordBaseName('prod', '__', 1),
      recordBaseName('prod', 'démo', 1),
      recordBaseName('prod', 'd_mo', 1),
    ];
    expect(new Set(bases).size).toBe(bases.length);
    for (const b of bases) expect(b).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._~-]*$/);
    expect(bases[0]).toBe('prod_demo_g1');
  });
});
