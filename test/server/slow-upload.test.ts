import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, SETTINGS } from '../../src/server/config.js';
import { buildApp } from '../../src/server/app.js';
import { fakeCore, syncRequest, testSettings } from './helpers.js';

/**
 * Uploads that never finish (issue #14 item 1): sockets that send a /sync's headers and part of its body,
 * then go idle. They must neither hold the in-flight slots that complete requests need nor stay open past
 * REQUEST_TIMEOUT_MS.
 */

const MAX_IN_FLIGHT = 8;
const TIMEOUT_MS = 600;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<number> {
  app = buildApp(testSettings({ maxInFlight: MAX_IN_FLIGHT, requestTimeoutMs: TIMEOUT_MS }), { sync: fakeCore().core });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

interface Idle {
  readonly socket: Socket;
  /** Everything the server wrote, once it closed the socket. */
  readonly closed: Promise<{ text: string; afterMs: number }>;
}

/** A raw socket that sends `head` and stops. */
function idle(port: number, head: string): Idle {
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  let text = '';
  socket.on('data', (c) => (text += c));
  socket.on('error', () => undefined);
  const closed = new Promise<{ text: string; afterMs: number }>((r) => socket.on('close', () => r({ text, afterMs: Date.now() - started })));
  socket.write(head);
  return { socket, closed };
}

const body = JSON.stringify(syncRequest());
const halfSent = `POST /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 40)}`;

async function sync(port: number): Promise<{ status: number; ms: number }> {
  const t = Date.now();
  const res = await fetch(`http://127.0.0.1:${port}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.text();
  return { status: res.status, ms: Date.now() - t };
}

describe('uploads that stall', () => {
  it('twice MAX_IN_FLIGHT idle half-sent bodies: valid syncs still answered 200 at once; the idle sockets get 408 and are closed within REQUEST_TIMEOUT_MS', async () => {
    const port = await start();
    const stalled = Array.from({ length: 2 * MAX_IN_FLIGHT }, () => idle(port, halfSent));
    // Headers that never end hold a connection too (slowloris): the same deadline applies.
    const noHeaders = idle(port, 'POST /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl');
    await new Promise((r) => setTimeout(r, 100));
    const answers = await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, () => sync(port)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const a of answers) expect(a.ms).toBeLessThan(TIMEOUT_MS);
    const ends = await Promise.all(stalled.map((s) => s.closed));
    for (const end of ends) {
      expect(end.text).toMatch(/^HTTP\/1\.1 408 /);
      // The check runs every REQUEST_TIMEOUT_MS / 4 (at least 50 ms); the rest is slack for a busy machine.
      expect(end.afterMs).toBeLessThan(TIMEOUT_MS * 2 + 500);
    }
    expect((await noHeaders.closed).afterMs).toBeLessThan(TIMEOUT_MS * 2 + 500);
    expect((await sync(port)).status).toBe(200);
    // Counted as what they were: uploads that did not finish in time (those whose headers never ended
    // never reached the hook).
    const metrics = (await app!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`rw_hook_http_rejections_total{code="408"} ${stalled.length}`);
    expect(metrics).not.toContain('rw_hook_http_rejections_total{code="400"}');
  });

  it('a keep-alive connection idle between requests for longer than REQUEST_TIMEOUT_MS is not cut', async () => {
    const port = await start();
    const conn = idle(port, '');
    const request = `POST /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    let text = '';
    conn.socket.on('data', (c) => (text += c));
    conn.socket.write(request);
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2.5));
    conn.socket.write(request);
    await new Promise((r) => setTimeout(r, 200));
    expect(text.match(/HTTP\/1\.1 200 /g)?.length).toBe(2);
    expect(conn.socket.destroyed).toBe(false);
    conn.socket.destroy();
  });

  it("the default REQUEST_TIMEOUT_MS is well under the CompositeController's 5 s webhook timeout", () => {
    expect(defaultSettings().requestTimeoutMs).toBeLessThanOrEqual(2500);
    expect(SETTINGS.find((s) => s.name === 'REQUEST_TIMEOUT_MS')!.default).toBe(String(defaultSettings().requestTimeoutMs));
  });
});
