import { readFileSync } from 'node:fs';
import { LogController, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { KUBERNETES_SCHEMA_KEYWORDS } from '../api/envelope.js';
import type { Settings } from './config.js';
import { noSerializerCompiler, type LazyValidators } from './lazy-validator.js';

/** fastify's options for the hook server: TLS, limits, Node's deadlines, logging and the validators. */
export function serverOptions(settings: Settings, logger: Logger, validators: LazyValidators): FastifyServerOptions {
  const https =
    settings.tlsCertFile !== undefined && settings.tlsKeyFile !== undefined
      ? { cert: readFileSync(settings.tlsCertFile), key: readFileSync(settings.tlsKeyFile) }
      : null;
  const timeouts = serverTimeouts(settings);
  const options: FastifyServerOptions & { http: unknown; https: unknown } = {
    loggerInstance: logger,
    // The timeouts are given to Node when the server is created (see serverTimeouts); fastify sets
    // keepAliveTimeout and requestTimeout again afterwards, to the same values.
    http: timeouts,
    // The server is typed as plain HTTP either way: with TLS only the listener differs, not the routes.
    https: https === null ? null : { ...https, ...timeouts },
    bodyLimit: settings.bodyLimit,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    // Requests that reach an open keep-alive connection while closing are cheap to answer and were already
    // routed here; a 503 would cost the parent a backoff and a SyncError event.
    return503OnClosing: false,
    // One line per sync is logged by the route itself; fastify's two lines per request would double it.
    logController: new LogController({ disableRequestLogging: true }),
    // Ajv is built by warmUp (lazy-validator.ts); the validate functions are still ajv's own.
    schemaController: {
      compilersFactory: { buildValidator: validators.buildValidator, buildSerializer: noSerializerCompiler },
    } as unknown as FastifyServerOptions['schemaController'],
    ajv: {
      customOptions: {
        keywords: KUBERNETES_SCHEMA_KEYWORDS,
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        allErrors: false,
      },
    },
  };
  return options as FastifyServerOptions;
}

/**
 * Node's own deadlines for receiving a request, given when the server is created. Set afterwards (as
 * fastify does with `requestTimeout`), they are not applied together: headersTimeout kept its 60 s default
 * and the connections were checked every 30 s, so a half-sent body held its connection (and, when requests
 * were counted from their first byte, an in-flight slot) indefinitely. With both deadlines equal, a request
 * whose headers and body are not all in within REQUEST_TIMEOUT_MS is answered 408 (fastify's clientError
 * handler) and its socket destroyed, at most `connectionsCheckingInterval` late. A keep-alive connection
 * waiting for its next request is not a request in progress and is left to KEEP_ALIVE_TIMEOUT_MS.
 */
export function serverTimeouts(settings: Settings): { requestTimeout: number; headersTimeout: number; keepAliveTimeout: number; connectionsCheckingInterval: number } {
  return {
    requestTimeout: settings.requestTimeoutMs,
    headersTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(500, Math.floor(settings.requestTimeoutMs / 4))),
  };
}
