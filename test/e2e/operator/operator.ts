/**
 * TEST INFRASTRUCTURE — the real risingwave-operator v0.17.2 manager (built by ./build.sh) run out of cluster
 * against the e2e control plane, with its admission webhooks served and registered as a deployment would
 * register them (self-signed CA, caBundle), so RisingWaves are defaulted, validated and reconciled by the
 * operator itself.
 *
 * The manager offers no flag for its webhook port or certificate directory: controller-runtime's defaults
 * apply, port 9443 on every interface and `$TMPDIR/k8s-webhook-server/serving-certs`. TMPDIR is pointed at a
 * private directory; the port is checked free first and two operators cannot run on one machine at once.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { httpRequest } from '../driver/kube.js';
import { freePort } from '../../support/net.js';
import { waitFor } from '../support.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export const OPERATOR_VERSION = 'v0.17.2';
/** controller-runtime's default webhook port; the manager does not let it be changed. */
export const WEBHOOK_PORT = 9443;
export const RW_CRD = 'risingwaves.risingwave.risingwavelabs.com';
export const SCALE_VIEW_CRD = 'risingwavescaleviews.risingwave.risingwavelabs.com';
/** The names a kustomize install of the operator gives its webhook configurations (namePrefix risingwave-operator-). */
export const WEBHOOK_CONFIGURATIONS = {
  mutating: 'risingwave-operator-mutating-webhook-configuration',
  validating: 'risingwave-operator-validating-webhook-configuration',
} as const;

type Kubectl = (args: string[], input?: string) => Promise<string>;

export interface OperatorBuild {
  /** ${cache}/operator-v0.17.2-go<ver> with bin/manager, crd/*.yaml, webhook/manifests.yaml */
  dir: string;
  manager: string;
  crdFiles: { risingwaves: string; scaleViews: string };
  webhookManifests: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr.slice(-8000)}`));
      else resolve(stdout);
    });
  });
}

/** Runs build.sh (prints `cached` at once when the binary exists) and returns where the outputs are. */
export async function buildOperator(): Promise<OperatorBuild> {
  const out = await run('bash', [join(HERE, 'build.sh')], { ...process.env, GOTOOLCHAIN: 'local' });
  const dir = out.trim().split('\n').pop()!.trim();
  return {
    dir,
    manager: join(dir, 'bin', 'manager'),
    crdFiles: {
      risingwaves: join(dir, 'crd', 'risingwave.risingwavelabs.com_risingwaves.yaml'),
      scaleViews: join(dir, 'crd', 'risingwave.risingwavelabs.com_risingwavescaleviews.yaml'),
    },
    webhookManifests: join(dir, 'webhook', 'manifests.yaml'),
  };
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, () => srv.close(() => resolve(true)));
  });
}

async function crdExists(kubectl: Kubectl, name: string): Promise<boolean> {
  const out = await kubectl(['get', 'crd', name, '--ignore-not-found', '-o', 'name']);
  return out.trim() !== '';
}

/**
 * Puts a CRD file in place as the whole definition: `kubectl replace` when the CRD exists (a server-side
 * apply would merge it with the fields another manager owns, e.g. our CEL rules), server-side apply when it
 * does not (the operator's CRD is too large for client-side apply's annotation). Waits for Established.
 */
export async function installCrd(kubectl: Kubectl, name: string, file: string): Promise<void> {
  if (await crdExists(kubectl, name)) await kubectl(['replace', '-f', file]);
  else await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager', 'rw-e2e', '-f', file]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/${name}`]);
}

/** The operator's CRDs: RisingWave (replacing ours when it is installed) and RisingWaveScaleView. */
export async function installOperatorCrds(kubectl: Kubectl, build: OperatorBuild): Promise<void> {
  await installCrd(kubectl, RW_CRD, build.crdFiles.risingwaves);
  await installCrd(kubectl, SCALE_VIEW_CRD, build.crdFiles.scaleViews);
}

export interface Certificates {
  dir: string;
  caPem: string;
  certDir: string;
}

/** A self-signed CA and a serving certificate for IP 127.0.0.1 signed by it, in the manager's layout (tls.crt, tls.key). */
export async function makeCertificates(dir: string): Promise<Certificates> {
  const certDir = join(dir, 'k8s-webhook-server', 'serving-certs');
  await mkdir(certDir, { recursive: true });
  const p = (f: string) => join(dir, f);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=rw-e2e-operator-ca', '-keyout', p('ca.key'), '-out', p('ca.crt')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', join(certDir, 'tls.key'), '-out', p('tls.csr')]);
  await writeFile(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  await run('openssl', ['x509', '-req', '-in', p('tls.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p('ext.cnf'), '-out', join(certDir, 'tls.crt')]);
  return { dir, caPem: await readFile(p('ca.crt'), 'utf8'), certDir };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/**
 * The operator's own webhook manifests (config/webhook/manifests.yaml of the same source) with the service
 * reference replaced by the out-of-cluster URL and the CA bundle, named as a kustomize install names them.
 */
export async function webhookConfigurations(build: OperatorBuild, caPem: string, port = WEBHOOK_PORT): Promise<Obj[]> {
  const docs = parseAllDocuments(await readFile(build.webhookManifests, 'utf8')).map((d) => d.toJSON() as Obj).filter(Boolean);
  const caBundle = Buffer.from(caPem).toString('base64');
  return docs.map((doc) => {
    const kind = doc.kind as string;
    const name = kind === 'MutatingWebhookConfiguration' ? WEBHOOK_CONFIGURATIONS.mutating : WEBHOOK_CONFIGURATIONS.validating;
    return {
      apiVersion: doc.apiVersion,
      kind,
      metadata: { name },
      webhooks: (doc.webhooks as Obj[]).map((w) => ({
        ...w,
        // A webhook that does not answer in time fails the request (failurePolicy Fail), as in production.
        timeoutSeconds: 10,
        clientConfig: { url: `https://127.0.0.1:${port}${w.clientConfig.service.path}`, caBundle },
      })),
    };
  });
}

export interface RunningOperator {
  logFile: string;
  /** controller-runtime's Prometheus endpoint of the manager (controller_runtime_reconcile_total, ...). */
  metricsUrl: string;
  /** The manager process id (for tests that must know it is gone). */
  pid: number;
  /** Kills the manager and removes its webhook configurations; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOperatorOptions {
  kubeconfig: string;
  kubectl: Kubectl;
  /** Where the log goes (the cluster's log dir keeps it with the others). */
  logDir: string;
  /** Install the operator's CRDs first (default true). */
  installCrds?: boolean;
}

/**
 * Starts the manager out of cluster (leader election off, metrics and health on free loopback ports, its
 * webhook server on 9443 with a fresh certificate) and registers its webhooks once it serves them.
 */
export async function startOperator(opts: StartOperatorOptions): Promise<RunningOperator> {
  const build = await buildOperator();
  if (opts.installCrds ?? true) await installOperatorCrds(opts.kubectl, build);
  // Another process on the machine may hold it for a moment (a previous manager still shutting down).
  await waitFor(`port ${WEBHOOK_PORT} free (the operator's webhook server cannot use another; is another operator running?)`, () => portIsFree(WEBHOOK_PORT), {
    timeoutMs: 90_000,
    intervalMs: 1000,
  });
  const dir = await mkdtemp(join(tmpdir(), 'rw-e2e-operator-'));
  const certs = await makeCertificates(dir);
  const [metricsPort, probePort] = [await freePort(), await freePort()];
  await mkdir(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, `operator-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    build.manager,
    [`--metrics-bind-address=127.0.0.1:${metricsPort}`, `--health-probe-bind-address=127.0.0.1:${probePort}`, '--leader-elect=false', '--zap-log-level=info'],
    { env: { ...process.env, KUBECONFIG: opts.kubeconfig, TMPDIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exit ${code ?? signal}`;
      resolve();
    }),
  );
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    }
    for (const [kind, name] of [
      ['mutatingwebhookconfigurations', WEBHOOK_CONFIGURATIONS.mutating],
      ['validatingwebhookconfigurations', WEBHOOK_CONFIGURATIONS.validating],
    ] as const) {
      await opts.kubectl(['delete', kind, name, '--ignore-not-found', '--wait=true']);
    }
    log.end();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'operator health probe',
      async () => {
        if (exited) throw new Error(`operator ${exited}; log: ${logFile}`);
        return (await httpRequest(`http://127.0.0.1:${probePort}/readyz`).catch(() => ({ status: 0 }))).status === 200;
      },
      { timeoutMs: 60_000 },
    );
    // The probe answers before the webhook server listens; admission calls must not race it.
    await waitFor(
      'operator webhook server',
      async () => {
        if (exited) throw new Error(`operator ${exited}; log: ${logFile}`);
        const res = await httpRequest(`https://127.0.0.1:${WEBHOOK_PORT}/validate-risingwave-risingwavelabs-com-v1alpha1-risingwave`, {
          method: 'POST',
          ca: Buffer.from(certs.caPem),
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }).catch(() => ({ status: 0 }));
        return res.status !== 0;
      },
      { timeoutMs: 60_000 },
    );
    const configs = await webhookConfigurations(build, certs.caPem);
    await opts.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager', 'rw-e2e', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: configs }));
  } catch (e) {
    await stop();
    throw e;
  }
  return { logFile, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, pid: child.pid!, stop };
}

/** Successful reconciles of RisingWaves by this manager so far (its own metric). */
export async function risingWaveReconciles(op: RunningOperator): Promise<number> {
  const text = (await httpRequest(op.metricsUrl)).text;
  const m = /^controller_runtime_reconcile_total\{controller="risingwave",result="success"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}
