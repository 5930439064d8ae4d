#!/usr/bin/env node
import type { CliIO } from '../cli/io.js';
import { dispatch, isEntryPoint, usage, type Program } from '../cli/command.js';
import { splitCommand, type PluginContext } from './args.js';
import { spawnExec, type Exec } from './kubectl.js';

export const PROGRAM = 'kubectl-risingwave';

/** kubectl-risingwave's commands, each imported on use. */
export const KUBECTL_RISINGWAVE: Program<PluginContext, number> = {
  name: PROGRAM,
  invocation: 'kubectl risingwave',
  head: `Usage: kubectl risingwave <command> [options]

Inspect and operate RisingWave clusters (risingwaves.risingwave.risingwavelabs.com) through kubectl.

Commands:
`,
  summaryColumn: 52,
  commands: [
    {
      name: 'status',
      synopsis: 'status [NAME]',
      summary: 'components, groups, ready/target, conditions (no NAME: list)',
      load: async () => (await import('./status.js')).statusCommand,
    },
    {
      name: 'scale',
      synopsis: 'scale NAME --component C [--group G] --replicas N',
      summary: "set a node group's replicas",
      load: async () => (await import('./scale.js')).scaleCommand,
    },
    {
      name: 'restart',
      synopsis: 'restart NAME [--component C] [--group G]',
      summary: 'restart pods by setting restartAt to now',
      load: async () => (await import('./restart.js')).restartCommand,
    },
    {
      name: 'upgrade',
      synopsis: 'upgrade NAME --image IMAGE',
      summary: 'set spec.image',
      load: async () => (await import('./upgrade.js')).upgradeCommand,
    },
    {
      name: 'render',
      synopsis: 'render -f FILE',
      summary: 'print the children the hook creates (offline)',
      load: async () => (await import('./render.js')).renderCommand,
    },
    {
      name: 'migrate',
      synopsis: 'migrate [NAME|-A] [--dry-run] [--rollback]',
      summary: 'switch from risingwave-operator without restarts',
      load: async () => (await import('./migrate/command.js')).migrateCommand,
    },
  ],
  tail: `Cluster options on every cluster command: -n/--namespace, --kubeconfig, --context; KUBECTL picks the
kubectl binary; kubectl's other global flags (--as, --server, --token, ...) are passed to it as given.
Run 'kubectl risingwave <command> --help' for a command's options, 'kubectl risingwave --version' for the
version.
Exit codes: 0 done, 1 failed (the reason is on stderr), 2 wrong usage.
`,
};

export const USAGE = usage(KUBECTL_RISINGWAVE);

export interface PluginDeps {
  readonly exec?: Exec;
  readonly now?: () => Date;
}

/**
 * Runs one plugin invocation and resolves to its exit code: 0 success, 1 failure, 2 wrong usage. Cluster flags
 * may come before the command (`-n ns status rw`).
 */
export async function runPlugin(argv: readonly string[], io: CliIO, deps: PluginDeps = {}): Promise<number> {
  const { command, args } = splitCommand(argv);
  return dispatch(KUBECTL_RISINGWAVE, command, args, io, () => ({ io, exec: deps.exec ?? spawnExec, now: deps.now ?? (() => new Date()) }));
}

if (isEntryPoint(import.meta.url)) {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  void runPlugin(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
