import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { freePort } from '../support/net.js';
import { fakeCore, syncRequest, testSettings } from './helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('startServer', () => {
  it('serves /metrics on METRICS_PORT only, and shutdown() drains then closes both', async () => {
    const metricsPort = await freePort();
    const server = await startServer(testSettings({ metricsPort }), { sync: fakeCore().core });
    try {
      expect(server.metricsAddress).toBe(`http://127.0.0.1:${metricsPort}`);
      expect((await fetch(`${server.address}/metrics`)).status).toBe(404);
      const sync = await fetch(`${server.address}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(syncRequest()) });
      expect(sync.status).toBe(200);
      const metrics = await fetch(`${server.metricsAddress}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('rw_hook_syncs_total{outcome="ok",reason="Synced"} 1');
    } finally {
      const closing = server.shutdown('test');
      expect(server.app.hook.draining).toBe(true);
      await closing;
      await server.shutdown('again');
    }
    await expect(fetch(`${server.metricsAddress}/metrics`)).rejects.toThrow();
    await expect(fetch(`${server.address}/healthz`)).rejects.toThrow();
  });

  it.skipIf(!hasOpenssl())('speaks HTTPS with TLS_CERT_FILE and TLS_KEY_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rw-tls-'));
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const server = await startServer(testSettings({ tlsCertFile: cert, tlsKeyFile: key, authToken: 'tok' }), { sync: fakeCore().core });
    try {
      expect(server.address.startsWith('https://127.0.0.1:')).toBe(true);
      const body = JSON.stringify(syncRequest());
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = https.request(
          `${server.address}/sync`,
          { method: 'POST', ca: readFileSync(cert), headers: { 'content-type': 'application/json', authorization: 'Bearer tok' } },
          (r) => {
            let text = '';
            r.on('data', (c) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(res.status).toBe(200);
      expect(Object.keys(JSON.parse(res.text))).toEqual(['status', 'children']);
    } finally {
      await server.shutdown('test');
    }
  });
});
