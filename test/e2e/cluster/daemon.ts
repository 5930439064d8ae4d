/**
 * TEST INFRASTRUCTURE — long-running processes of an e2e cluster (the hook, Metacontroller) that any
 * vitest worker can stop and start again, not only the process that started them.
 *
 * A daemon runs in its own process group (detached), logs to `<logDir>/<name>.log` (appended, so a
 * restart keeps the history) and is recorded as `<name> <pid>` in the cluster's `pids` file, which
 * down.sh and up.sh's watchdog use to stop it with the cluster if the runner dies. Its pid is also
 * in `<dir>/<name>.pid`; stopDaemon removes both records.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DaemonSpec {
  /** Cluster directory (the one up.sh created). */
  dir: string;
  logDir: string;
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

const pidFile = (dir: string, name: string) => join(dir, `${name}.pid`);

export function daemonPid(dir: string, name: string): number | undefined {
  const f = pidFile(dir, name);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its re-parented owner) counts as gone.
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

function rewritePids(dir: string, edit: (lines: string[]) => string[]): void {
  const f = join(dir, 'pids');
  const lines = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
  writeFileSync(`${f}.tmp`, edit(lines).map((l) => `${l}\n`).join(''));
  renameSync(`${f}.tmp`, f);
}

/** Starts the daemon unless it already runs; returns its pid. */
export function startDaemon(spec: DaemonSpec): number {
  const running = daemonPid(spec.dir, spec.name);
  if (running !== undefined) return running;
  const log = openSync(join(spec.logDir, `${spec.name}.log`), 'a');
  try {
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`cannot start ${spec.command}`);
    child.unref();
    writeFileSync(pidFile(spec.dir, spec.name), `${child.pid}\n`);
    rewritePids(spec.dir, (lines) => [...lines.filter((l) => l.split(' ')[0] !== spec.name), `${spec.name} ${child.pid}`]);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM to the daemon's process group, SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopDaemon(dir: string, name: string, graceMs = 10_000): Promise<void> {
  const pid = daemonPid(dir, name);
  if (pid !== undefined) {
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s);
      } catch {
        /* already gone */
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) {
      signal('SIGKILL');
      while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
    }
  }
  rmSync(pidFile(dir, name), { force: true });
  if (existsSync(join(dir, 'pids'))) rewritePids(dir, (lines) => lines.filter((l) => l.split(' ')[0] !== name));
}
