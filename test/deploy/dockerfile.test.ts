import { execFileSync, execSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../support/net.js';
import { copyPaths, envOf, parseDockerfile, parseImageRef, workdirOf, type Stage } from './dockerfile.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const { stages } = dockerfile;
const runtime = stages[stages.length - 1]!;
const NONROOT = '65532';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const FULL_VERSION = /(^|[^0-9])\d+\.\d+\.\d+([^0-9]|$)/;

function stageByName(name: string, before: number): Stage | undefined {
  return stages.find((s) => s.name === name.toLowerCase() && s.index < before);
}

function of(stage: Stage, keyword: string) {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

function runs(stage: Stage): string[] {
  return of(stage, 'RUN').map((i) => i.args);
}

/** The stage whose node_modules is free of devDependencies. */
const prodDeps = stages.find((s) => runs(s).some((r) => /\bnpm ci\b.*--omit=dev\b/.test(r)));
/** The stage that compiles dist/. */
const build = stages.find((s) => runs(s).some((r) => /\bnpm run build\b/.test(r)));

const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

function ignoredByDocker(path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
  return dockerignore.some((p) => !p.startsWith('!') && (clean === p || clean.startsWith(`${p}/`)));
}

describe('Dockerfile parser', () => {
  it('joins continuations, skips comments and directives, reads flags, JSON form and stages', () => {
    const df = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG X=1',
        'FROM registry.local:5000/node:22.1.0@sha256:' + 'a'.repeat(64) + ' AS Deps',
        'RUN npm ci \\',
        '  # a comment inside',
        '  --omit=dev',
        'FROM deps',
        'COPY --from=deps --chown=1:1 /app/node_modules ./node_modules',
        'CMD ["a.js", "serve"]',
        'ENV A=1 B="two words"',
      ].join('\n'),
    );
    expect(df.stages.map((s) => [s.name, s.base])).toEqual([
      ['deps', 'registry.local:5000/node:22.1.0@sha256:' + 'a'.repeat(64)],
      [undefined, 'deps'],
    ]);
    expect(df.stages[0]!.instructions[0]).toMatchObject({ keyword: 'RUN', args: 'npm ci --omit=dev', line: 4 });
    const copy = df.stages[1]!.instructions[0]!;
    expect(copy.flags).toEqual({ from: 'deps', chown: '1:1' });
    expect(copyPaths(copy)).toEqual({ sources: ['/app/node_modules'], dest: './node_modules' });
    expect(df.stages[1]!.instructions[1]!.json).toEqual(['a.js', 'serve']);
    expect(envOf(df.stages[1]!, df.stages)).toEqual({ A: '1', B: 'two words' });
    expect(parseImageRef(df.stages[0]!.base)).toEqual({
      repository: 'registry.local:5000/node',
      tag: '22.1.0',
      digest: 'sha256:' + 'a'.repeat(64),
    });
    expect(parseImageRef('node')).toEqual({ repository: 'node', tag: undefined, digest: undefined });
  });
});

describe('Dockerfile (static)', () => {
  it('is multi-stage, with distinct stage names', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const names = stages.map((s) => s.name).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
  });

  it('pins every base image to an exact version (no latest): full version tag, or a tag plus digest', () => {
    for (const stage of stages) {
      if (stageByName(stage.base, stage.index)) continue;
      const ref = parseImageRef(stage.base);
      expect(ref.tag, stage.base).toBeDefined();
      expect(ref.tag, stage.base).not.toBe('latest');
      if (ref.digest !== undefined) expect(ref.digest, stage.base).toMatch(DIGEST);
      expect(FULL_VERSION.test(ref.tag!) || ref.digest !== undefined, `${stage.base} floats`).toBe(true);
    }
  });

  it('builds with the same Node major it runs on', () => {
    const runtimeMajor = /nodejs(\d+)-/.exec(parseImageRef(runtime.base).repository)?.[1];
    expect(runtimeMajor).toBeDefined();
    for (const stage of stages.slice(0, -1)) {
      const ref = parseImageRef(stage.base);
      if (ref.repository !== 'node' && ref.repository !== 'docker.io/library/node') continue;
      expect(ref.tag!.split('.')[0], stage.base).toBe(runtimeMajor);
    }
  });

  it('runs on distroless :nonroot as numeric uid:gid 65532', () => {
    const ref = parseImageRef(runtime.base);
    expect(ref.repository).toMatch(/^gcr\.io\/distroless\/nodejs\d+-debian\d+$/);
    expect(ref.tag).toBe('nonroot');
    const users = of(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]!.args).toBe(`${NONROOT}:${NONROOT}`);
  });

  it('starts node directly (distroless entrypoint), never npm or a shell', () => {
    expect(of(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(of(runtime, 'RUN')).toEqual([]);
    const cmds = of(runtime, 'CMD');
    expect(cmds).toHaveLength(1);
    const cmd = cmds[0]!.json;
    expect(cmd, 'CMD must be exec (JSON) form so node is PID 1').toBeDefined();
    expect(cmd).toEqual(['dist/cli/main.js', 'serve']);
    expect(cmd!.some((a) => /\b(npm|npx|sh|bash)\b/.test(a))).toBe(false);
  });

  it('exposes 8080 and sets NODE_ENV=production', () => {
    expect(of(runtime, 'EXPOSE').map((i) => i.args)).toEqual(['8080']);
    expect(envOf(runtime, stages).NODE_ENV).toBe('production');
  });

  it('fetches nothing with ADD', () => {
    for (const add of dockerfile.instructions.filter((i) => i.keyword === 'ADD')) expect(add.args).not.toMatch(/(https?|git):\/\/|git@/);
  });

  it('copies only dist/ from the build stage, node_modules/ from a --omit=dev install, and package.json', () => {
    expect(prodDeps, 'a stage running `npm ci --omit=dev`').toBeDefined();
    expect(build, 'a stage running `npm run build`').toBeDefined();
    const byDest = Object.fromEntries(
      of(runtime, 'COPY').flatMap((i) => {
        const { sources, dest } = copyPaths(i);
        const intoDir = dest.endsWith('/') || dest === '.';
        return sources.map((src) => [intoDir ? posix.basename(src) : posix.basename(dest), { from: i.flags.from }]);
      }),
    );
    expect(Object.keys(byDest).sort()).toEqual(['dist', 'node_modules', 'package.json']);
    expect(byDest.node_modules!.from).toBe(prodDeps!.name);
    expect(byDest.dist!.from).toBe(build!.name);
    expect(byDest['package.json']!.from).toBeUndefined();
    expect(of(runtime, 'ADD')).toEqual([]);
  });

  it('installs dependencies from the lockfile only (npm ci), never npm install', () => {
    for (const r of dockerfile.instructions.filter((i) => i.keyword === 'RUN')) expect(r.args).not.toMatch(/\bnpm (install|i)\b/);
    expect(runs(prodDeps!).join()).toMatch(/npm ci/);
  });

  it('refers only to earlier stages, and copies from the context only files that exist and are not ignored', () => {
    for (const stage of stages) {
      for (const copy of of(stage, 'COPY')) {
        const { sources } = copyPaths(copy);
        if (copy.flags.from !== undefined) {
          expect(stageByName(copy.flags.from, stage.index), `line ${copy.line}: --from=${copy.flags.from}`).toBeDefined();
          continue;
        }
        for (const src of sources) {
          expect(existsSync(join(ROOT, src)), `line ${copy.line}: ${src} missing from the repo`).toBe(true);
          expect(ignoredByDocker(src), `line ${copy.line}: ${src} is excluded by .dockerignore`).toBe(false);
        }
      }
    }
  });

  it('.dockerignore keeps the host node_modules, dist and git out of the build context', () => {
    for (const p of ['node_modules', 'dist', '.git']) expect(ignoredByDocker(p), p).toBe(true);
  });

  it('matches the Deployment: port, uid and gid', () => {
    const dep = parse(readFileSync(join(ROOT, 'metacontroller/base/deployment.yaml'), 'utf8'));
    const pod = dep.spec.template.spec;
    const [container] = pod.containers;
    expect(container.ports.map((p: { containerPort: number }) => String(p.containerPort))).toEqual(of(runtime, 'EXPOSE').map((i) => i.args));
    const [uid, gid] = of(runtime, 'USER').at(-1)!.args.split(':');
    for (const ctx of [pod.securityContext, container.securityContext]) {
      expect(String(ctx.runAsUser)).toBe(uid);
      expect(String(ctx.runAsGroup)).toBe(gid);
    }
  });
});

async function waitFor200(url: string, proc: ChildProcess, logs: () => string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before ${url} answered:\n${logs()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered 200 (last: ${last}):\n${logs()}`);
}

function sh(command: string, cwd: string, timeout = 240_000): void {
  try {
    execSync(command, { cwd, stdio: 'pipe', timeout, env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' } });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`\`${command}\` failed in ${cwd}: ${e.message}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

/**
 * The runtime stage, rebuilt without a container engine: each COPY of the runtime stage is replayed into an
 * empty folder, from the same place the image build would take it. Nothing else is installed, so the server
 * starting from that folder proves the image has every file it needs and no devDependency is used at run time.
 */
describe('runtime stage smoke test (COPY instructions replayed into an empty folder)', () => {
  let scratch = '';
  let app = '';
  let server: ChildProcess | undefined;
  let output = '';
  let port = 0;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rw-runtime-'));
    const stageDirs = new Map<string, string>();
    // The build stage's dist/ is what `npm run build` makes from the repository's sources. It is written to an
    // empty folder rather than the repo's dist/, so no stale file from an earlier build can hide a missing one.
    const built = join(scratch, 'build');
    expect(workdirOf(build!, stages)).toBe('/app');
    sh(`npm run build -- --outDir ${join(built, 'dist')}`, ROOT);
    stageDirs.set(build!.name!, built);
    // The prod-deps stage: its context COPYs and its RUN commands, replayed in a folder of its own.
    const deps = join(scratch, 'prod-deps');
    mkdirSync(deps);
    for (const copy of of(prodDeps!, 'COPY')) {
      expect(copy.flags.from, 'prod-deps copies only from the context').toBeUndefined();
      const { sources, dest } = copyPaths(copy);
      expect(dest === './' || dest === '.', `prod-deps COPY destination ${dest}`).toBe(true);
      for (const src of sources) cpSync(join(ROOT, src), join(deps, basename(src)));
    }
    for (const run of runs(prodDeps!)) sh(run, deps);
    stageDirs.set(prodDeps!.name!, deps);

    app = join(scratch, 'app');
    mkdirSync(app);
    for (const copy of of(runtime, 'COPY')) {
      const { sources, dest } = copyPaths(copy);
      const from = copy.flags.from;
      let root = ROOT;
      let workdir = '/';
      if (from !== undefined) {
        const stage = stageByName(from, runtime.index)!;
        root = stageDirs.get(stage.name!)!;
        expect(root, `no way to materialise stage ${from}`).toBeDefined();
        workdir = workdirOf(stage, stages);
      }
      for (const src of sources) {
        const inStage = from === undefined ? src : posix.relative(workdir, posix.resolve(workdir, src));
        expect(inStage.startsWith('..'), `${src} is outside stage ${from}'s WORKDIR ${workdir}`).toBe(false);
        const source = join(root, inStage);
        const target = join(app, dest.endsWith('/') && !statSync(source).isDirectory() ? join(dest, basename(src)) : dest);
        cpSync(source, target, { recursive: true, verbatimSymlinks: true });
      }
    }

    port = await freePort();
    const cmd = of(runtime, 'CMD')[0]!.json!;
    server = spawn(process.execPath, cmd, {
      cwd: app,
      // The image's ENV, the port, loopback (the image listens on 0.0.0.0 via HOST in the Deployment), and a
      // short drain so the test does not wait for the production one.
      env: { ...envOf(runtime, stages), PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (output += String(d)));
    server.stderr!.on('data', (d) => (output += String(d)));
  }, 600_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    // Thousands of node_modules files: slower than vitest's 10 s default on a busy two-core machine.
  }, 120_000);

  it('holds exactly what the runtime stage copies, with no devDependency', () => {
    expect(execFileSync('ls', ['-A', app], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual(['dist', 'node_modules', 'package.json']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const dev of Object.keys(pkg.devDependencies)) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
  });

  it('answers /healthz and /readyz', async () => {
    await waitFor200(`http://127.0.0.1:${port}/healthz`, server!, () => output);
    await waitFor200(`http://127.0.0.1:${port}/readyz`, server!, () => output);
  });

  it('answers a sync and a customize request with 200', async () => {
    const parent = {
      apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
      kind: 'RisingWave',
      metadata: { name: 'smoke', namespace: 'default', uid: '3c1b4f0e-0000-4000-8000-000000000001', generation: 1 },
      spec: {
        image: 'ghcr.io/risingwavelabs/risingwave:v2.5.0',
        metaStore: { memory: true },
        stateStore: { memory: true },
        components: {
          meta: { nodeGroups: [{ name: '', replicas: 1 }] },
          frontend: { nodeGroups: [{ name: '', replicas: 1 }] },
          compute: { nodeGroups: [{ name: '', replicas: 1 }] },
          compactor: { nodeGroups: [{ name: '', replicas: 1 }] },
        },
      },
    };
    const children = { 'ConfigMap.v1': {}, 'Service.v1': {}, 'StatefulSet.apps/v1': {}, 'Deployment.apps/v1': {} };
    const sync = await fetch(`http://127.0.0.1:${port}/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ controller: {}, parent, children, related: {}, finalizing: false }),
    });
    const syncBody = await sync.text();
    expect(sync.status, syncBody + output).toBe(200);
    const parsed = JSON.parse(syncBody) as { status: { conditions?: Array<{ type: string; status: string }> }; children: Array<{ kind: string }> };
    // The whole pipeline ran in the stripped folder: the workflow decided children and reported Synced.
    expect(parsed.status.conditions?.find((c) => c.type === 'Synced')?.status, syncBody).toBe('True');
    expect(new Set(parsed.children.map((c) => c.kind))).toEqual(new Set(['ConfigMap', 'Service', 'StatefulSet', 'Deployment']));

    const customize = await fetch(`http://127.0.0.1:${port}/customize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ controller: {}, parent }),
    });
    const customizeBody = await customize.text();
    expect(customize.status, customizeBody + output).toBe(200);
    expect(Array.isArray((JSON.parse(customizeBody) as { relatedResources: unknown }).relatedResources)).toBe(true);
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((res) => server!.once('exit', (code) => res(code)));
    expect(server!.kill('SIGTERM')).toBe(true);
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 15_000))]);
    expect(code, output).toBe(0);
  });
});
