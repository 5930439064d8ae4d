import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, MAIN, ROOT } from '../support/built.js';
import { sleep } from '../support/wait.js';
import { renderRequest } from '../../src/cli/render.js';

/**
 * The built server as Kubernetes runs it: `node dist/cli/main.js serve`, signals and all. dist/ is rebuilt
 * first when any source file is newer (test/support/built.ts).
 */

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(ensureBuilt, 180_000);

interface Started {
  child: ChildProcess;
  url: string;
  logs: () => Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  readyMs: number;
}

async function startBuilt(env: Record<string, string>): Promise<Started> {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const deadline = Date.now() + 15_000;
  let url: string | undefined;
  while (url === undefined) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
    url = logs().find((l) => l.msg === 'rw-hook listening')?.address as string | undefined;
    if (url === undefined) await sleep(10);
  }
  while ((await get(`${url}/readyz`)).status !== 200) await sleep(10);
  return { child, url, logs, exited, readyMs: Date.now() - started };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

/** A POST whose body is written in two parts, so the request is in flight for as long as the test wants. */
function slowPost(url: string, body: string): { finish: () => void; response: Promise<{ status: number; body: string; connection: string | undefined }> } {
  const req = http.request(`${url}/sync`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, connection: res.headers.connection }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { finish: () => req.end(body.slice(half)), response };
}

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  const p = slowPost(url, body);
  p.finish();
  return p.response;
}

function fixtureRequest(): string {
  const parent = parse(readFileSync(join(ROOT, 'test/cli/fixtures/in-memory.yaml'), 'utf8').split('---\n')[1]!);
  parent.metadata.uid = 'uid-process-test';
  return JSON.stringify(renderRequest(parent));
}

/** A realistic heavy body: the fixture's request plus many observed children carrying big annotations. */
function largeRequest(name: string): string {
  const request = JSON.parse(fixtureRequest());
  request.parent.metadata.name = name;
  const configMaps: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    configMaps[`other-${i}`] = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `other-${i}`, namespace: 'default', annotations: { blob: 'x'.repeat(4000) } },
      data: { k: 'v'.repeat(4000) },
    };
  }
  request.children['ConfigMap.v1'] = configMaps;
  return JSON.stringify(request);
}

describe('built artefacts', () => {
  it('dist/ never loads kubernetes-models at run time (type imports only)', () => {
    const offenders = walk(join(ROOT, 'dist')).filter((f) =>
      /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"](?:kubernetes-models|@kubernetes-models\/)/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => f.slice(ROOT.length))).toEqual([]);
  });

  it('the CLI entry has a node shebang and answers --help', () => {
    expect(readFileSync(MAIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const out = execFileSync(process.execPath, [MAIN, 'render', '--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: rw-hook render');
  });
});

describe('rw-hook serve (built, as a process)', () => {
  it('starts fast, serves a real sync, and logs one info line for it', async () => {
    const s = await startBuilt({});
    try {
      expect(s.readyMs).toBeLessThan(5000);
      const res = await post(s.url, fixtureRequest());
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body);
      expect(Object.keys(body).every((k) => ['status', 'children', 'resyncAfterSeconds', 'finalized'].includes(k))).toBe(true);
      expect(body.children.length).toBeGreaterThan(0);
      const deadline = Date.now() + 2000;
      while (!s.logs().some((l) => l.msg === 'sync') && Date.now() < deadline) await sleep(10);
      const line = s.logs().find((l) => l.msg === 'sync')!;
      expect(Object.keys(line).sort()).toEqual(
        ['carriedOver', 'children', 'generation', 'hostname', 'level', 'ms', 'msg', 'outcome', 'parent', 'pid', 'reason', 'reqId', 'time', 'uid'].sort(),
      );
      expect(line).toMatchObject({ level: 30, parent: 'default/demo', uid: 'uid-process-test', generation: 1, children: body.children.length });
      console.info(`cold start to ready: ${s.readyMs} ms`);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
    }
  });

  it('on SIGTERM: readiness 503 at once, concurrent large syncs all answered 200, exit 0', async () => {
    const s = await startBuilt({ SHUTDOWN_DELAY_MS: '1500' });
    const bodies = Array.from({ length: 12 }, (_, i) => largeRequest(`rw-${i}`));
    const inFlight = bodies.map((b) => post(s.url, b));
    await sleep(20);
    s.child.kill('SIGTERM');
    await sleep(100);
    expect((await get(`${s.url}/readyz`)).status).toBe(503);
    expect((await get(`${s.url}/healthz`)).status).toBe(200);
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 200));
    for (const r of results) expect(JSON.parse(r.body).children.length).toBeGreaterThan(50);
    expect(await s.exited).toBe(0);
    const msgs = s.logs().map((l) => l.msg);
    expect(msgs).toContain('draining: readiness is 503, still serving');
    expect(msgs.indexOf('closed')).toBeGreaterThan(msgs.lastIndexOf('sync'));
  });

  it('a request still being received when the server closes is answered before the exit', async () => {
    const s = await startBuilt({ SHUTDOWN_DELAY_MS: '0' });
    const slow = slowPost(s.url, largeRequest('slow'));
    await sleep(100);
    s.child.kill('SIGTERM');
    await sleep(300);
    expect(s.child.exitCode).toBeNull();
    slow.finish();
    const res = await slow.response;
    expect(res.status).toBe(200);
    expect(res.connection).toBe('close');
    expect(await s.exited).toBe(0);
  });

  it('an upload stalled when the server closes does not hold the exit past REQUEST_TIMEOUT_MS', async () => {
    const s = await startBuilt({ SHUTDOWN_DELAY_MS: '0', REQUEST_TIMEOUT_MS: '1000' });
    const stalled = slowPost(s.url, largeRequest('stalled'));
    stalled.response.catch(() => undefined);
    await sleep(100);
    const t = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(4000);
  });

  it('a second signal exits at once', async () => {
    const s = await startBuilt({ SHUTDOWN_DELAY_MS: '0' });
    const slow = slowPost(s.url, largeRequest('stuck'));
    slow.response.catch(() => undefined);
    await sleep(100);
    s.child.kill('SIGTERM');
    // Two signals sent before the first is handled (a busy machine) arrive as one.
    const drained = Date.now() + 5000;
    while (!s.logs().some((l) => l.msg === 'draining: readiness is 503, still serving') && Date.now() < drained) await sleep(5);
    await sleep(100);
    const t = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(1);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('exits on SIGTERM when stdout is a pipe whose reader is gone (`rw-hook serve | head -3`)', async () => {
    // Nothing is logged between closing the pipe and SIGTERM: the drain line is the first write to the
    // closed pipe, and the next one is still queued behind it when the process exits.
    const s = await startBuilt({ SHUTDOWN_DELAY_MS: '0' });
    s.child.stdout!.destroy();
    await sleep(100);
    s.child.kill('SIGTERM');
    const exit = await Promise.race([s.exited, sleep(5000).then(() => 'still running 5 s after SIGTERM' as const)]);
    if (exit === 'still running 5 s after SIGTERM') s.child.kill('SIGKILL');
    expect(exit).toBe(0);
  });

  it('with the default SHUTDOWN_DELAY_MS, connections still in the listen backlog at SIGTERM are answered, not reset', async () => {
    const s = await startBuilt({});
    const body = fixtureRequest();
    // Stopped, the server accepts nothing: the connections wait in the kernel's backlog, and SIGTERM is
    // delivered together with them when it resumes.
    s.child.kill('SIGSTOP');
    try {
      const posts = Array.from({ length: 16 }, () => post(s.url, body).catch((err: Error) => ({ status: 0, body: err.message })));
      await sleep(200);
      s.child.kill('SIGTERM');
      await sleep(50);
      s.child.kill('SIGCONT');
      const answers = await Promise.all(posts);
      expect(answers.map((a) => (a.status === 0 ? a.body : a.status))).toEqual(answers.map(() => 200));
    } finally {
      s.child.kill('SIGCONT');
    }
    expect(await s.exited).toBe(0);
  });

  it('refuses bad settings before listening (exit 1, every problem named)', () => {
    let status: number | null = null;
    let stderr = '';
    try {
      execFileSync(process.execPath, [MAIN, 'serve'], { env: { PATH: process.env.PATH ?? '', PORT: 'x', LOG_LEVEL: 'loud' }, stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain('PORT="x" must be an integer');
    expect(stderr).toContain('LOG_LEVEL="loud" must be one of');
  });
});
