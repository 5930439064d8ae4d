import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, buildMetricsApp, SYNC_RESPONSE_KEYS, type AppDeps } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { Settings } from '../../src/server/config.js';
import { sleep, waitFor } from '../support/wait.js';
import { deferred, fakeCore, syncRequest, testSettings } from './helpers.js';
import { pino } from 'pino';

const NOW = new Date('2025-03-04T05:06:07.000Z');
const apps: FastifyInstance[] = [];

async function start(settings: Partial<Settings> = {}, deps: AppDeps = {}) {
  const fake = fakeCore();
  const app = buildApp(testSettings(settings), { sync: fake.core, customize: () => [], now: () => NOW, ...deps });
  apps.push(app);
  await app.ready();
  return { app, calls: fake.calls, http: request(app.server) };
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

describe('POST /sync', () => {
  it('answers 200 with only the keys the strict v2 decoder accepts', async () => {
    const fake = fakeCore({ extra: { junk: 1, resyncAfterSeconds: 30 } as never });
    const { http } = await start({}, { sync: fake.core });
    const res = await http.post('/sync').send(syncRequest()).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(res.body)).toEqual(['status', 'children', 'resyncAfterSeconds']);
    for (const k of Object.keys(res.body)) expect(SYNC_RESPONSE_KEYS).toContain(k);
    expect(res.body.children).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo-default-config', namespace: 'prod' } },
    ]);
  });

  it('omits resyncAfterSeconds and finalized when the core does not set them', async () => {
    const { http } = await start();
    const res = await http.post('/sync').send(syncRequest()).expect(200);
    expect(Object.keys(res.body)).toEqual(['status', 'children']);
  });

  it('passes finalizing requests through and returns finalized', async () => {
    const { http } = await start();
    const res = await http.post('/sync').send({ ...syncRequest(), finalizing: true }).expect(200);
    expect(res.body.finalized).toBe(true);
    expect(Object.keys(res.body)).toEqual(['status', 'children', 'finalized']);
  });

  it('serializes the core output as is (no re-sorting)', async () => {
    const fake = fakeCore({ extra: { status: { zeta: 1, alpha: 2 } } });
    const { http } = await start({}, { sync: fake.core });
    const res = await http.post('/sync').send(syncRequest()).expect(200);
    expect(res.text.startsWith('{"status":{"zeta":1,"alpha":2},"children":[')).toBe(true);
  });

  it('runs the core with a clock frozen at the request and the hook options from settings', async () => {
    const { http, calls } = await start({ rolloutDeadlineSeconds: 42, operatorVersion: 'v-test', maxUnavailableStatefulSet: true });
    await http.post('/sync').send(syncRequest()).expect(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.now).toBe(NOW.toISOString());
    expect(calls[0]!.options).toEqual({ rolloutDeadlineSeconds: 42, operatorVersion: 'v-test', maxUnavailableStatefulSet: true });
  });

  it('accepts application/json with a charset', async () => {
    const { http } = await start();
    await http.post('/sync').set('content-type', 'application/json; charset=utf-8').send(JSON.stringify(syncRequest())).expect(200);
  });

  it('answers 500 JSON when the core throws, and keeps serving', async () => {
    let fail = true;
    const fake = fakeCore();
    const { http } = await start({}, { sync: async (r, d) => (fail ? Promise.reject(new Error('boom')) : fake.core(r, d)) });
    const res = await http.post('/sync').send(syncRequest()).expect(500);
    expect(res.body).toEqual({ error: 'Internal Server Error', message: 'internal error; see the hook log' });
    fail = false;
    await http.post('/sync').send(syncRequest()).expect(200);
  });

  it('fails a stuck sync before Metacontroller times out', async () => {
    const gate = deferred();
    const fake = fakeCore({ gate: gate.promise });
    const { http } = await start({ handlerTimeoutMs: 100 }, { sync: fake.core });
    const res = await http.post('/sync').send(syncRequest()).expect(503);
    expect(res.body).toEqual({ error: 'Service Unavailable', message: 'sync did not finish within HANDLER_TIMEOUT_MS (100 ms)' });
    gate.resolve();
    await http.post('/sync').send(syncRequest()).expect(200);
  });
});

describe('malformed bodies', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['invalid JSON', 'application/json', '{"parent": {', /^body is not valid JSON: /],
    ['an empty body', 'application/json', '', /^body is empty/],
    ['a wrong content-type', 'text/plain', JSON.stringify(syncRequest()), /^content-type must be application\/json, got "text\/plain"/],
    ['a non-object', 'application/json', '[1,2]', /^body must be object$/],
    ['a __proto__ key', 'application/json', '{"parent":{"__proto__":{"x":1}}}', /__proto__/],
    // JSON.parse turns the escapes into an own "__proto__" key: the text holds no `__proto__` to search for.
    ['a __proto__ key written with escapes', 'application/json', '{"parent":{"\\u005f_proto__":{"x":1}}}', /__proto__/],
  ];
  for (const [what, type, body, message] of cases) {
    it(`answers 400 {error, message} to ${what}`, async () => {
      const { http } = await start();
      const res = await http.post('/sync').set('content-type', type).send(body).expect(400);
      expect(Object.keys(res.body)).toEqual(['error', 'message']);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.message).toMatch(message);
    });
  }

  it('answers 400 to a body without content-type', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'POST', url: '/sync', payload: JSON.stringify(syncRequest()) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', message: 'content-type must be application/json, got ""' });
  });

  it('names the field of a schema violation and does not coerce', async () => {
    const { http, calls } = await start();
    const wrongName = syncRequest();
    (wrongName.parent.metadata as Record<string, unknown>).name = 5;
    let res = await http.post('/sync').send(wrongName).expect(400);
    expect(res.body).toEqual({ error: 'Bad Request', message: 'body/parent/metadata/name must be string' });

    const stringGeneration = syncRequest();
    (stringGeneration.parent.metadata as Record<string, unknown>).generation = '3';
    res = await http.post('/sync').send(stringGeneration).expect(400);
    expect(res.body.message).toBe('body/parent/metadata/generation must be integer');

    res = await http.post('/sync').send({ children: {} }).expect(400);
    expect(res.body.message).toBe("body must have required property 'parent'");

    res = await http.post('/sync').send({ ...syncRequest(), children: { 'Service.v1': { x: { kind: 'Service', metadata: { name: 'x' } } } } }).expect(400);
    expect(res.body.message).toBe("body/children/Service.v1/x must have required property 'apiVersion'");

    expect(calls).toHaveLength(0);
    await http.post('/sync').send(syncRequest()).expect(200);
  });

  it('answers 413 JSON over BODY_LIMIT and keeps serving', async () => {
    const { http, app } = await start({ bodyLimit: 4096 });
    const big = syncRequest();
    (big.parent as Record<string, unknown>).spec = { padding: 'x'.repeat(8192) };
    const res = await http.post('/sync').send(big).expect(413);
    expect(res.body).toEqual({ error: 'Payload Too Large', message: 'body is larger than BODY_LIMIT (4096 bytes)' });
    await http.post('/sync').send(syncRequest()).expect(200);
    const metrics = await app.hook.metrics.registry.getSingleMetricAsString('rw_hook_http_rejections_total');
    expect(metrics).toContain('rw_hook_http_rejections_total{code="413"} 1');
  });
});

describe('load shedding', () => {
  it('answers 429 with Retry-After past MAX_IN_FLIGHT and serves the admitted request', async () => {
    const gate = deferred();
    const fake = fakeCore({ gate: gate.promise });
    const { app, http } = await start({ maxInFlight: 1, retryAfterSeconds: 7 }, { sync: fake.core });
    const first = http.post('/sync').send(syncRequest()).then((r) => r);
    await waitFor(() => fake.calls.length === 1);
    const shed = await http.post('/sync').send(syncRequest({ name: 'other' }));
    expect(shed.status).toBe(429);
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.body.error).toBe('Too Many Requests');
    // Health is never shed.
    await http.get('/healthz').expect(200);
    gate.resolve();
    expect((await first).status).toBe(200);
    await http.post('/sync').send(syncRequest()).expect(200);
    const text = await app.hook.metrics.registry.metrics();
    expect(text).toContain('rw_hook_http_rejections_total{code="429"} 1');
    expect(text).toContain('rw_hook_in_flight_requests 0');
  });

  it('answers 429 after the event loop stalled past MAX_EVENT_LOOP_DELAY_MS, and recovers', async () => {
    // Thresholds far above what a loaded 2-core machine shows, so only the deliberate stall trips them.
    const { http } = await start({ maxEventLoopDelayMs: 400 });
    await http.post('/sync').send(syncRequest()).expect(200);
    const until = Date.now() + 1200;
    while (Date.now() < until) {
      /* stall the loop on purpose */
    }
    await sleep(50);
    const res = await http.post('/sync').send(syncRequest());
    expect(res.status).toBe(429);
    expect(res.body.message).toMatch(/event-loop delay \d+ ms > 400 ms/);
    await sleep(1200);
    await http.post('/sync').send(syncRequest()).expect(200);
  });
});

describe('bearer auth', () => {
  it('requires the token on hook routes but not on probes and metrics', async () => {
    const { http } = await start({ authToken: 's3cret' });
    let res = await http.post('/sync').send(syncRequest()).expect(401);
    expect(res.body).toEqual({ error: 'Unauthorized', message: 'missing or wrong bearer token' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    await http.post('/sync').set('authorization', 'Bearer s3cre').send(syncRequest()).expect(401);
    await http.post('/sync').set('authorization', 'Basic czNjcmV0').send(syncRequest()).expect(401);
    await http.post('/customize').send(syncRequest()).expect(401);
    res = await http.post('/sync').set('authorization', 'Bearer s3cret').send(syncRequest()).expect(200);
    expect(res.body.children).toHaveLength(1);
    await http.get('/healthz').expect(200);
    await http.get('/readyz').expect(200);
    await http.get('/metrics').expect(200);
  });

  it('honours AUTH_EXEMPT_PATHS', async () => {
    const { http } = await start({ authToken: 't', authExemptPaths: ['/healthz'] });
    await http.get('/healthz').expect(200);
    await http.get('/metrics').expect(401);
  });
});

describe('probes, customize, metrics', () => {
  it('/healthz is alive; /readyz turns 503 once draining begins', async () => {
    const { app, http } = await start();
    expect((await http.get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
    expect((await http.get('/readyz').expect(200)).body).toEqual({ status: 'ready' });
    app.hook.beginDrain();
    expect((await http.get('/readyz').expect(503)).body).toEqual({ status: 'draining' });
    await http.get('/healthz').expect(200);
    await http.post('/sync').send(syncRequest()).expect(200);
  });

  it('/customize answers relatedResources from the customize core', async () => {
    const seen: unknown[] = [];
    const { http } = await start(
      {},
      { customize: (parent) => (seen.push(parent), [{ apiVersion: 'v1', resource: 'secrets', names: ['s'], namespace: 'prod' }]) },
    );
    const res = await http.post('/customize').send({ controller: {}, parent: syncRequest().parent }).expect(200);
    expect(res.body).toEqual({ relatedResources: [{ apiVersion: 'v1', resource: 'secrets', names: ['s'], namespace: 'prod' }] });
    expect(seen).toHaveLength(1);
    await http.post('/customize').send({ controller: {} }).expect(400);
  });

  it('unknown routes answer 404 JSON', async () => {
    const { http } = await start();
    const res = await http.get('/nope').expect(404);
    expect(res.body).toEqual({ error: 'Not Found', message: 'GET /nope is not a route of this hook' });
  });

  it('/metrics exposes every hook series and the process defaults', async () => {
    const { http } = await start({ bodyLimit: 2048 });
    await http.post('/sync').send(syncRequest()).expect(200);
    await http.post('/sync').send('{').set('content-type', 'application/json').expect(400);
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const series of [
      'rw_hook_sync_duration_seconds_bucket{le="0.0001",outcome="ok"}',
      'rw_hook_sync_duration_seconds_bucket{le="1",outcome="ok"} 1',
      'rw_hook_syncs_total{outcome="ok",reason="Synced"} 1',
      'rw_hook_children_total{kind="ConfigMap"} 1',
      'rw_hook_http_rejections_total{code="400"} 1',
      'rw_hook_in_flight_requests',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(res.text).toContain(series);
    }
  });

  it('with METRICS_PORT, /metrics moves to its own app', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const { http } = await start({ metricsPort: 9099 }, { metrics });
    await http.get('/metrics').expect(404);
    await http.post('/sync').send(syncRequest()).expect(200);
    const side = buildMetricsApp(metrics, pino({ level: 'silent' }));
    apps.push(side);
    const res = await side.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('rw_hook_syncs_total{outcome="ok",reason="Synced"} 1');
  });
});

describe('RECORD_DIR', () => {
  it('writes the request and response pair, stamped with the sync clock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-record-'));
    const { app, http } = await start({ recordDir: join(dir, 'nested') });
    const res = await http.post('/sync').send(syncRequest({ generation: 7 })).expect(200);
    await app.hook.recorder!.idle();
    const files = (await readdir(join(dir, 'nested'))).sort();
    expect(files).toEqual(['prod_demo_g7.request.json', 'prod_demo_g7.response.json']);
    const req = await readFile(join(dir, 'nested', files[0]!), 'utf8');
    // The body exactly as received.
    expect(req).toBe(`${JSON.stringify(syncRequest({ generation: 7 }))}\n`);
    expect(JSON.parse(await readFile(join(dir, 'nested', files[1]!), 'utf8'))).toEqual(res.body);
    expect((await stat(join(dir, 'nested', files[0]!))).mtime.toISOString()).toBe(NOW.toISOString());
  });

  it('never fails the sync when the record cannot be written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-record-'));
    const blocker = join(dir, 'file');
    await import('node:fs/promises').then((fs) => fs.writeFile(blocker, 'not a dir'));
    const { app, http } = await start({ recordDir: join(blocker, 'sub') });
    await http.post('/sync').send(syncRequest()).expect(200);
    await app.hook.recorder!.idle();
    await http.post('/sync').send(syncRequest()).expect(200);
  });
});

