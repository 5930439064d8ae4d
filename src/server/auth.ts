import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { JSON_TYPE } from './errors.js';
import type { HookMetrics } from './metrics.js';

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first so the comparison takes the same
 * time whatever the length or content of the presented value (timingSafeEqual needs equal lengths).
 */
export function bearerChecker(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const presented = parseBearer(authorization);
    if (presented === undefined) return false;
    return timingSafeEqual(digest(presented), expected);
  };
}

function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Every route but `exempt` needs the bearer token; a missing or wrong one is 401 before the body is read. */
export function installAuth(app: FastifyInstance, token: string, exempt: readonly string[], metrics: HookMetrics): void {
  const check = bearerChecker(token);
  const open = new Set(exempt);
  app.addHook('onRequest', async (request, reply) => {
    if (open.has(request.url.split('?', 1)[0]!)) return undefined;
    if (check(request.headers.authorization)) return undefined;
    metrics.rejections.inc({ code: '401' });
    request.log.warn({ url: request.url }, 'missing or wrong bearer token');
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .type(JSON_TYPE)
      .send(JSON.stringify({ error: 'Unauthorized', message: 'missing or wrong bearer token' }));
  });
}
