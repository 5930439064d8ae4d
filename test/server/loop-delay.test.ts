import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createLoopDelayMonitor, LOOP_DELAY_METRIC_NAMES, type LoopDelayMonitor } from '../../src/server/loop-delay.js';
import { createMetrics } from '../../src/server/metrics.js';
import { ensureBuilt, MAIN } from '../support/built.js';
import { sleep, waitFor } from '../support/wait.js';
import { fakeCore, syncRequest, testSettings } from './helpers.js';

const block = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* stall the loop on purpose */
  }
};

const monitors: LoopDelayMonitor[] = [];
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const m of monitors.splice(0)) m.close();
  await Promise.all(apps.splice(0).map((a) => a.close()));
});
function monitor(opts: Parameters<typeof createLoopDelayMonitor>[0]): LoopDelayMonitor {
  const m = createLoopDelayMonitor(opts);
  monitors.push(m);
  return m;
}

describe('loop-delay monitor', () => {
  it('does not sample before a hook request, and reports no delay then', () => {
    const m = monitor({});
    block(100);
    expect(m.running).toBe(false);
    expect(m.delayMs()).toBe(0);
    expect(m.drain()).toEqual({ count: 0, min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 });
  });

  it('samples from a touch, sees a stall, and drains what it saw once', async () => {
    const m = monitor({ resolutionMs: 10, windowMs: 100, idleAfterMs: 60_000 });
    m.touch();
    expect(m.running).toBe(true);
    await sleep(30);
    block(150);
    await sleep(30);
    expect(m.delayMs()).toBeGreaterThanOrEqual(100);
    const stats = m.drain();
    expect(stats.count).toBeGreaterThan(1);
    expect(stats.max).toBeGreaterThanOrEqual(0.1);
    expect(stats.max).toBeLessThan(10);
    expect(stats.min).toBeLessThanOrEqual(stats.p50);
    expect(stats.p50).toBeLessThanOrEqual(stats.p99);
    expect(stats.p99).toBeLessThanOrEqual(stats.max);
    expect(m.drain().count).toBeLessThan(stats.count);
  });

  it('stops by itself once no request came for idleAfterMs, and a touch starts it again', async () => {
    const m = monitor({ resolutionMs: 5, windowMs: 20, idleAfterMs: 50 });
    m.touch();
    await waitFor(() => !m.running);
    expect(m.delayMs()).toBe(0);
    m.touch();
    expect(m.running).toBe(true);
  });

  it('keeps a stall longer than idleAfterMs for the requests it held back', async () => {
    const m = monitor({ resolutionMs: 5, windowMs: 20, idleAfterMs: 50 });
    m.touch();
    block(300);
    // What a request read right after the stall sees, whether or not the sampler's late tick ran first.
    await new Promise((r) => setImmediate(r));
    expect(m.running).toBe(true);
    expect(m.delayMs()).toBeGreaterThanOrEqual(250);
  });
});

describe('nodejs_eventloop_lag_* on /metrics', () => {
  const value = (text: string, name: string): number => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!m) throw new Error(`${name} missing from /metrics`);
    return Number(m[1]);
  };

  it("keeps prom-client's default series, with the lag gauges at 0 while no hook request came", async () => {
    const { registry } = createMetrics();
    const text = await registry.metrics();
    for (const name of [...LOOP_DELAY_METRIC_NAMES, 'nodejs_eventloop_lag_seconds', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    for (const name of LOOP_DELAY_METRIC_NAMES) expect(value(text, name)).toBe(0);
  });

  it('reports a stall between two hook requests, then resets at the scrape', async () => {
    const app = buildApp(testSettings(), { sync: fakeCore().core, customize: () => [] });
    apps.push(app);
    await app.ready();
    const client = request(app.server);
    await client.post('/sync').send(syncRequest()).expect(200);
    await sleep(50);
    block(200);
    await sleep(50);
    let text = (await client.get('/metrics').expect(200)).text;
    expect(value(text, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.15);
    expect(value(text, 'nodejs_eventloop_lag_min_seconds')).toBeLessThanOrEqual(value(text, 'nodejs_eventloop_lag_p50_seconds'));
    text = (await client.get('/metrics').expect(200)).text;
    expect(value(text, 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.15);
  });
});

/** Voluntary context switches of a thread: each is a wake-up after the thread slept. Linux only. */
const wakeups = (pid: number): number => Number(/\nvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'))![1]);

describe.runIf(process.platform === 'linux')('the built server at rest', () => {
  beforeAll(ensureBuilt, 180_000);

  it('does not wake its event loop while no request comes (it woke ~130 times a second with always-on samplers)', async () => {
    const child = spawn(process.execPath, [MAIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      child.stdout!.on('data', (c) => (out += c));
      await waitFor(() => out.includes('rw-hook listening'), 15_000);
      const address = (JSON.parse(out.split('\n').find((l) => l.includes('rw-hook listening'))!) as { address: string }).address;
      // One hook request starts the sampler; it must stop again by itself.
      const body = JSON.stringify(syncRequest());
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${address}/customize`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`customize: ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
      await sleep(6_500);
      const before = wakeups(child.pid!);
      await sleep(3_000);
      // Always-on samplers made ~400 in these 3 s; at rest the loop has nothing to do.
      expect(wakeups(child.pid!) - before).toBeLessThan(40);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
