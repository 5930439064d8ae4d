import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, UsageError, type CliIO } from './io.js';

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
