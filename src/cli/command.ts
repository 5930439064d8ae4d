import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, UsageError, type CliIO } from './io.js';

/** A subcommand: its arguments (after its name) and what its bin hands every command (rw-hook: io; the plugin: io, kubectl, clock). */
export type Run<C, R extends number | undefined> = (args: string[], ctx: C) => Promise<R>;

/** One row of a bin's command table: the usage line and how to load the command. */
export interface CommandEntry<C, R extends number | undefined> {
  readonly name: string;
  /** The name with its arguments, as the usage's command list shows it. */
  readonly synopsis: string;
  readonly summary: string;
  /** Imported on use, so a command loads only its own modules (`crd` never the server, `serve` never the YAML parser). */
  readonly load: () => Promise<Run<C, R>>;
}

/** A bin: its command table and the words around it. rw-hook and kubectl-risingwave are two of these. */
export interface Program<C, R extends number | undefined> {
  /** The bin's name, first on the version line, unknown-command message and every error (`kubectl-risingwave`). */
  readonly name: string;
  /** How a user types it, in `See '<invocation> <command> --help' for usage.` (`kubectl risingwave`). */
  readonly invocation: string;
  /** The usage up to the command list (ends with `Commands:\n`). */
  readonly head: string;
  /** Where each summary starts in the command list (two spaces of indent included). */
  readonly summaryColumn: number;
  /** The usage after the command list. */
  readonly tail: string;
  readonly commands: readonly CommandEntry<C, R>[];
}

/** The top-level usage: head, one line per command of the table, tail. */
export function usage<C, R extends number | undefined>(program: Program<C, R>): string {
  const rows = program.commands.map((c) => `  ${c.synopsis} `.padEnd(program.summaryColumn) + c.summary);
  return `${program.head}${rows.map((r) => `${r}\n`).join('')}\n${program.tail}`;
}

/**
 * Runs one invocation of a bin: usage on stderr and exit 2 without a command or with an unknown one, usage on stdout
 * for help, the version line for version, else the command, loaded on use and run with `context()`. Resolves to the
 * exit code (0 success, 1 failure, 2 wrong usage), or undefined when the command keeps the process alive (serve).
 */
export async function dispatch<C, R extends number | undefined>(
  program: Program<C, R>,
  command: string | undefined,
  args: string[],
  io: CliIO,
  context: () => C,
): Promise<R | number> {
  if (command === undefined) {
    io.stderr.write(usage(program));
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(usage(program));
    return 0;
  }
  if (command === '--version' || command === 'version') {
    const { packageVersion } = await import('./version.js');
    io.stdout.write(`${program.name} ${packageVersion()}\n`);
    return 0;
  }
  const entry = program.commands.find((c) => c.name === command);
  if (entry === undefined) {
    io.stderr.write(`${program.name}: unknown command ${JSON.stringify(command)}\n\n${usage(program)}`);
    return 2;
  }
  return runCommand(async () => (await entry.load())(args, context()), io, `${program.name} ${command}`, `${program.invocation} ${command}`);
}

/**
 * Runs one subcommand and turns what it throws into an exit code, written the same way for both bins:
 * `<label>: <message>`, or for a bug the stack; 1 unless the error says. A UsageError is worded as kubectl words its
 * own (`error: unknown flag: --foo` and `See 'kubectl get --help' for usage.`), exit 2.
 */
export async function runCommand<T>(work: () => Promise<T>, io: CliIO, label: string, helpCommand: string): Promise<T | number> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\nSee '${helpCommand} --help' for usage.\n`);
      return err.exitCode;
    }
    if (err instanceof CliError) {
      io.stderr.write(`${label}: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`${label}: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

/** Whether the module at `moduleUrl` is the script node was started with (also through a symlink on PATH). */
export function isEntryPoint(moduleUrl: string): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
