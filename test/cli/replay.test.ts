import { cp, mkdtemp, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { renderRequest } from '../../src/cli/render.js';
import { buildApp } from '../../src/server/app.js';
import { defaultSettings } from '../../src/server/config.js';
import { cli, FIXTURE } from './helpers.js';

const SYNC_TIME = new Date('2025-06-01T12:00:00.000Z');
let dir: string;
let app: FastifyInstance;
let url: string;
let recorded: string;

/** A real server with the real core records one first sync of the fixture; replay must reproduce it. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rw-replay-'));
  app = buildApp(defaultSettings({ logLevel: 'silent', recordDir: join(dir, 'rec'), port: 0, host: '127.0.0.1' }), { now: () => SYNC_TIME });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  const parent = parse((await readFile(FIXTURE, 'utf8')).split('---\n')[1]!);
  parent.metadata.uid = 'uid-replay';
  const res = await fetch(`${url}/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(renderRequest(parent)),
  });
  expect(res.status).toBe(200);
  recorded = await res.text();
  await app.hook.recorder!.idle();
});

afterAll(async () => {
  await app.close();
});

async function copyPair(to: string): Promise<string> {
  await cp(join(dir, 'rec'), to, { recursive: true, preserveTimestamps: true });
  return to;
}

describe('rw-hook replay', () => {
  it('reproduces a recorded pair in-process: a summary by default, the response too with -v, exit 0', async () => {
    expect((await readdir(join(dir, 'rec'))).sort()).toEqual(['default_demo_g1.request.json', 'default_demo_g1.response.json']);
    const summary = `ok   ${join(dir, 'rec', 'default_demo_g1.request.json')}\nreplay: 1 matched, 0 differ, 0 failed\n`;
    const r = await cli(['replay', join(dir, 'rec')]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: summary });
    for (const flag of ['-v', '--verbose']) {
      const v = await cli(['replay', flag, join(dir, 'rec')]);
      expect(v.stderr).toBe(summary);
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout)).toEqual(JSON.parse(recorded));
    }
  });

  it('reproduces it against a running server with --url', async () => {
    const r = await cli(['replay', '--url', url, join(dir, 'rec', 'default_demo_g1.request.json')]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('replay: 1 matched, 0 differ, 0 failed');
    expect(r.code).toBe(0);
  });

  it('reports a tampered response as a unified diff and exits 1', async () => {
    const copy = await copyPair(join(dir, 'tampered'));
    const file = join(copy, 'default_demo_g1.response.json');
    const text = await readFile(file, 'utf8');
    const tampered = text.replace('"name": "demo-compute"', '"name": "demo-compute-x"');
    expect(tampered).not.toBe(text);
    await writeFile(file, tampered);
    const r = await cli(['replay', copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`DIFF ${join(copy, 'default_demo_g1.request.json')}\n--- ${file} (recorded)\n+++ default_demo_g1.request.json (replayed)\n@@ -`);
    expect(r.stderr).toMatch(/^-\s+"name": "demo-compute-x",?$/m);
    expect(r.stderr).toMatch(/^\+\s+"name": "demo-compute",?$/m);
    expect(r.stderr).toContain('replay: 0 matched, 1 differ, 0 failed');
  });

  it('uses the file time as the clock: a sync with transitions replayed at another --now differs', async () => {
    const r = await cli(['replay', '--now', '2030-01-01T00:00:00Z', join(dir, 'rec')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^-\s+"lastTransitionTime": "2025-06-01T12:00:00Z",$/m);
    expect(r.stderr).toMatch(/^\+\s+"lastTransitionTime": "2030-01-01T00:00:00Z",$/m);

    const moved = await copyPair(join(dir, 'moved'));
    await utimes(join(moved, 'default_demo_g1.request.json'), new Date('2031-01-01T00:00:00Z'), new Date('2031-01-01T00:00:00Z'));
    expect((await cli(['replay', moved])).code).toBe(1);
    const fixed = await cli(['replay', '--now', SYNC_TIME.toISOString(), moved]);
    expect(fixed.code).toBe(0);
  });

  it('replays a request without a recorded response and just prints it (-v)', async () => {
    const only = join(dir, 'only');
    await copyPair(only);
    const { rm } = await import('node:fs/promises');
    await rm(join(only, 'default_demo_g1.response.json'));
    const r = await cli(['replay', '-v', only]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('(no recorded response to compare)');
    expect(r.stderr).toContain('replay: 0 matched, 0 differ, 0 failed, 1 not compared');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(recorded));
  });

  it('fails clearly on missing paths, non-requests, envelopes the server would reject, and empty folders', async () => {
    let r = await cli(['replay', join(dir, 'nope')]);
    expect(r).toMatchObject({ code: 1, stderr: `rw-hook replay: cannot read ${join(dir, 'nope')}: no such file or directory\n` });

    const odd = join(dir, 'odd');
    await copyPair(odd);
    await writeFile(join(odd, 'a-not-a-request.json'), '{"hello": 1}');
    r = await cli(['replay', odd]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('replay: 1 matched, 0 differ, 0 failed');

    r = await cli(['replay', join(odd, 'a-not-a-request.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a sync request (no "parent" object)');

    const bad = join(dir, 'bad.request.json');
    await writeFile(bad, JSON.stringify({ parent: { apiVersion: 'x', kind: 'RisingWave', metadata: { name: 5 } } }));
    r = await cli(['replay', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the server would answer 400: body/parent/metadata/name');

    await writeFile(join(dir, 'broken.json'), '{');
    r = await cli(['replay', join(dir, 'broken.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('broken.json is not valid JSON');

    const empty = await mkdtemp(join(tmpdir(), 'rw-replay-empty-'));
    r = await cli(['replay', empty]);
    expect(r).toMatchObject({ code: 1, stderr: `rw-hook replay: no sync requests found in ${empty}\n` });

    r = await cli(['replay', '--url', 'http://127.0.0.1:1', join(dir, 'rec')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAIL .*POST http:\/\/127\.0\.0\.1:1\/sync: /);

    expect((await cli(['replay'])).code).toBe(2);
    expect((await cli(['replay', '--now', 'yesterday', dir])).code).toBe(2);
  });
});
