import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, SETTINGS, SettingsError } from '../../src/server/config.js';
import { bearerChecker } from '../../src/server/auth.js';

describe('loadSettings', () => {
  it('has the documented defaults', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      bodyLimit: 8 * 1024 * 1024,
      recordDir: undefined,
      maxInFlight: 64,
      maxEventLoopDelayMs: 1000,
      retryAfterSeconds: 1,
      authToken: undefined,
      authExemptPaths: ['/healthz', '/readyz', '/metrics'],
      metricsPort: undefined,
      shutdownDelayMs: 1000,
      requestTimeoutMs: 2000,
      rolloutDeadlineSeconds: 600,
    });
    expect(s.keepAliveTimeoutMs).toBeGreaterThan(90_000);
    expect(s.handlerTimeoutMs).toBeLessThan(10_000);
    // Every default in the table is what loadSettings yields.
    for (const doc of SETTINGS) if (doc.default !== '') expect(loadSettings({ [doc.name]: doc.default })).toEqual(s);
  });

  it('reads every setting from the environment', () => {
    const s = loadSettings({
      PORT: '9000',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      BODY_LIMIT: '2048',
      RECORD_DIR: '/tmp/rec',
      MAX_IN_FLIGHT: '3',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      RETRY_AFTER_SECONDS: '5',
      AUTH_TOKEN: 'tok',
      AUTH_EXEMPT_PATHS: '/healthz, /readyz',
      METRICS_PORT: '9090',
      SHUTDOWN_DELAY_MS: '2500',
      KEEP_ALIVE_TIMEOUT_MS: '120000',
      REQUEST_TIMEOUT_MS: '20000',
      HANDLER_TIMEOUT_MS: '5000',
      ROLLOUT_DEADLINE_SECONDS: '900',
      OPERATOR_VERSION: 'v9',
      MAX_UNAVAILABLE_STATEFULSET: 'true',
      CACHE: 'off',
    });
    expect(s).toEqual({
      port: 9000,
      host: '127.0.0.1',
      logLevel: 'debug',
      bodyLimit: 2048,
      recordDir: '/tmp/rec',
      maxInFlight: 3,
      maxEventLoopDelayMs: 0,
      retryAfterSeconds: 5,
      authToken: 'tok',
      authExemptPaths: ['/healthz', '/readyz'],
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      metricsPort: 9090,
      shutdownDelayMs: 2500,
      keepAliveTimeoutMs: 120000,
      requestTimeoutMs: 20000,
      handlerTimeoutMs: 5000,
      rolloutDeadlineSeconds: 900,
      operatorVersion: 'v9',
      logFormat: 'json',
      maxUnavailableStatefulSet: true,
      cache: false,
    });
    expect(Object.keys(s)).toHaveLength(SETTINGS.length - 1); // AUTH_TOKEN and AUTH_TOKEN_FILE are one setting
  });

  it('reports every bad value at once, naming the variable', () => {
    let error: unknown;
    try {
      loadSettings({ PORT: '70000', BODY_LIMIT: '8MiB', LOG_LEVEL: 'loud', MAX_IN_FLIGHT: '-1', TLS_CERT_FILE: '/c.pem', RETRY_AFTER_SECONDS: '1.5', MAX_UNAVAILABLE_STATEFULSET: 'yes', CACHE: 'no' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toEqual([
      'CACHE="no" must be on or off',
      'LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent',
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
      'PORT="70000" must be an integer from 0 to 65535',
      `BODY_LIMIT="8MiB" must be an integer from 1024 to ${Number.MAX_SAFE_INTEGER}`,
      `MAX_IN_FLIGHT="-1" must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`,
      'RETRY_AFTER_SECONDS="1.5" must be an integer from 1 to 3600',
      'MAX_UNAVAILABLE_STATEFULSET="yes" must be true or false',
    ]);
  });

  it('reads AUTH_TOKEN_FILE once, trimmed; refuses it together with AUTH_TOKEN, empty or unreadable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-cfg-'));
    const file = join(dir, 'token');
    await writeFile(file, 'from-file\n');
    expect(loadSettings({ AUTH_TOKEN_FILE: file }).authToken).toBe('from-file');
    expect(() => loadSettings({ AUTH_TOKEN_FILE: file, AUTH_TOKEN: 'x' })).toThrow('set AUTH_TOKEN or AUTH_TOKEN_FILE, not both');
    await writeFile(file, '\n');
    expect(() => loadSettings({ AUTH_TOKEN_FILE: file })).toThrow(`AUTH_TOKEN_FILE ${file} is empty`);
    expect(() => loadSettings({ AUTH_TOKEN_FILE: join(dir, 'missing') })).toThrow('cannot be read');
  });

  it('treats empty variables as unset', () => {
    expect(loadSettings({ PORT: '', RECORD_DIR: ' ', METRICS_PORT: '' })).toMatchObject({ port: 8080, recordDir: undefined, metricsPort: undefined });
  });
});

describe('settings documentation', () => {
  const readme = new URL('../../README.md', import.meta.url);
  const operations = new URL('../../docs/operations.md', import.meta.url);

  it.skipIf(!existsSync(readme))('every setting has a row `| NAME | default | meaning |` in README.md or docs/operations.md', () => {
    const docs = [readme, operations].filter((u) => existsSync(u)).map((u) => readFileSync(u, 'utf8')).join('\n');
    const rows = new Map<string, string>();
    for (const line of docs.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const name = /^`([A-Z_]+)`$/.exec(cells[1] ?? '')?.[1];
      if (name && cells.length >= 4) rows.set(name, cells[2]!);
    }
    const problems = SETTINGS.flatMap((s) => {
      const documented = rows.get(s.name);
      if (documented === undefined) return [`${s.name}: no table row`];
      const expected = s.default === '' ? '(unset)' : `\`${s.default}\``;
      return documented === expected ? [] : [`${s.name}: documented default ${documented}, actual ${expected}`];
    });
    expect(problems, 'settings table out of date (source: SETTINGS in src/server/config.ts)').toEqual([]);
  });
});

describe('bearerChecker', () => {
  const check = bearerChecker('s3cret-token');
  it('accepts only the exact token in a Bearer header', () => {
    expect(check('Bearer s3cret-token')).toBe(true);
    expect(check('bearer s3cret-token')).toBe(true);
    expect(check('Bearer  s3cret-token ')).toBe(true);
    expect(check(undefined)).toBe(false);
    expect(check('')).toBe(false);
    expect(check('s3cret-token')).toBe(false);
    expect(check('Basic s3cret-token')).toBe(false);
    expect(check('Bearer s3cret-tokem')).toBe(false);
    expect(check('Bearer s3cret-token-longer')).toBe(false);
    expect(check('Bearer s3cret token')).toBe(false);
  });

  it('compares digests of equal length, so a wrong length cannot throw or short-circuit', () => {
    for (const candidate of ['x', 'y'.repeat(10_000), '\u00e9\u00e9']) expect(check(`Bearer ${candidate}`)).toBe(false);
  });
});
