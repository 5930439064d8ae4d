/**
 * TEST INFRASTRUCTURE — the real Metacontroller and the production hook next to an e2e cluster.
 *
 * - The hook runs as users run it: `node dist/cli/main.js serve` with the environment of
 *   metacontroller/base/deployment.yaml, except PORT (a free loopback port, kept across restarts so the
 *   CompositeController's URL stays valid) and HOST (127.0.0.1).
 * - The CompositeController is the one `kubectl kustomize metacontroller/<overlay>` renders, with only the
 *   hooks' `service:` replaced by `url:` pointing at that hook.
 * - Metacontroller is the binary build-metacontroller.sh built from the pinned tag, run out of cluster with
 *   the cluster's admin kubeconfig and the args of its production StatefulSet, plus loopback metrics and
 *   health ports (its defaults :9999/:8081 would collide between clusters on one machine).
 *
 * Both are daemons (./daemon.ts): any test file can stop and start them again (the hook down while a spec
 * changes; Metacontroller paused around tests that drive the hook with test/e2e/driver). Their state is in
 * `<cluster dir>/stack.json`, so every vitest worker finds them. Logs: `<logDir>/{hook,metacontroller}.log`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { ClusterInfo } from './cluster.js';
import { daemonPid, startDaemon, stopDaemon } from './daemon.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..', '..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export interface MetacontrollerBuild {
  version: string;
  bin: string;
  /** The tag's manifests/production (metacontroller-crds-v1.yaml, RBAC, the StatefulSet). */
  manifestsDir: string;
  crdFile: string;
}

/** Paths of the Metacontroller build (env.sh is the single source of the cache layout). */
export async function metacontrollerBuild(): Promise<MetacontrollerBuild> {
  const out = await run('bash', ['-c', `source '${join(HERE, 'env.sh')}' && printf '%s\\n' "$METACONTROLLER_VERSION" "$E2E_MC_BIN" "$E2E_MC_MANIFESTS_DIR"`], process.env);
  const [version, bin, manifestsDir] = out.trim().split('\n') as [string, string, string];
  return { version, bin, manifestsDir, crdFile: join(manifestsDir, 'metacontroller-crds-v1.yaml') };
}

/** Where the stack's pieces listen; written to `<cluster dir>/stack.json`. */
export interface StackInfo {
  /** Base URL of the hook, e.g. http://127.0.0.1:PORT (its /sync, /customize, /metrics). */
  hookUrl: string;
  hookPort: number;
  /** Extra environment the hook was last started with (on top of the Deployment's). */
  hookEnv: Record<string, string>;
  /** Metacontroller's Prometheus endpoint, http://127.0.0.1:PORT/metrics. */
  metacontrollerMetricsUrl: string;
  metacontrollerHealthUrl: string;
  metacontrollerBin: string;
  metacontrollerArgs: string[];
  /** The kustomize directory of the CompositeController last applied (relative to the repo). */
  overlay: string;
}

const stackFile = (c: Pick<ClusterInfo, 'dir'>) => join(c.dir, 'stack.json');

export function readStack(c: Pick<ClusterInfo, 'dir'>): StackInfo {
  return JSON.parse(readFileSync(stackFile(c), 'utf8')) as StackInfo;
}
function writeStack(c: Pick<ClusterInfo, 'dir'>, s: StackInfo): void {
  writeFileSync(stackFile(c), `${JSON.stringify(s, null, 2)}\n`);
}

// ---- hook -------------------------------------------------------------------------------------------

/** The container env of metacontroller/base/deployment.yaml, as `name -> value`. */
export function deploymentEnv(): Record<string, string> {
  const d = parseYaml(readFileSync(join(REPO_ROOT, 'metacontroller', 'base', 'deployment.yaml'), 'utf8')) as Obj;
  const container = (d.spec.template.spec.containers as Obj[]).find((c) => c.name === 'hook')!;
  return Object.fromEntries((container.env as Obj[]).map((e) => [e.name as string, String(e.value)]));
}

/** Builds dist/ when it is missing or older than a source file (the hook runs as the production build). */
export async function ensureBuilt(): Promise<void> {
  const main = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  if (existsSync(main) && statSync(main).mtimeMs >= newest(join(REPO_ROOT, 'src'))) return;
  await run('npm', ['run', 'build'], process.env, REPO_ROOT);
}

/**
 * (Re)starts the hook daemon on the stack's port. `env` is added to the Deployment's environment (e.g.
 * ROLLOUT_DEADLINE_SECONDS for the deadline scenario, AUTH_TOKEN_FILE for the auth overlay) and remembered
 * until the next call; `{}` restores the Deployment's settings.
 */
export async function startHook(c: ClusterInfo, env?: Record<string, string>): Promise<StackInfo> {
  const s = readStack(c);
  if (env !== undefined && JSON.stringify(env) !== JSON.stringify(s.hookEnv)) {
    await stopDaemon(c.dir, 'hook');
    s.hookEnv = env;
    writeStack(c, s);
  }
  startDaemon({
    dir: c.dir,
    logDir: c.logDir,
    name: 'hook',
    command: process.execPath,
    args: [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'serve'],
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...deploymentEnv(), PORT: String(s.hookPort), HOST: '127.0.0.1', ...s.hookEnv },
  });
  await waitHttp(`${s.hookUrl}/readyz`, 'hook /readyz', c, 'hook');
  return s;
}

export async function stopHook(c: ClusterInfo): Promise<void> {
  await stopDaemon(c.dir, 'hook');
}

// ---- CompositeController ----------------------------------------------------------------------------

/**
 * The CompositeController `kubectl kustomize <overlay>` renders (overlay relative to the repo, e.g.
 * `metacontroller`, `metacontroller/overlays/auth`), with each hook's `service:` + `path:` replaced by
 * `url: <hookUrl><path>`. Nothing else is changed.
 */
export async function renderCompositeController(c: ClusterInfo, overlay: string, hookUrl: string): Promise<Obj> {
  const text = await run(c.kubectlPath, ['kustomize', resolve(REPO_ROOT, overlay)], process.env);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Obj);
  const ccs = docs.filter((d) => d?.kind === 'CompositeController');
  if (ccs.length !== 1) throw new Error(`kubectl kustomize ${overlay}: expected one CompositeController, got ${ccs.length}`);
  const cc = ccs[0]!;
  for (const [name, hook] of Object.entries(cc.spec.hooks as Record<string, Obj>)) {
    const w = hook.webhook as Obj;
    if (!w.service || !w.path) throw new Error(`${overlay}: hook ${name} has no service/path to replace`);
    delete w.service;
    w.url = `${hookUrl}${w.path as string}`;
    delete w.path;
  }
  return cc;
}

/** Every object `kubectl kustomize <overlay>` renders of the given kinds (e.g. the auth overlay's Secret). */
export async function renderOverlayObjects(c: ClusterInfo, overlay: string, kinds: string[]): Promise<Obj[]> {
  const text = await run(c.kubectlPath, ['kustomize', resolve(REPO_ROOT, overlay)], process.env);
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter((d) => kinds.includes(d?.kind));
}

/**
 * Applies the overlay's CompositeController (replacing the one installed, by name) and records it. A
 * changed CC spec makes Metacontroller rebuild that controller and resync every parent.
 */
export async function applyCompositeController(c: ClusterInfo, overlay = 'metacontroller'): Promise<Obj> {
  const s = readStack(c);
  const cc = await renderCompositeController(c, overlay, s.hookUrl);
  await run(c.kubectlPath, ['--kubeconfig', c.kubeconfig, 'apply', '--server-side', '--force-conflicts', '--field-manager=rw-e2e', '-f', '-'], process.env, undefined, JSON.stringify(cc));
  writeStack(c, { ...s, overlay });
  return cc;
}

// ---- Metacontroller ---------------------------------------------------------------------------------

/** Starts the Metacontroller daemon (no-op when it runs) and waits for its readiness probe. */
export async function startMetacontroller(c: ClusterInfo): Promise<StackInfo> {
  const s = readStack(c);
  startDaemon({
    dir: c.dir,
    logDir: c.logDir,
    name: 'metacontroller',
    command: s.metacontrollerBin,
    args: ['--kubeconfig', c.kubeconfig, ...s.metacontrollerArgs],
    env: { PATH: process.env.PATH ?? '', HOME: c.dir },
  });
  await waitHttp(s.metacontrollerHealthUrl, 'metacontroller /readyz', c, 'metacontroller');
  return s;
}

export async function stopMetacontroller(c: ClusterInfo): Promise<void> {
  await stopDaemon(c.dir, 'metacontroller');
}

export const metacontrollerRunning = (c: Pick<ClusterInfo, 'dir'>): boolean => daemonPid(c.dir, 'metacontroller') !== undefined;

/**
 * The whole stack on a started cluster whose preload included Metacontroller's CRDs and the RisingWave CRD:
 * hook, CompositeController (`overlay`), then Metacontroller. Metacontroller starts last so that its first
 * discovery already sees the RisingWave CRD.
 */
export async function startStack(c: ClusterInfo, opts: { overlay?: string; metacontrollerArgs?: string[] } = {}): Promise<StackInfo> {
  const build = await metacontrollerBuild();
  const [hookPort, metricsPort, healthPort] = await freePorts(3);
  const prod = productionArgs(build);
  writeStack(c, {
    hookUrl: `http://127.0.0.1:${hookPort}`,
    hookPort: hookPort!,
    hookEnv: {},
    metacontrollerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    metacontrollerHealthUrl: `http://127.0.0.1:${healthPort}/readyz`,
    metacontrollerBin: build.bin,
    metacontrollerArgs: [
      ...(opts.metacontrollerArgs ?? prod),
      `--metrics-address=127.0.0.1:${metricsPort}`,
      `--health-probe-bind-address=127.0.0.1:${healthPort}`,
    ],
    overlay: opts.overlay ?? 'metacontroller',
  });
  await ensureBuilt();
  await startHook(c);
  await applyCompositeController(c, opts.overlay ?? 'metacontroller');
  return startMetacontroller(c);
}

export async function stopStack(c: ClusterInfo): Promise<void> {
  await stopMetacontroller(c);
  await stopHook(c);
}

/** The component that gives Metacontroller's StatefulSet the flags we recommend for a fleet. */
export const FLEET_COMPONENT = join(REPO_ROOT, 'metacontroller', 'components', 'metacontroller-fleet');

/**
 * The kustomization docs/operations.md tells users to write to install Metacontroller with FLEET_COMPONENT:
 * the tag's production manifests as its resource (here the local copy, by a relative path, since kustomize
 * refuses absolute ones), the component on top. Returns its directory, for `kubectl apply -k` or `kustomize`.
 */
export function fleetInstallDir(build: MetacontrollerBuild): string {
  const dir = mkdtempSync(join(tmpdir(), 'rw-mc-fleet-'));
  const text = ['resources:', `  - ${relative(dir, build.manifestsDir)}`, 'components:', `  - ${relative(dir, FLEET_COMPONENT)}`, ''].join('\n');
  writeFileSync(join(dir, 'kustomization.yaml'), text);
  return dir;
}

/** The container args of Metacontroller's StatefulSet in a rendering of `kubectl kustomize`. */
export function statefulSetArgs(rendered: string): string[] {
  const sts = parseAllDocuments(rendered).map((d) => d.toJS() as Obj).find((d) => d?.kind === 'StatefulSet' && d.metadata?.name === 'metacontroller');
  if (sts === undefined) throw new Error('no StatefulSet metacontroller in the rendering');
  return sts.spec.template.spec.containers[0].args as string[];
}

/** The container args of the tag's production StatefulSet (manifests/production/metacontroller.yaml). */
export function productionArgs(build: MetacontrollerBuild): string[] {
  const docs = parseAllDocuments(readFileSync(join(build.manifestsDir, 'metacontroller.yaml'), 'utf8')).map((d) => d.toJS() as Obj);
  const sts = docs.find((d) => d?.kind === 'StatefulSet')!;
  return sts.spec.template.spec.containers[0].args as string[];
}

// ---- helpers ----------------------------------------------------------------------------------------

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr.slice(-4000)}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitHttp(url: string, what: string, c: ClusterInfo, daemon: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    const logFile = join(c.logDir, `${daemon}.log`);
    const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '');
    if (daemonPid(c.dir, daemon) === undefined) throw new Error(`${daemon} exited while waiting for ${what}; log tail:\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${url}); log tail:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
