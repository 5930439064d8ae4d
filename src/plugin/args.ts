import { parseArgs } from 'node:util';
import { UsageError, type CliIO } from '../cli/io.js';
import { Kubectl, spawnExec, type ClusterFlags, type Exec } from './kubectl.js';

/** What a subcommand runs with; tests pass a fake exec and a fixed clock. */
export interface PluginContext {
  readonly io: CliIO;
  readonly exec: Exec;
  readonly now: () => Date;
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

/** The kubectl flags every cluster subcommand takes. */
export const CLUSTER_OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const satisfies Record<string, OptionSpec>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Record<string, OptionSpec>;

export const CLUSTER_HELP = `Cluster options (passed to kubectl):
  -n, --namespace NS         namespace of the RisingWave (default: the context's namespace)
      --kubeconfig FILE      kubeconfig file
      --context NAME         kubeconfig context
  -h, --help                 this help

Set KUBECTL to choose the kubectl binary (default: kubectl on PATH).
`;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/** Strict parsing (unknown options are usage errors); options may come before or after positionals. */
export function parseCommandArgs(args: readonly string[], options: Record<string, OptionSpec>): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { ...CLUSTER_OPTIONS, ...HELP_OPTION, ...options },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [k, v] of Object.entries(values)) if (v === '') throw new UsageError(`--${k} must not be empty`);
  return { values, positionals: parsed.positionals };
}

export function clusterFlags(values: ParsedArgs['values']): ClusterFlags {
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return { namespace: s('namespace'), kubeconfig: s('kubeconfig'), context: s('context') };
}

export function kubectlFor(values: ParsedArgs['values'], ctx: PluginContext): Kubectl {
  const binary = ctx.io.env.KUBECTL?.trim() || 'kubectl';
  return new Kubectl(binary, clusterFlags(values), ctx.exec ?? spawnExec);
}

export function stringOption(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Value-taking flags that may precede the subcommand (`kubectl risingwave -n ns status rw`). */
const LEADING_VALUE_FLAGS = new Set(['-n', '--namespace', '--kubeconfig', '--context']);

/**
 * Splits argv into the subcommand and its arguments. Cluster flags given before the subcommand are moved
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
    } else if (/^(--namespace|--kubeconfig|--context)=/.test(a) || /^-n.+/.test(a)) {
      leading.push(a);
      i += 1;
    } else {
      break;
    }
  }
  const command = argv[i];
  return { command, args: [...argv.slice(i + 1), ...leading] };
}
