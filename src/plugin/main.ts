#!/usr/bin/env node
import type { CliIO } from '../cli/io.js';
import { isEntryPoint, runCommand } from '../cli/command.js';
import { splitCommand, type PluginContext } from './args.js';
import { spawnExec, type Exec } from './kubectl.js';

export const PROGRAM = 'kubectl-risingwave';

export const USAGE = `Usage: kubectl risingwave <command> [options]

Inspect and operate RisingWave clusters (risingwaves.risingwave.risingwavelabs.com) through kubectl.

Commands:
  status [NAME]                                     components, groups, ready/target, conditions (no NAME: list)
  scale NAME --component C [--group G] --replicas N set a node group's replicas
  restart NAME [--component C] [--group G]          restart pods by setting restartAt to now
  upgrade NAME --image IMAGE                        set spec.image
  render -f FILE                                    print the children the hook creates (offline)
  migrate [NAME|-A] [--dry-run] [--rollback]        switch from risingwave-operator without restarts

Cluster options on every cluster command: -n/--namespace, --kubeconfig, --context; KUBECTL picks the
kubectl binary. Run 'kubectl risingwave <command> --help' for a command's options.
Exit codes: 0 done, 1 failed (the reason is on stderr), 2 wrong usage.
`;

type Command = (args: string[], ctx: PluginContext) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  status: async () => (await import('./status.js')).statusCommand,
  scale: async () => (await import('./scale.js')).scaleCommand,
  restart: async () => (await import('./restart.js')).restartCommand,
  upgrade: async () => (await import('./upgrade.js')).upgradeCommand,
  render: async () => (await import('./render.js')).renderCommand,
  migrate: async () => (await import('./migrate/command.js')).migrateCommand,
};

export interface PluginDeps {
  readonly exec?: Exec;
  readonly now?: () => Date;
}

/** Runs one plugin invocation and resolves to its exit code: 0 success, 1 failure, 2 wrong usage. */
export async function runPlugin(argv: readonly string[], io: CliIO, deps: PluginDeps = {}): Promise<number> {
  const { command, args } = splitCommand(argv);
  if (command === undefined) {
    io.stderr.write(USAGE);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (load === undefined) {
    io.stderr.write(`${PROGRAM}: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  const ctx: PluginContext = { io, exec: deps.exec ?? spawnExec, now: deps.now ?? (() => new Date()) };
  return runCommand(async () => (await load())(args, ctx), io, `${PROGRAM} ${command}`, `kubectl risingwave ${command}`);
}

if (isEntryPoint(import.meta.url)) {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  void runPlugin(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
