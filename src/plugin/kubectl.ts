import { spawn } from 'node:child_process';
import { CliError } from '../cli/io.js';
import { isRecord } from '../kube/records.js';

/** The RisingWave resource, fully qualified so another CRD's `risingwave` short name can never win. */
export const RESOURCE = 'risingwaves.risingwave.risingwavelabs.com';

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program with an argument array (never through a shell). Rejects only when it cannot start. */
export type Exec = (file: string, args: readonly string[]) => Promise<ExecResult>;

export const spawnExec: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });

/** The kubectl flags the plugin passes through: which cluster, which user, which namespace. */
export interface ClusterFlags {
  readonly namespace?: string | undefined;
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  /** kubectl's other global flags (`--as=jane`, `--insecure-skip-tls-verify`), passed on as given. */
  readonly passthrough?: readonly string[] | undefined;
}

export type JsonPatchOp =
  | { op: 'test'; path: string; value: unknown }
  | { op: 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RwObject = Record<string, any>;

/** Every cluster access of the plugin goes through the kubectl binary, so auth plugins, proxies and contexts work as for kubectl itself. */
export class Kubectl {
  constructor(
    readonly binary: string,
    readonly flags: ClusterFlags,
    private readonly exec: Exec = spawnExec,
  ) {}

  /** `--kubeconfig`, `--context`, `-n` and the other global flags in front of every command, as the user gave them. */
  globalArgs(): string[] {
    const out: string[] = [];
    if (this.flags.kubeconfig !== undefined) out.push('--kubeconfig', this.flags.kubeconfig);
    if (this.flags.context !== undefined) out.push('--context', this.flags.context);
    if (this.flags.namespace !== undefined) out.push('--namespace', this.flags.namespace);
    out.push(...(this.flags.passthrough ?? []));
    return out;
  }

  /** The same kubectl, pointed at another namespace (commands over several namespaces). */
  withNamespace(namespace: string): Kubectl {
    return new Kubectl(this.binary, { ...this.flags, namespace }, this.exec);
  }

  /** Where a name is looked up, for messages. */
  where(): string {
    return this.flags.namespace !== undefined ? `in namespace "${this.flags.namespace}"` : "in the context's namespace";
  }

  async run(args: readonly string[], subject?: string, patch = false): Promise<string> {
    const full = [...this.globalArgs(), ...args];
    let result: ExecResult;
    try {
      result = await this.exec(this.binary, full);
    } catch (err) {
      throw new CliError(startFailure(this.binary, err as NodeJS.ErrnoException));
    }
    if (result.code !== 0) throw new CliError(kubectlFailure(result.stderr, { subject, where: this.where(), patch }));
    return result.stdout;
  }

  async getRisingWave(name: string): Promise<RwObject> {
    return parseJson(await this.run(['get', RESOURCE, name, '--output', 'json'], `RisingWave "${name}"`), 'kubectl get');
  }

  /** The stored object as kubectl prints it (`-o json|yaml` passthrough). */
  async getRisingWaveAs(name: string, output: 'json' | 'yaml'): Promise<string> {
    return this.run(['get', RESOURCE, name, '--output', output], `RisingWave "${name}"`);
  }

  async listRisingWaves(allNamespaces: boolean): Promise<RwObject[]> {
    const list = parseJson(await this.run(['get', RESOURCE, ...(allNamespaces ? ['--all-namespaces'] : []), '--output', 'json']), 'kubectl get');
    return Array.isArray(list.items) ? (list.items as RwObject[]) : [];
  }

  /** A JSON patch; its `test` ops make the server refuse it if the object moved under us. Returns the patched object. */
  async patchRisingWave(name: string, ops: readonly JsonPatchOp[]): Promise<RwObject> {
    const out = await this.run(['patch', RESOURCE, name, '--type', 'json', '--patch', JSON.stringify(ops), '--output', 'json'], `RisingWave "${name}"`, true);
    return parseJson(out, 'kubectl patch');
  }
}

function parseJson(text: string, what: string): RwObject {
  try {
    const v: unknown = JSON.parse(text);
    if (isRecord(v)) return v as RwObject;
  } catch {
    // fall through to the error below
  }
  throw new CliError(`${what} did not print a JSON object (is KUBECTL a real kubectl?)`);
}

export function startFailure(binary: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `kubectl not found: cannot run "${binary}" (install kubectl, or set KUBECTL to its path)`;
  if (err.code === 'EACCES') return `kubectl not executable: "${binary}" (set KUBECTL to a kubectl binary)`;
  return `cannot run "${binary}": ${err.message}`;
}

/** klog lines (`E1125 15:46:58.656521 23791 memcache.go:265] ...`) repeat what the last line says. */
const KLOG_LINE = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ \S+:\d+\]/;

export interface FailureContext {
  /** What was asked for, e.g. `RisingWave "rw"`, for a not-found message. */
  readonly subject?: string | undefined;
  /** `in namespace "x"`. */
  readonly where: string;
  /** The command was a JSON patch with `test` ops. */
  readonly patch?: boolean;
}

/**
 * kubectl's error text as one line, with the common cases said in the plugin's words: a missing RisingWave,
 * a cluster without the CRD, a patch refused because the object changed in between.
 */
export function kubectlFailure(stderr: string, ctx: FailureContext): string {
  const text = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !KLOG_LINE.test(l))
    .join(' ');
  if (/\(NotFound\)/.test(text) && ctx.subject !== undefined && / not found/.test(text)) return `${ctx.subject} not found ${ctx.where}`;
  if (/the server doesn't have a resource type/.test(text)) {
    return `the RisingWave CRD (${RESOURCE}) is not installed on this cluster (kubectl apply -f crds/)`;
  }
  // The API server answers a failed JSON-patch `test` with this generic 422 text (kubectl hides the detail);
  // our patches only add to paths that exist, so a failed test is the cause.
  if (ctx.patch && /the server rejected our request due to an error in our request/.test(text)) {
    return `${ctx.subject ?? 'the object'} changed while it was being patched (a node group moved, or the image changed); nothing was written, run the command again`;
  }
  const oneLine = text.replace(/^error:\s*/i, '');
  return oneLine === '' ? 'kubectl failed without a message' : `kubectl: ${oneLine}`;
}
