/**
 * Fuzz of /sync over a real socket, with raw bytes: what app.inject cannot send (invalid UTF-8, chunked and
 * malformed chunked bodies, truncated bodies and lying Content-Length, other content types and encodings)
 * and the body limit, set small here so bodies around it are cheap. Same invariants as hook.fuzz.test.ts.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { testSettings } from '../server/helpers.js';
import { generatedRequest } from './generators.js';
import { budget, count, expectNoPollution, expectNothingLost, expectWellFormed, fcParams, protoSnapshot, runs, type Tally } from './invariants.js';

const BODY_LIMIT = 16 * 1024;
/** Small, so that a stalled upload costs a case about a second; a complete one on loopback takes far less. */
const REQUEST_TIMEOUT_MS = 1000;
let app: FastifyInstance;
let port: number;
const tally: Tally = {};

beforeAll(async () => {
  app = buildApp(testSettings({ bodyLimit: BODY_LIMIT, requestTimeoutMs: REQUEST_TIMEOUT_MS }), { now: () => new Date('2026-11-25T12:00:00Z') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  console.log('socket fuzz tally', JSON.stringify(tally));
});

interface RawAnswer {
  statusCode: number;
  body: string;
}

/**
 * Writes `head` and `body` as they are and reads the first response until the server closes. With `pace`,
 * the body's parts are written `pace.gapMs` apart, and with `pace.stall` the last part is never written.
 */
function raw(head: string, body: Buffer | Buffer[], pace?: { gapMs: number; stall: boolean }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (c) => chunks.push(c));
    // The server may answer (a 413, a 400) and close before the whole body is written: the write then fails
    // with EPIPE or ECONNRESET, which is the server doing its job. The answer already read is what counts.
    let writeError: Error | undefined;
    socket.on('error', (err) => (writeError = err));
    socket.on('close', () => {
      if (chunks.length === 0) return reject(writeError ?? new Error('closed without an answer'));
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      if (!m) return reject(new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const headers = m[2]!.toLowerCase();
      let rest = m[3]!;
      const length = /content-length: (\d+)/.exec(headers);
      // A lying Content-Length makes the server answer the leftover bytes too: keep the first answer only.
      if (length) rest = Buffer.from(rest).subarray(0, Number(length[1])).toString('utf8');
      resolve({ statusCode: Number(m[1]), body: rest });
    });
    socket.write(head);
    const parts = Array.isArray(body) ? body : [body];
    if (pace === undefined) {
      for (const b of parts) socket.write(b);
      socket.end();
      return;
    }
    void (async () => {
      for (const [i, b] of parts.entries()) {
        if (pace.stall && i === parts.length - 1) return;
        if (i > 0) await new Promise((r) => setTimeout(r, pace.gapMs));
        if (socket.destroyed) return;
        socket.write(b);
      }
      socket.end();
    })();
  });
}

/** `body` cut into `n` parts (at least one byte each). */
function parts(body: Buffer, n: number): Buffer[] {
  const size = Math.max(1, Math.ceil(body.length / n));
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) out.push(body.subarray(at, at + size));
  return out;
}

const request = (headers: Record<string, string>) =>
  `POST /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

const json = (body: Buffer, extra: Record<string, string> = {}) => request({ 'content-type': 'application/json', 'content-length': String(body.length), ...extra });

function chunked(body: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    const part = body.subarray(at, at + n);
    out.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
    at += n;
  }
  out.push(Buffer.from('0\r\n\r\n'));
  return out;
}

/** The request padded to exactly `bytes` bytes with a top-level field (the envelope allows extra keys). */
function padded(body: object, bytes: number, unit = 'x'): Buffer {
  const base = Buffer.byteLength(JSON.stringify({ ...body, padding: '' }));
  const unitBytes = Buffer.byteLength(unit);
  const n = Math.max(0, Math.floor((bytes - base) / unitBytes));
  const fill = unit.repeat(n) + 'x'.repeat(Math.max(0, bytes - base - n * unitBytes));
  return Buffer.from(JSON.stringify({ ...body, padding: fill }));
}

interface Shot {
  readonly label: string;
  readonly head: string;
  readonly body: Buffer | Buffer[];
  readonly allowed: readonly number[];
  /** The request as the server should read it, when it should read it at all (for the nothing-lost check). */
  readonly parsed?: object;
  readonly pace?: { gapMs: number; stall: boolean };
}

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0x80]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82])];

const shot: fc.Arbitrary<Shot> = fc
  .tuple(generatedRequest, fc.nat({ max: 13 }), fc.nat(), fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 8 }))
  .map(([req, kind, n, sizes]): Shot => {
    const body = Buffer.from(JSON.stringify(req));
    switch (kind) {
      case 0:
        return { label: 'plain', head: json(body), body, allowed: [200, 413], parsed: req };
      case 1:
        return { label: `chunked in ${sizes.join(',')}`, head: request({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), body: chunked(body, sizes), allowed: [200, 413], parsed: req };
      case 2: {
        // Invalid UTF-8 inside a string value (decoded to U+FFFD: the body is still JSON) or between tokens.
        const bad = INVALID_UTF8[n % INVALID_UTF8.length]!;
        const inString = n % 2 === 0;
        const at = inString ? body.indexOf('"rw"') + 2 : body.indexOf('{', 1);
        const b = Buffer.concat([body.subarray(0, at), bad, body.subarray(at)]);
        return { label: `invalid UTF-8 ${bad.toString('hex')} ${inString ? 'in a string' : 'between tokens'}`, head: json(b), body: b, allowed: inString ? [200, 400, 413] : [400, 413], parsed: inString ? JSON.parse(b.toString('utf8')) : undefined };
      }
      case 3: {
        const cut = body.subarray(0, n % body.length);
        return { label: `truncated at ${cut.length}/${body.length}`, head: json(cut), body: cut, allowed: [400] };
      }
      case 4: {
        const types = ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x', '', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/merge-patch+json'];
        const type = types[n % types.length]!;
        const ok = type.startsWith('application/json;') || type === 'APPLICATION/JSON';
        const head = request({ ...(type === '' ? {} : { 'content-type': type }), 'content-length': String(body.length) });
        return { label: `content-type ${JSON.stringify(type)}`, head, body, allowed: ok ? [200, 400, 413] : [400, 413], parsed: ok ? req : undefined };
      }
      case 5: {
        const bytes = BODY_LIMIT - (n % 3);
        const b = padded(req, bytes);
        return { label: `${b.length} bytes (limit ${BODY_LIMIT})`, head: json(b), body: b, allowed: [200], parsed: JSON.parse(b.toString()) };
      }
      case 6: {
        const b = padded(req, BODY_LIMIT + 1 + (n % 3) * 1000);
        return { label: `${b.length} bytes (limit ${BODY_LIMIT})`, head: json(b), body: b, allowed: [413] };
      }
      case 7: {
        const b = padded(req, BODY_LIMIT + 1 + (n % 2000));
        return { label: `${b.length} bytes chunked (limit ${BODY_LIMIT})`, head: request({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), body: chunked(b, sizes), allowed: [413] };
      }
      case 8: {
        // Fewer characters than the limit, more bytes: the limit is in bytes.
        const b = padded(req, BODY_LIMIT + 2, 'é');
        return { label: `${b.length} bytes of ${b.toString().length} chars (limit ${BODY_LIMIT})`, head: json(b), body: b, allowed: [413] };
      }
      case 9: {
        const parts = chunked(body, sizes);
        parts[0] = Buffer.from(['zz\r\n', '-1\r\n', '1;\r\n', 'ffffffffffffffffff\r\n'][n % 4]!);
        return { label: 'malformed chunk size', head: request({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), body: parts, allowed: [400, 413] };
      }
      case 10: {
        const claimed = Math.max(0, body.length - 1 - (n % 50));
        return { label: `Content-Length ${claimed} for ${body.length} bytes`, head: request({ 'content-type': 'application/json', 'content-length': String(claimed) }), body, allowed: [400] };
      }
      case 11: {
        const gz = gzipSync(body);
        return { label: 'gzip body', head: json(gz, { 'content-encoding': 'gzip' }), body: gz, allowed: [400, 415] };
      }
      case 12: {
        // A slow upload: finished well within REQUEST_TIMEOUT_MS (read and answered as usual), or stalled
        // before its last part (408, the socket closed: it must not hold the connection or a slot).
        const stall = n % 4 === 0;
        const pieces = parts(body, 2 + (n % 4));
        const gapMs = stall ? 20 : Math.floor(REQUEST_TIMEOUT_MS / 4 / pieces.length);
        const label = stall ? `upload stalled after ${pieces.length - 1}/${pieces.length} parts` : `upload in ${pieces.length} parts ${gapMs} ms apart`;
        return { label, head: json(body), body: pieces, allowed: stall ? [408] : [200, 413], parsed: stall ? undefined : req, pace: { gapMs, stall } };
      }
      default: {
        const b = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
        return { label: 'UTF-8 byte order mark', head: json(b), body: b, allowed: [200, 400], parsed: req };
      }
    }
  });

async function expectAlive(label: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(res.status, `healthz after ${label}`).toBe(200);
}

describe('/sync over a socket, raw bytes', () => {
  it('every answer is allowed for what was sent; 200s lose nothing; the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(shot, async (s) => {
        const before = protoSnapshot();
        const answer = await raw(s.head, s.body, s.pace);
        const parsed = expectWellFormed(answer, s.label, s.allowed);
        count(tally, `${s.label.replace(/[\d,]+/g, 'N').slice(0, 40)} → ${answer.statusCode}`);
        if (answer.statusCode === 200) {
          expect(s.parsed, `${s.label}: a 200 for a body that should not have been read`).toBeDefined();
          expectNothingLost(s.parsed as Record<string, unknown>, parsed as Record<string, unknown>, s.label);
        }
        expectNoPollution(before, s.label);
        await expectAlive(s.label);
      }),
      fcParams(runs(0.1)),
    );
    // Each side of the limit was reached.
    const seen = Object.keys(tally).join(' ');
    expect(seen).toMatch(/bytes \(limit N\) → 200/);
    expect(seen).toMatch(/bytes \(limit N\) → 413/);
    expect(seen).toMatch(/upload stalled after N\/N parts → 408/);
    expect(seen).toMatch(/upload in N parts N ms apart → 200/);
  }, budget(runs(0.1)));
});
