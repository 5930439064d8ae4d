#!/usr/bin/env node
import type { CliIO } from './io.js';
import { isEntryPoint, runCommand } from './command.js';

export const USAGE = `Usage: rw-hook <command> [options]

Commands:
  serve                 run the Metacontroller hook server (settings from the environment)
  render FILE|-         print the children the hook creates for a RisingWave manifest
  replay PATH...        re-run recorded sync requests and diff against the recorded responses
  crd                   print the RisingWave CustomResourceDefinition

Run 'rw-hook <command> --help' for a command's options; 'rw-hook --version' prints the version.
`;

type Command = (args: string[], io: CliIO) => Promise<number | undefined>;

/** Commands are imported on use: `crd` never loads the server, `serve` never loads the YAML parser. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  render: async () => (await import('./render.js')).renderCommand,
  replay: async () => (await import('./replay.js')).replayCommand,
  crd: async () => (await import('./crd.js')).crdCommand,
};

/**
 * Runs one CLI invocation. Resolves to the exit code, or undefined when the command keeps the process
 * alive (serve). 0 success, 1 failure, 2 wrong usage.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number | undefined> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(USAGE);
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (name === '--version' || name === 'version') {
    const { packageVersion } = await import('./version.js');
    io.stdout.write(`rw-hook ${packageVersion()}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    io.stderr.write(`rw-hook: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  return runCommand(async () => (await load())(args, io), io, `rw-hook ${name}`, `rw-hook ${name}`);
}

if (isEntryPoint(import.meta.url)) {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  void runCli(process.argv.slice(2), io).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}
