import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createLogger, prettyLine } from '../../src/server/logger.js';
import { loadSettings, SettingsError } from '../../src/server/config.js';
import { fakeCore, testSettings } from './helpers.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start() {
  const app = buildApp(testSettings(), { sync: fakeCore().core, customize: () => [] });
  apps.push(app);
  await app.ready();
  return request(app.server);
}

describe('hook routes answer other methods 405 with Allow: POST', () => {
  it.each([
    ['get', '/sync'],
    ['put', '/sync'],
    ['delete', '/sync?x=1'],
    ['get', '/customize'],
  ] as const)('%s %s', async (method, path) => {
    const res = await (await start())[method](path).expect(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toEqual({ error: 'Method Not Allowed', message: `${method.toUpperCase()} ${path}: the hook answers POST only` });
  });

  it('other unknown routes stay 404', async () => {
    await (await start()).get('/synced').expect(404);
  });
});

describe('LOG_FORMAT', () => {
  it('json by default, pretty on request, anything else refused', () => {
    expect(loadSettings({}).logFormat).toBe('json');
    expect(loadSettings({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadSettings({ LOG_FORMAT: 'fancy' })).toThrow(SettingsError);
    expect(() => loadSettings({ LOG_FORMAT: 'fancy' })).toThrow('LOG_FORMAT="fancy" must be one of json, pretty');
  });

  it('pretty: time, level, message, then the fields; an error\'s stack below', () => {
    const time = Date.parse('2026-12-04T10:11:12.345Z');
    expect(prettyLine(JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', msg: 'sync', parent: 'default/demo', children: 9, outcome: 'ok ok' }))).toBe(
      '10:11:12.345 INFO  sync parent=default/demo children=9 outcome="ok ok"\n',
    );
    const line = prettyLine(JSON.stringify({ level: 50, time, msg: 'request failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } }));
    expect(line).toBe('10:11:12.345 ERROR request failed err="boom"\n    Error: boom\n        at x\n');
    expect(prettyLine('not json')).toBe('not json\n');
  });

  it('the server logger writes pretty lines, and json stays pino\'s own', () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'info', logFormat: 'pretty' }, { write: (s) => lines.push(s) });
    logger.info({ req: { headers: { authorization: 'Bearer secret' } } }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  hello req=\{"headers":\{"authorization":"\[Redacted\]"\}\}\n$/);
  });
});
