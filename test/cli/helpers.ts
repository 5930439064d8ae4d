import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export interface CliRun {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Streams for a command run in-process: `stdin` as given, stdout and stderr captured. */
export function capturedIO(opts: { stdin?: string; env?: Record<string, string | undefined> } = {}): { io: CliIO; stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([opts.stdin ?? '']),
    env: opts.env ?? {},
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the CLI in-process with captured streams. */
export async function cli(argv: string[], opts: { stdin?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const { io, stdout, stderr } = capturedIO(opts);
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

export const FIXTURE = new URL('./fixtures/in-memory.yaml', import.meta.url).pathname;
