// Starts the production build of the hook as a child process on a free loopback port, for the soak.
// bench/run.mjs shares freePort; it starts its processes itself, polling readiness every 2 ms to time the
// cold start.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Every hook this process started: killed on any exit, so a failed run never leaves a listener behind. */
const started = new Set();
process.on('exit', () => {
  for (const c of started) c.kill('SIGKILL');
});

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * `node dist/cli/main.js serve` as a Deployment runs it (NODE_ENV=production), listening on 127.0.0.1.
 * `onStdout` sees the log (pino writes to stdout) chunk by chunk; stderr is passed through.
 */
export async function startHook({ env = {}, onStdout } = {}) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (onStdout) child.stdout.on('data', onStdout);
  else child.stdout.resume();
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await waitReady(port, t0, child);
  return { port, child, pid: child.pid, exited, readyMs: performance.now() - t0 };
}

async function waitReady(port, t0, child) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`hook exited before ready (${child.exitCode ?? child.signalCode})`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 20_000) throw new Error(`hook on ${port} not ready after 20 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** SIGTERM, as Kubernetes stops a pod; resolves with how it exited. */
export async function stopHook(hook) {
  if (hook.child.exitCode === null && hook.child.signalCode === null) hook.child.kill('SIGTERM');
  return hook.exited;
}
