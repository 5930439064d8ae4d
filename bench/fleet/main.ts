/**
 * `npm run bench:fleet`: the control plane's cost of a fleet of RisingWaves, Metacontroller + the hook against
 * the Go operator, each on a fresh local cluster (test/e2e/cluster, kwok nodes, loopback only).
 *
 * Per controller: create FLEET_N RisingWaves at once and time each to Running; then FLEET_IDLE_S at rest
 * (apiserver_request_total, the audit log by user agent, CPU of each process, hook syncs); then an image
 * upgrade of all, timed to rolled; then their deletion, timed until their children are gone. Peak RSS is
 * each process's VmHWM. Every wait is bounded (FLEET_TIMEOUT_S per phase, FLEET_MAX_S overall), and the
 * clusters and controllers are stopped on any exit (the cluster's watchdog also stops them, the operator
 * included, if this process is killed).
 *
 * Env: FLEET_N (100), FLEET_IDLE_S (300), FLEET_SETTLE_S (20), FLEET_TIMEOUT_S (900), FLEET_MAX_S (3 h),
 * FLEET_CONTROLLERS (metacontroller,operator), FLEET_MC_SETTINGS (fleet: the args of Metacontroller's production
 * StatefulSet with metacontroller/components/metacontroller-fleet, as docs/operations.md installs it;
 * production: without it), FLEET_MC_ARGS (added to those args), FLEET_HOOK_ENV (`NAME=value ...` added to the
 * hook's Deployment env, e.g. CACHE=off),
 * FLEET_CONCURRENCY (16 requests at once to create, patch, delete), FLEET_WRITE (1: BENCHMARKS.md),
 * FLEET_LABEL (names the BENCHMARKS.md block of a variant run).
 */
import { appendFileSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCluster, type RunningCluster } from '../../test/e2e/cluster/cluster.js';
import { daemonPid } from '../../test/e2e/cluster/daemon.js';
import { REPO_ROOT, fleetInstallDir, metacontrollerBuild, productionArgs, readStack, startHook, startStack, statefulSetArgs, stopStack } from '../../test/e2e/cluster/metacontroller.js';
import { KubeClient } from '../../test/e2e/driver/kube.js';
import { OPERATOR_VERSION, WEBHOOK_PORT, buildOperator, startOperator, type RunningOperator } from '../../test/e2e/operator/operator.js';
import { kubectlWith } from '../../test/e2e/support.js';
import {
  auditWindow,
  parseAuditLine,
  parseCounter,
  renderFleet,
  replaceBlock,
  requestsByVerbResource,
  diffCounts,
  sum,
  type AuditEvent,
  type Controller,
  type Cpu,
  type FleetRun,
  type Idle,
  type Phase,
} from './report.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const env = (name: string, def: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} must be a non-negative number`);
  return n;
};
const N = env('FLEET_N', 100);
const IDLE_S = env('FLEET_IDLE_S', 300);
const SETTLE_S = env('FLEET_SETTLE_S', 20);
const TIMEOUT_S = env('FLEET_TIMEOUT_S', 900);
const MAX_S = env('FLEET_MAX_S', 3 * 3600);
const CONCURRENCY = Math.max(1, env('FLEET_CONCURRENCY', 16));
const CONTROLLERS = (process.env.FLEET_CONTROLLERS ?? 'metacontroller,operator').split(',').map((s) => s.trim()).filter(Boolean) as Controller[];
const MC_ARGS = (process.env.FLEET_MC_ARGS ?? '').split(/\s+/).filter(Boolean);
const MC_SETTINGS = process.env.FLEET_MC_SETTINGS || 'fleet';
const HOOK_ENV_TEXT = (process.env.FLEET_HOOK_ENV ?? '').trim();
const HOOK_ENV: Record<string, string> = Object.fromEntries(
  HOOK_ENV_TEXT.split(/\s+/).filter(Boolean).map((kv) => {
    const at = kv.indexOf('=');
    if (at <= 0) throw new Error(`FLEET_HOOK_ENV: ${kv} is not NAME=value`);
    return [kv.slice(0, at), kv.slice(at + 1)];
  }),
);
if (MC_SETTINGS !== 'fleet' && MC_SETTINGS !== 'production') throw new Error(`FLEET_MC_SETTINGS=${MC_SETTINGS} must be fleet or production`);
const WRITE = process.env.FLEET_WRITE !== '0';
const LABEL = process.env.FLEET_LABEL ?? '';

const NS = 'fleet';
const RW = { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', resource: 'risingwaves', namespace: NS };
const IMAGE = 'risingwavelabs/risingwave:v2.6.0';
const UPGRADE_IMAGE = 'risingwavelabs/risingwave:v2.6.1';
const PODS_PER_RW = 5;
const CLK_TCK = 100;

const log = (msg: string) => process.stderr.write(`[fleet ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A typical RisingWave: the four components, two compute groups, Postgres meta store, S3 state store. The
 * requests are small so that the fake nodes hold every pod (a Pending pod would never be Running).
 */
export function risingWave(name: string): Obj {
  const group = (groupName: string, replicas: number, cpu: string, memory: string) => ({
    name: groupName,
    replicas,
    template: { spec: { resources: { limits: { cpu, memory }, requests: { cpu: '250m', memory: '512Mi' } } } },
  });
  return {
    apiVersion: RW.apiVersion,
    kind: 'RisingWave',
    metadata: { name, namespace: NS },
    spec: {
      image: IMAGE,
      metaStore: {
        postgresql: {
          host: 'postgres.db',
          port: 5432,
          database: name.replaceAll('-', '_'),
          credentials: { secretName: 'pg-credentials', usernameKeyRef: 'username', passwordKeyRef: 'password' },
        },
      },
      stateStore: { dataDirectory: name, s3: { bucket: 'rw-state', region: 'eu-west-1', credentials: { secretName: 's3-credentials' } } },
      components: {
        meta: { nodeGroups: [group('', 1, '1', '2Gi')] },
        frontend: { nodeGroups: [group('', 1, '1', '2Gi')] },
        compute: { nodeGroups: [group('', 1, '4', '16Gi'), group('analytics', 1, '4', '16Gi')] },
        compactor: { nodeGroups: [group('', 1, '1', '2Gi')] },
      },
    },
  };
}

// ---- processes ------------------------------------------------------------------------------------------

function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}
function peakRssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
type Pids = Record<string, number | undefined>;
const cpuNow = (pids: Pids): Cpu => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
const cpuDelta = (a: Cpu, b: Cpu): Cpu => Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] ?? NaN) - (a[k] ?? NaN)]));

// ---- helpers ----------------------------------------------------------------------------------------------

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

const ownerUid = (o: Obj): string | undefined => (o.metadata.ownerReferences as Obj[] | undefined)?.find((r) => r.kind === 'RisingWave')?.uid;
const running = (rw: Obj): boolean => (rw.status?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Running' && c.status === 'True') === true;

function rolled(w: Obj): boolean {
  const spec = w.spec as Obj;
  const st = (w.status ?? {}) as Obj;
  const replicas = spec.replicas ?? 1;
  if (!(spec.template.spec.containers as Obj[]).some((c) => c.image === UPGRADE_IMAGE)) return false;
  if ((st.observedGeneration ?? 0) < w.metadata.generation) return false;
  if ((st.updatedReplicas ?? 0) !== replicas || (st.readyReplicas ?? 0) !== replicas || (st.replicas ?? 0) !== replicas) return false;
  if (w.kind === 'StatefulSet' && st.currentRevision !== st.updateRevision) return false;
  return true;
}

/**
 * Polls `check` every `intervalMs` until it reports every RisingWave done or the phase times out; returns
 * each one's seconds since `t0` (at the poll that first saw it done) and how many never got there.
 */
async function timeEach(what: string, t0: number, intervalMs: number, check: () => Promise<Set<string>>, all: () => Set<string>): Promise<{ times: number[]; missing: number }> {
  const done = new Map<string, number>();
  const deadline = t0 + TIMEOUT_S * 1000;
  let lastLog = 0;
  for (;;) {
    let now: number;
    try {
      const got = await check();
      now = Date.now();
      for (const k of got) if (!done.has(k)) done.set(k, (now - t0) / 1000);
    } catch (e) {
      now = Date.now();
      log(`${what}: poll failed (${(e as Error).message.slice(0, 200)}); retrying`);
    }
    const total = all().size;
    if (done.size >= total && total > 0) break;
    if (now > deadline) {
      log(`${what}: timed out after ${TIMEOUT_S} s with ${done.size}/${total}`);
      break;
    }
    if (now - lastLog > 15_000) {
      log(`${what}: ${done.size}/${total} after ${Math.round((now - t0) / 1000)} s`);
      lastLog = now;
    }
    await sleep(intervalMs);
  }
  return { times: [...done.values()], missing: Math.max(0, all().size - done.size) };
}

async function readAudit(dir: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  // lumberjack rotates to audit-<time>.log next to audit.log; read them all.
  for (const f of readdirSync(dir).filter((f) => f.startsWith('audit') && f.includes('.log')).sort()) {
    const rl = createInterface({ input: createReadStream(join(dir, f)), crlfDelay: Infinity });
    for await (const line of rl) {
      const e = parseAuditLine(line);
      if (e) events.push(e);
    }
  }
  return events;
}

// ---- one run ------------------------------------------------------------------------------------------------

interface Started {
  name: string;
  settings: string;
  pids: () => Pids;
  hookSyncs?: () => Promise<number>;
  stop: () => Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];

async function runOne(controller: Controller, work: string): Promise<FleetRun> {
  const auditDir = join(work, `audit-${controller}`);
  const policy = join(work, 'audit-policy.yaml');
  writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived, ResponseStarted]\nrules:\n  - level: Metadata\n');
  rmSync(auditDir, { recursive: true, force: true });
  mkdirSync(auditDir, { recursive: true });
  process.env.RW_E2E_APISERVER_ARGS = `--audit-policy-file=${policy} --audit-log-path=${join(auditDir, 'audit.log')} --audit-log-format=json --audit-log-maxsize=8192`;

  const operatorBuild = controller === 'operator' ? await buildOperator() : undefined;
  const preload =
    controller === 'metacontroller'
      ? [join(REPO_ROOT, 'crds', 'risingwave.risingwavelabs.com_risingwaves.yaml'), (await metacontrollerBuild()).crdFile]
      : [operatorBuild!.crdFiles.risingwaves, operatorBuild!.crdFiles.scaleViews];
  // A kwok node holds 250 pods and 64 CPUs (up.sh); 100 pods (25 CPUs requested) a node leaves room.
  const nodes = Math.max(2, Math.ceil((N * PODS_PER_RW) / 100));
  log(`${controller}: fresh cluster with ${nodes} kwok nodes`);
  const cluster: RunningCluster = await startCluster({ preload, nodes, verbose: false });
  delete process.env.RW_E2E_APISERVER_ARGS;
  let clusterStopped = false;
  const stopCluster = async () => {
    if (!clusterStopped) {
      clusterStopped = true;
      await cluster.stop();
    }
  };
  cleanups.push(stopCluster);
  const kube = new KubeClient(cluster);
  const kubectl = kubectlWith(cluster.kubeconfig, cluster.kubectlPath);
  const clusterPids = (JSON.parse(readFileSync(join(cluster.dir, 'cluster.json'), 'utf8')) as { pids: Record<string, number> }).pids;

  let started: Started;
  try {
    started = await startController(controller, cluster, kubectl);
  } catch (e) {
    await stopCluster();
    throw e;
  }
  cleanups.push(started.stop);
  const pids = (): Pids => ({ ...started.pids(), 'kube-apiserver': clusterPids['kube-apiserver'], etcd: clusterPids.etcd });
  const syncs = async () => (started.hookSyncs ? started.hookSyncs() : undefined);
  const load = { before: loadavg(), after: [] as number[] };

  try {
    await kube.create({ apiVersion: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (const [name, data] of [
      ['pg-credentials', { username: 'cm9vdA==', password: 'cGFzc3dvcmQ=' }],
      ['s3-credentials', { AccessKeyID: 'a2V5', SecretAccessKey: 'c2VjcmV0' }],
    ] as const) {
      await kube.create({ apiVersion: 'v1', resource: 'secrets', namespace: NS }, { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data });
    }
    for (const deadline = Date.now() + 60_000; !(await kube.getOrUndefined({ apiVersion: 'v1', resource: 'serviceaccounts', namespace: NS, name: 'default' })); ) {
      if (Date.now() > deadline) throw new Error('no default ServiceAccount in the fleet namespace');
      await sleep(200);
    }
    await sleep(5_000);

    const names = Array.from({ length: N }, (_, i) => `rw-${String(i).padStart(3, '0')}`);
    const uids = new Map<string, string>();
    const phase = async (what: string, act: () => Promise<void>, measure: () => Promise<{ times: number[]; missing: number }>): Promise<Phase> => {
      const cpu0 = cpuNow(pids());
      const s0 = await syncs();
      const from = Date.now();
      log(`${controller}: ${what}`);
      await act();
      const { times, missing } = await measure();
      const to = Date.now();
      const s1 = await syncs();
      return { from, to, times, missing, cpu: cpuDelta(cpu0, cpuNow(pids())), ...(s0 !== undefined && s1 !== undefined ? { hookSyncs: s1 - s0 } : {}) };
    };

    // -- create
    let t0 = 0;
    const create = await phase(
      `creating ${N} RisingWaves`,
      async () => {
        t0 = Date.now();
        await pool(names, CONCURRENCY, async (name) => {
          const got = await kube.create<Obj>(RW, risingWave(name));
          uids.set(got.metadata.uid as string, name);
        });
      },
      () =>
        timeEach('Running', t0, 1000, async () => new Set((await kube.list(RW)).filter(running).map((r) => (r.metadata as Obj).uid as string)), () => new Set(uids.keys())),
    );
    log(`${controller}: all Running: max ${Math.max(...create.times).toFixed(1)} s; settling ${SETTLE_S} s`);
    await sleep(SETTLE_S * 1000);

    // -- at rest
    const idle = await (async (): Promise<Idle> => {
      const m0 = String((await kube.raw('GET', '/metrics')).body);
      const cpu0 = cpuNow(pids());
      const s0 = await syncs();
      const from = Date.now();
      log(`${controller}: at rest for ${IDLE_S} s`);
      await sleep(IDLE_S * 1000);
      const to = Date.now();
      const cpu1 = cpuNow(pids());
      const s1 = await syncs();
      const m1 = String((await kube.raw('GET', '/metrics')).body);
      // Includes one request of this benchmark's own: the first scrape.
      const apiserver = diffCounts(requestsByVerbResource(m0), requestsByVerbResource(m1));
      return { from, to, cpu: cpuDelta(cpu0, cpu1), apiserver, ...(s0 !== undefined && s1 !== undefined ? { hookSyncs: s1 - s0 } : {}) };
    })();

    // -- upgrade
    const workloads = async (): Promise<Obj[]> => [
      ...(await kube.list({ apiVersion: 'apps/v1', resource: 'statefulsets', namespace: NS, kind: 'StatefulSet' })),
      ...(await kube.list({ apiVersion: 'apps/v1', resource: 'deployments', namespace: NS, kind: 'Deployment' })),
    ];
    const upgrade = await phase(
      `upgrading the image of all ${N}`,
      async () => {
        t0 = Date.now();
        await pool(names, CONCURRENCY, async (name) => {
          await kube.mergePatch({ ...RW, name }, { spec: { image: UPGRADE_IMAGE } });
        });
      },
      () =>
        timeEach(
          'rolled',
          t0,
          2000,
          async () => {
            const byOwner = new Map<string, Obj[]>();
            for (const w of await workloads()) {
              const o = ownerUid(w);
              if (o) byOwner.set(o, [...(byOwner.get(o) ?? []), w]);
            }
            return new Set([...byOwner].filter(([, ws]) => ws.every(rolled)).map(([uid]) => uid));
          },
          () => new Set(uids.keys()),
        ),
    );

    // -- delete
    const children = async (): Promise<Obj[]> =>
      (
        await Promise.all(
          [
            ['apps/v1', 'statefulsets'],
            ['apps/v1', 'deployments'],
            ['v1', 'services'],
            ['v1', 'configmaps'],
          ].map(([apiVersion, resource]) => kube.list({ apiVersion: apiVersion!, resource: resource!, namespace: NS })),
        )
      ).flat();
    const remove = await phase(
      `deleting all ${N}`,
      async () => {
        t0 = Date.now();
        await pool(names, CONCURRENCY, async (name) => {
          await kube.delete({ ...RW, name });
        });
      },
      () =>
        timeEach(
          'children gone',
          t0,
          2000,
          async () => {
            const left = new Set<string>();
            for (const c of await children()) {
              const o = ownerUid(c);
              if (o) left.add(o);
            }
            const rws = new Set((await kube.list(RW)).map((r) => (r.metadata as Obj).uid as string));
            return new Set([...uids.keys()].filter((u) => !left.has(u) && !rws.has(u)));
          },
          () => new Set(uids.keys()),
        ),
    );

    const peak = Object.fromEntries(Object.entries(pids()).map(([k, pid]) => [k, peakRssMiB(pid)]));
    load.after = loadavg();
    kube.close();
    await started.stop();
    await stopCluster();
    const events = await readAudit(auditDir);
    for (const p of [create, upgrade, remove]) p.audit = auditWindow(events, p.from, p.to);
    idle.audit = auditWindow(events, idle.from, idle.to);
    return { controller, name: started.name, n: N, settings: started.settings, create, idle, upgrade, remove, peakRssMiB: peak, load };
  } finally {
    kube.close();
    await started.stop().catch(() => undefined);
    await stopCluster().catch(() => undefined);
  }
}

async function startController(controller: Controller, cluster: RunningCluster, kubectl: (args: string[], input?: string) => Promise<string>): Promise<Started> {
  if (controller === 'metacontroller') {
    const build = await metacontrollerBuild();
    const base = MC_SETTINGS === 'fleet' ? statefulSetArgs(await kubectl(['kustomize', fleetInstallDir(build)])) : productionArgs(build);
    const args = [...base, ...MC_ARGS];
    const source = MC_SETTINGS === 'fleet' ? 'its production StatefulSet with components/metacontroller-fleet' : 'its production StatefulSet';
    await startStack(cluster, { metacontrollerArgs: args });
    if (HOOK_ENV_TEXT) await startHook(cluster, HOOK_ENV);
    let stopped = false;
    return {
      name: `Metacontroller ${build.version} + hook`,
      settings: `Metacontroller ${args.join(' ')} (${source}${MC_ARGS.length ? ' + FLEET_MC_ARGS' : ''}); CompositeController of metacontroller/ (resyncPeriodSeconds unset); hook with the Deployment's env${HOOK_ENV_TEXT ? ` and ${HOOK_ENV_TEXT}` : ''}`,
      pids: () => ({ metacontroller: daemonPid(cluster.dir, 'metacontroller'), hook: daemonPid(cluster.dir, 'hook') }),
      hookSyncs: async () => sum(parseCounter(await (await fetch(`${readStack(cluster).hookUrl}/metrics`)).text(), 'rw_hook_syncs_total').values()),
      stop: async () => {
        if (!stopped) {
          stopped = true;
          await stopStack(cluster);
        }
      },
    };
  }
  // controller-runtime's webhook port cannot be moved: wait for another run's operator to finish.
  for (const deadline = Date.now() + 10 * 60_000; !(await portFree(WEBHOOK_PORT)); ) {
    if (Date.now() > deadline) throw new Error(`port ${WEBHOOK_PORT} stayed taken for 10 min (another operator running?)`);
    log(`port ${WEBHOOK_PORT} is taken (another operator?); waiting`);
    await sleep(10_000);
  }
  const op: RunningOperator = await startOperator({ kubeconfig: cluster.kubeconfig, kubectl, logDir: cluster.logDir, installCrds: false });
  // Recorded with the cluster's processes, so its watchdog stops the operator too if this process dies.
  appendFileSync(join(cluster.dir, 'pids'), `operator ${op.pid}\n`);
  process.on('exit', () => {
    try {
      process.kill(op.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  return { name: `operator ${OPERATOR_VERSION}`, settings: 'manager --leader-elect=false, webhooks registered (failurePolicy Fail)', pids: () => ({ operator: op.pid }), stop: () => op.stop() };
}

// ---- main -------------------------------------------------------------------------------------------------

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const overall = setTimeout(() => {
    log(`FLEET_MAX_S (${MAX_S} s) reached; stopping`);
    void cleanup().finally(() => process.exit(2));
  }, MAX_S * 1000);
  const cleanup = async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
  };
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stopping = true;
      log(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  const work = mkdtempSync(join(tmpdir(), 'rw-fleet-'));
  // First in, so the last to run: the audit logs go once their clusters are down.
  cleanups.push(async () => rmSync(work, { recursive: true, force: true }));
  const runs: FleetRun[] = [];
  try {
    for (const controller of CONTROLLERS) runs.push(await runOne(controller, work));
  } catch (e) {
    // After a signal the run fails as its cluster goes away; the signal handler exits.
    if (stopping) await new Promise(() => {});
    throw e;
  } finally {
    await cleanup();
    clearTimeout(overall);
  }
  const env = [`FLEET_N=${N}`, `FLEET_IDLE_S=${IDLE_S}`, `FLEET_SETTLE_S=${SETTLE_S}`, `FLEET_CONCURRENCY=${CONCURRENCY}`, ...(process.env.FLEET_MC_SETTINGS ? [`FLEET_MC_SETTINGS=${MC_SETTINGS}`] : []), ...(MC_ARGS.length ? [`FLEET_MC_ARGS='${MC_ARGS.join(' ')}'`] : []), ...(HOOK_ENV_TEXT ? [`FLEET_HOOK_ENV='${HOOK_ENV_TEXT}'`] : []), ...(process.env.FLEET_CONTROLLERS ? [`FLEET_CONTROLLERS=${CONTROLLERS.join(',')}`] : [])];
  const text = [
    `### ${N} RisingWaves${LABEL ? ` (${LABEL})` : ''}`,
    '',
    `Command: \`${env.join(' ')} npm run bench:fleet\`, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${machine()}.`,
    ...runs.map((r) => `- ${r.name}: ${r.settings}.`),
    '',
    renderFleet(runs),
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (WRITE) {
    const file = join(REPO_ROOT, 'BENCHMARKS.md');
    writeFileSync(file, replaceBlock(readFileSync(file, 'utf8'), `n${N}${LABEL ? `-${LABEL.replace(/[^a-zA-Z0-9]+/g, '-')}` : ''}`, text));
    log(`written to ${file}`);
  }
}
