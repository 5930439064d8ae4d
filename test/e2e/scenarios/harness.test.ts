// The scenario checks must be able to fail: a proxy in front of the real hook that stamps the time into a
// condition message (status churn) or drops a child from every other response (child churn) must make
// expectNoHotLoop fail, while the real hook behind the same proxy in pass-through mode passes it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../driver/kube.js';
import { createNamespace, useCluster, withoutMetacontroller } from '../support.js';
import { deleteNamespace, expectNoHotLoop, smallRisingWave, startHook, syncOptions, type Hook, type Obj } from './harness.js';

const cluster = useCluster();
// Driven by test/e2e/driver: the real Metacontroller must not sync these RisingWaves meanwhile.
withoutMetacontroller(cluster);
let ns = '';
let hook: Hook;
let proxy: http.Server;
let proxyHook: Hook;
let mode: 'pass' | 'stampStatus' | 'flapChild' = 'pass';
let calls = 0;

function tamper(body: Obj): Obj {
  calls++;
  if (mode === 'stampStatus') {
    const synced = (body.status.conditions as Obj[]).find((c) => c.type === 'Synced')!;
    synced.message = `synced at ${new Date().toISOString()}`;
  }
  if (mode === 'flapChild' && calls % 2 === 0) {
    body.children = (body.children as Obj[]).filter((c) => !(c.kind === 'Service' && c.metadata.name.endsWith('-compactor')));
  }
  return body;
}

beforeAll(async () => {
  hook = await startHook();
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const upstream = await httpRequest(hook.url + req.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks).toString('utf8') });
      const text = upstream.status === 200 ? JSON.stringify(tamper(JSON.parse(upstream.text) as Obj)) : upstream.text;
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyHook = { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, stop: async () => {} };
  ns = await createNamespace(cluster(), 'harness');
  await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(smallRisingWave('h', ns)));
});

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
});

describe('expectNoHotLoop', () => {
  it('passes for the real hook', async () => {
    mode = 'pass';
    const { passes } = await expectNoHotLoop(syncOptions(cluster(), proxyHook, ns, 'h'), { repeats: 2 });
    expect(passes).toBeGreaterThanOrEqual(3);
  });

  it('fails for a hook that writes a new status on every pass', async () => {
    mode = 'stampStatus';
    await expect(expectNoHotLoop(syncOptions(cluster(), proxyHook, ns, 'h'), { repeats: 1, timeoutMs: 5_000 })).rejects.toThrow(/no stable pass/);
  });

  it('fails for a hook whose children flap', async () => {
    mode = 'flapChild';
    await expect(expectNoHotLoop(syncOptions(cluster(), proxyHook, ns, 'h'), { repeats: 1, timeoutMs: 5_000 })).rejects.toThrow(/no stable pass/);
    mode = 'pass';
  });
});
