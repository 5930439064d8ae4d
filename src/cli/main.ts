#!/usr/bin/env node
import type { CliIO } from './io.js';
import { dispatch, isEntryPoint, usage, type Program } from './command.js';

/** rw-hook's commands; each is imported on use, so `crd` never loads the server and `serve` never the YAML parser. */
export const RW_HOOK: Program<CliIO, number | undefined> = {
  name: 'rw-hook',
  invocation: 'rw-hook',
  head: `Usage: rw-hook <command> [options]

Commands:
`,
  summaryColumn: 24,
  commands: [
    {
      name: 'serve',
      synopsis: 'serve',
      summary: 'run the Metacontroller hook server (settings from the environment)',
      load: async () => (await import('./serve.js')).serveCommand,
    },
    {
      name: 'render',
      synopsis: 'render FILE|-',
      summary: 'print the children the hook creates for a RisingWave manifest',
      load: async () => (await import('./render.js')).renderCommand,
    },
    {
      name: 'replay',
      synopsis: 'replay PATH...',
      summary: 're-run recorded sync requests and diff against the recorded responses',
      load: async () => (await import('./replay.js')).replayCommand,
    },
    {
      name: 'crd',
      synopsis: 'crd',
      summary: 'print the RisingWave CustomResourceDefinition',
      load: async () => (await import('./crd.js')).crdCommand,
    },
  ],
  tail: `Run 'rw-hook <command> --help' for a command's options; 'rw-hook --version' prints the version.
`,
};

export const USAGE = usage(RW_HOOK);

/**
 * Runs one CLI invocation. Resolves to the exit code, or undefined when the command keeps the process
 * alive (serve). 0 success, 1 failure, 2 wrong usage.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number | undefined> {
  const [name, ...args] = argv;
  return dispatch(RW_HOOK, name, args, io, () => io);
}

if (isEntryPoint(import.meta.url)) {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  void runCli(process.argv.slice(2), io).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}
