/**
 * TEST INFRASTRUCTURE — starts/stops the local e2e control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok) by calling build.sh / up.sh / down.sh
 * next to this file. Meant for vitest globalSetup (see ../global-setup.ts).
 *
 * Env knobs: RW_E2E_CACHE (binary cache root, see build.sh), RW_E2E_NODES (fake nodes),
 * RW_E2E_KEEP=1 (keep the cluster directory and its logs after stop()).
 */
import { execFile } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface ClusterInfo {
  /** Cluster directory (pki, logs, kubeconfig, etcd data). */
  dir: string;
  kubeconfig: string;
  /** https://127.0.0.1:PORT */
  server: string;
  token: string;
  caFile: string;
  logDir: string;
  /** Path of the version-matched kubectl built by build.sh. */
  kubectlPath: string;
}

export interface RunningCluster extends ClusterInfo {
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Run build.sh first (instant when the binaries are cached). Default true. */
  build?: boolean;
  nodes?: number;
  /**
   * Manifest files (e.g. CRDs) applied before kube-controller-manager starts, so the garbage
   * collector knows their kinds from the start (it re-discovers new kinds only every 30 s).
   */
  preload?: string[];
  /** Print the scripts' progress to stderr. Default true. */
  verbose?: boolean;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, verbose: boolean, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGTERM' }, (err, stdout, stderr) => {
      if (err) {
        const e = new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n--- stdout\n${stdout.slice(-8000)}\n--- stderr\n${stderr.slice(-16000)}`);
        reject(e);
      } else resolve(stdout);
    });
    if (verbose) {
      child.stdout?.on('data', (d: Buffer) => process.stderr.write(d));
      child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    }
  });
}

/** Builds (if needed) and starts a cluster in a fresh temp directory. */
export async function startCluster(opts: StartOptions = {}): Promise<RunningCluster> {
  const verbose = opts.verbose ?? true;
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local' };
  if (opts.build ?? true) await run('bash', [join(HERE, 'build.sh')], env, verbose, 90 * 60_000);
  const t0 = Date.now();
  // Free ports are chosen before the components bind them; retry once in a fresh directory
  // if that race (or any other start failure) bites. up.sh cleans up after itself on failure.
  let dir = '';
  for (let attempt = 1; ; attempt++) {
    dir = await mkdtemp(join(tmpdir(), 'rw-e2e-cluster-'));
    try {
      await run(
        'bash',
        [join(HERE, 'up.sh'), dir],
        {
          ...env,
          RW_E2E_WATCH_PID: String(process.pid),
          ...(opts.nodes ? { RW_E2E_NODES: String(opts.nodes) } : {}),
          ...(opts.preload?.length ? { RW_E2E_PRELOAD: opts.preload.join(':') } : {}),
        },
        verbose,
        10 * 60_000,
      );
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
      process.stderr.write(`[e2e] cluster start failed (logs kept in ${dir}/logs); retrying once\n${(e as Error).message.slice(-4000)}\n`);
    }
  }
  const info = JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8')) as ClusterInfo;
  if (verbose) process.stderr.write(`[e2e] cluster started in ${Date.now() - t0} ms: ${info.server} (logs: ${info.logDir})\n`);
  let stopped = false;
  return {
    dir: info.dir,
    kubeconfig: info.kubeconfig,
    server: info.server,
    token: info.token,
    caFile: info.caFile,
    logDir: info.logDir,
    kubectlPath: info.kubectlPath,
    async stop() {
      if (stopped) return;
      stopped = true;
      const keep = process.env.RW_E2E_KEEP === '1';
      await run('bash', [join(HERE, 'down.sh'), ...(keep ? ['--keep'] : []), dir], env, false, 60_000);
      if (keep && verbose) process.stderr.write(`[e2e] cluster stopped; kept ${dir}\n`);
    },
  };
}

/** Environment variables that expose a cluster to tests and to kubectl. */
export function clusterEnv(c: ClusterInfo): Record<string, string> {
  return {
    KUBECONFIG: c.kubeconfig,
    RW_E2E_SERVER: c.server,
    RW_E2E_TOKEN: c.token,
    RW_E2E_CA_FILE: c.caFile,
    RW_E2E_CLUSTER_DIR: c.dir,
    RW_E2E_KUBECONFIG: c.kubeconfig,
    RW_E2E_LOG_DIR: c.logDir,
    RW_E2E_KUBECTL: c.kubectlPath,
  };
}
