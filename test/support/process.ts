import { execFile } from 'node:child_process';

export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script with this node as a separate process, as a user's shell would, and resolves (never rejects)
 * to its exit code and output; a process killed by a signal or the timeout counts as exit 1.
 */
export function runNode(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], options, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
