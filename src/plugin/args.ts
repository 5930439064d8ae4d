import { parseFlags, type FlagSpec, type FlagValues } from '../cli/flags.js';
import { UsageError, type CliIO } from '../cli/io.js';
import { Kubectl, spawnExec, type ClusterFlags, type Exec } from './kubectl.js';

/** What a subcommand runs with; tests pass a fake exec and a fixed clock. */
export interface PluginContext {
  readonly io: CliIO;
  readonly exec: Exec;
  readonly now: () => Date;
}

type OptionSpec = FlagSpec;

/** The kubectl flags every cluster subcommand takes and uses itself (where to look, and for messages). */
export const CLUSTER_OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const satisfies Record<string, OptionSpec>;

/**
 * kubectl's other global flags (`kubectl options`): who to be, which server, how to trust it. The plugin does
 * not read them; they are handed to every kubectl it runs, as given, so `kubectl risingwave status --as jane`
 * asks what `kubectl get --as jane` would.
 */
export const KUBECTL_GLOBAL_OPTIONS = {
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  'as-uid': { type: 'string' },
  'cache-dir': { type: 'string' },
  'certificate-authority': { type: 'string' },
  'client-certificate': { type: 'string' },
  'client-key': { type: 'string' },
  cluster: { type: 'string' },
  'disable-compression': { type: 'boolean' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  'match-server-version': { type: 'boolean' },
  password: { type: 'string' },
  'request-timeout': { type: 'string' },
  server: { type: 'string', short: 's' },
  'tls-server-name': { type: 'string' },
  token: { type: 'string' },
  user: { type: 'string' },
  username: { type: 'string' },
  v: { type: 'string', short: 'v' },
  'warnings-as-errors': { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Record<string, OptionSpec>;

export const CLUSTER_HELP = `Cluster options (passed to kubectl):
  -n, --namespace NS         namespace of the RisingWave (default: the context's namespace)
      --kubeconfig FILE      kubeconfig file
      --context NAME         kubeconfig context
  -h, --help                 this help

kubectl's global flags are passed through to kubectl as given: --as, --as-group, --as-uid, --cluster, --user,
-s/--server, --token, --certificate-authority, --client-certificate, --client-key, --insecure-skip-tls-verify,
--tls-server-name, --request-timeout, --cache-dir, --username, --password, --disable-compression,
--match-server-version, --warnings-as-errors, -v/--v. Set KUBECTL to choose the kubectl binary (default:
kubectl on PATH).
`;

export interface ParsedArgs {
  readonly values: FlagValues;
  readonly positionals: string[];
}

/** Strict parsing (unknown flags are usage errors, in kubectl's words); options may come before or after positionals. */
export function parseCommandArgs(args: readonly string[], options: Record<string, OptionSpec>): ParsedArgs {
  const { values, positionals } = parseFlags(args, { ...CLUSTER_OPTIONS, ...KUBECTL_GLOBAL_OPTIONS, ...HELP_OPTION, ...options });
  for (const [k, v] of Object.entries(values)) {
    if (v === '' || (Array.isArray(v) && (v as unknown[]).includes(''))) throw new UsageError(`--${k} must not be empty`);
  }
  return { values, positionals };
}

export function clusterFlags(values: ParsedArgs['values']): ClusterFlags {
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const passthrough: string[] = [];
  for (const [name, spec] of Object.entries(KUBECTL_GLOBAL_OPTIONS)) {
    const v = values[name];
    if (v === undefined || v === false) continue;
    if (spec.type === 'boolean') passthrough.push(`--${name}`);
    else for (const one of Array.isArray(v) ? v : [v]) passthrough.push(`--${name}=${String(one)}`);
  }
  return {
    namespace: s('namespace'),
    kubeconfig: s('kubeconfig'),
    context: s('context'),
    ...(passthrough.length > 0 ? { passthrough } : {}),
  };
}

export function kubectlFor(values: ParsedArgs['values'], ctx: PluginContext): Kubectl {
  const binary = ctx.io.env.KUBECTL?.trim() || 'kubectl';
  return new Kubectl(binary, clusterFlags(values), ctx.exec ?? spawnExec);
}

export function stringOption(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Value-taking flags that may precede the subcommand (`kubectl risingwave -n ns --as jane status rw`). */
const LEADING_OPTIONS: Record<string, OptionSpec> = { ...CLUSTER_OPTIONS, ...KUBECTL_GLOBAL_OPTIONS };
const LEADING_VALUE_FLAGS = new Set(
  Object.entries(LEADING_OPTIONS)
    .filter(([, spec]) => spec.type === 'string')
    .flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]),
);
const LEADING_BOOLEAN_FLAGS = new Set(
  Object.entries(LEADING_OPTIONS)
    .filter(([, spec]) => spec.type === 'boolean')
    .map(([name]) => `--${name}`),
);

function isLeadingInline(a: string): boolean {
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0) return LEADING_VALUE_FLAGS.has(a.slice(0, eq)) || LEADING_BOOLEAN_FLAGS.has(a.slice(0, eq));
  // -nfoo, -s=https://...
  return /^-[ns].+/.test(a) || LEADING_BOOLEAN_FLAGS.has(a);
}

/**
 * Splits argv into the subcommand and its arguments. Cluster and kubectl global flags given before the subcommand are moved
 * after it, so `-n ns status rw` and `status rw -n ns` mean the same.
 */
export function splitCommand(argv: readonly string[]): { command: string | undefined; args: string[] } {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (LEADING_VALUE_FLAGS.has(a) && i + 1 < argv.length) {
      leading.push(a, argv[i + 1]!);
      i += 2;
    } else if (isLeadingInline(a)) {
      leading.push(a);
      i += 1;
    } else {
      break;
    }
  }
  const command = argv[i];
  return { command, args: [...argv.slice(i + 1), ...leading] };
}
