import type { FastifyError, FastifyInstance } from 'fastify';
import type { Settings } from './config.js';
import { isStackOverflow, TOO_DEEP_MESSAGE } from './json-depth.js';
import type { HookMetrics } from './metrics.js';

/** Every answer of the hook's own, errors included, is JSON. */
export const JSON_TYPE = 'application/json; charset=utf-8';

export class BadBodyError extends Error {
  readonly statusCode = 400;
}

/** Runs a route's work; a stack overflow from a body nested too deep is a 400 (src/server/json-depth.ts). */
export async function tooDeepIsBadBody<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isStackOverflow(err)) throw new BadBodyError(TOO_DEEP_MESSAGE);
    throw err;
  }
}

/** Routes that exist for POST only: another method there is 405 with `Allow: POST`, not 404. */
const HOOK_PATHS = new Set(['/sync', '/customize']);

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every error is `{error, message}` JSON; a malformed body is 400 (never 415), and the server keeps serving. */
export function installErrorHandling(app: FastifyInstance, metrics: HookMetrics, settings: Settings): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let code = err.statusCode ?? 500;
    let message = err.message;
    if (code === 415) {
      code = 400;
      message = `content-type must be application/json, got ${JSON.stringify(request.headers['content-type'] ?? '')}`;
    } else if (code === 413) {
      message = `body is larger than BODY_LIMIT (${settings.bodyLimit} bytes)`;
    } else if ((err as { code?: string }).code === 'ECONNRESET' && request.raw.destroyed && reply.elapsedTime >= settings.requestTimeoutMs) {
      // The body stopped coming: Node answered 408 and closed the connection at REQUEST_TIMEOUT_MS
      // (serverTimeouts in src/server/server-options.ts); what fastify reports is only the stream ending early.
      code = 408;
      message = `body not received within REQUEST_TIMEOUT_MS (${settings.requestTimeoutMs} ms)`;
    }
    if (code < 400) code = 500;
    metrics.rejections.inc({ code: String(code) });
    if (code >= 500) request.log.error({ err, url: request.url }, 'request failed');
    else request.log.warn({ url: request.url, code, message }, 'request rejected');
    return reply
      .code(code)
      .type(JSON_TYPE)
      .send(JSON.stringify({ error: REASON[code] ?? 'Error', message: code >= 500 && code !== 503 ? 'internal error; see the hook log' : message }));
  });
  app.setNotFoundHandler((request, reply) =>
    HOOK_PATHS.has(request.url.split('?', 1)[0]!)
      ? reply
          .code(405)
          .header('allow', 'POST')
          .type(JSON_TYPE)
          .send(JSON.stringify({ error: 'Method Not Allowed', message: `${request.method} ${request.url}: the hook answers POST only` }))
      : reply
          .code(404)
          .type(JSON_TYPE)
          .send(JSON.stringify({ error: 'Not Found', message: `${request.method} ${request.url} is not a route of this hook` })),
  );
}
