import { readFileSync } from 'node:fs';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import type { CustomizeRequest, CustomizeResponse, SyncRequest, SyncResponse } from '../api/metacontroller.js';
import { CUSTOMIZE_REQUEST_JSON_SCHEMA, KUBERNETES_SCHEMA_KEYWORDS, SYNC_REQUEST_JSON_SCHEMA } from '../api/envelope.js';
import type { Settings } from './config.js';
import { bearerChecker } from './auth.js';
import { loadCustomizeCore, loadSyncCore, type CustomizeCore, type SyncCore } from './core.js';
import { childKindLabel, createMetrics, type HookMetrics } from './metrics.js';
import { createPressureGauge } from './pressure.js';
import { createRecorder, type Recorder } from './recorder.js';
import { strictResponse, strictResponseJson } from './response.js';
import { lazyValidators, noSerializerCompiler } from './lazy-validator.js';
import { createSyncCache, type CachedSync, type SyncCache } from './sync-cache.js';
import { isStackOverflow, TOO_DEEP_MESSAGE } from './json-depth.js';
import { createSyncBodyParser, parseJsonBody, type ParsedBody, type SyncBodyParser } from './sync-body.js';
import { uidOf } from '../kube/kube-object.js';
import { nonFinitePath } from './json-numbers.js';

export { SYNC_RESPONSE_KEYS, strictResponse } from './response.js';

export interface AppDeps {
  readonly logger?: Logger;
  /** Defaults to the real `runSync`, imported when the app becomes ready. */
  readonly sync?: SyncCore;
  readonly customize?: CustomizeCore;
  readonly metrics?: HookMetrics;
  /** Time source; each sync runs with a clock frozen at its start, so all its transitions share one time. */
  readonly now?: () => Date;
  /**
   * Leave building the validators and loading the core to `hook.warmUp()` (startServer calls it just after
   * listening) instead of doing it before ready; a request that comes first does it itself.
   */
  readonly deferWarmUp?: boolean;
}

/** Process-level state of the hook server that main.ts (shutdown) and tests need. */
export interface HookServerState {
  readonly metrics: HookMetrics;
  readonly recorder: Recorder | undefined;
  /** True once shutdown began: /readyz answers 503 while in-flight and late requests are still served. */
  readonly draining: boolean;
  beginDrain(): void;
  /**
   * Closes the connections of hook requests whose body is still coming. Node checks REQUEST_TIMEOUT_MS only
   * while the server accepts; once it closes, main.ts calls this REQUEST_TIMEOUT_MS later, so that a stalled
   * upload cannot hold the exit.
   */
  dropUploads(): void;
  /** Builds the validators and loads the sync core now rather than on the first request. */
  warmUp(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    hook: HookServerState;
  }
  interface FastifyRequest {
    /** The /sync body and its parent's uid, for the answer cache's store (src/server/sync-cache.ts). */
    syncKey: { readonly uid: string; readonly body: string } | null;
    /** The cached answer for that body, found by the parser: the route answers it before validation. */
    syncHit: CachedSync | null;
    /** The /sync body as received, kept by the parser for RECORD_DIR. */
    syncText: string | null;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The hook's HTTP surface. Every decision is in the pure core (`runSync`); this layer parses and validates
 * the envelope, sheds load the way Metacontroller understands (429 + Retry-After), and observes.
 */
export function buildApp(settings: Settings, deps: AppDeps = {}): FastifyInstance {
  const logger = deps.logger ?? createLogger(settings);
  const https =
    settings.tlsCertFile !== undefined && settings.tlsKeyFile !== undefined
      ? { cert: readFileSync(settings.tlsCertFile), key: readFileSync(settings.tlsKeyFile) }
      : null;
  const validators = lazyValidators();
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
  const app = Fastify(options as FastifyServerOptions).withTypeProvider<TypeBoxTypeProvider>();

  const metrics = deps.metrics ?? createMetrics();
  const now = deps.now ?? (() => new Date());
  const recorder =
    settings.recordDir === undefined
      ? undefined
      : createRecorder(settings.recordDir, (err, file) => app.log.error({ err, file }, 'could not record sync'));
  const pressure = createPressureGauge(settings, metrics.loopDelay);
  let draining = false;
  /** Hook requests between onRequest and a received body (see dropUploads). */
  const uploading = new Set<FastifyRequest['raw']>();
  const state: HookServerState = {
    metrics,
    recorder,
    get draining() {
      return draining;
    },
    beginDrain() {
      draining = true;
    },
    dropUploads() {
      for (const raw of uploading) raw.destroy();
    },
    async warmUp() {
      validators.warm();
      await loadCores();
    },
  };
  app.decorate('hook', state);
  if (deps.deferWarmUp !== true) app.addHook('onReady', () => state.warmUp());
  const plain = app as unknown as FastifyInstance;

  let syncCore = deps.sync;
  // Only the real core is known to be pure; an injected one (tests) may answer differently each call.
  // Recording needs the parsed request of every sync, so it turns the cache off.
  const cache = deps.sync === undefined && recorder === undefined ? createSyncCache() : undefined;
  let customizeCore = deps.customize;
  // The cores (the workflow tree, TypeBox, the RisingWave schema: ~150 ms of module loading) and Ajv are
  // loaded by `warmUp`: before ready, or with `deferWarmUp` shortly after listening (startServer). A
  // request that arrives earlier starts the load itself and waits for it.
  let coresLoaded: Promise<void> | undefined;
  const loadCores = (): Promise<void> =>
    (coresLoaded ??= (async () => {
      syncCore ??= await loadSyncCore();
      customizeCore ??= await loadCustomizeCore();
    })());
  app.addHook('onClose', async () => {
    pressure.close();
    await recorder?.idle();
  });

  installJsonParser(plain, cache, deps.sync === undefined ? createSyncBodyParser() : undefined, recorder !== undefined);
  installErrorHandling(plain, metrics, settings);
  if (settings.authToken !== undefined) installAuth(plain, settings.authToken, settings.authExemptPaths, metrics);

  /**
   * Hook requests whose body is in and not yet answered. A request is counted only once its body has been
   * received: one still uploading costs no CPU, and counting it let idle half-sent bodies hold every slot
   * (uploads are bounded in time instead, by REQUEST_TIMEOUT_MS: see serverTimeouts).
   */
  let inFlight = 0;
  /** Route-level onRequest: sheds before the body is read when the hook is already past its limits. */
  const screen = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const why = pressure.overloaded(inFlight + 1);
    if (why !== undefined) return shed(request, reply, why);
    const raw = request.raw;
    uploading.add(raw);
    reply.raw.once('close', () => uploading.delete(raw));
    return undefined;
  };
  /** Route-level preValidation, the first hook that runs with the body in: counts the request while open. */
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    uploading.delete(request.raw);
    inFlight++;
    metrics.inFlight.set(inFlight);
    reply.raw.once('close', () => {
      inFlight--;
      metrics.inFlight.set(inFlight);
    });
    metrics.loopDelay.touch();
    const why = pressure.overloaded(inFlight);
    return why === undefined ? undefined : shed(request, reply, why);
  };
  const shed = (request: FastifyRequest, reply: FastifyReply, why: string): FastifyReply => {
    metrics.rejections.inc({ code: '429' });
    // debug, not warn: under overload a line per shed request would add to the load; the counter is enough.
    request.log.debug({ why }, 'shedding hook request');
    return reply
      .code(429)
      .header('retry-after', String(settings.retryAfterSeconds))
      .type(JSON_TYPE)
      .send(JSON.stringify({ error: 'Too Many Requests', message: `overloaded (${why}); retry after ${settings.retryAfterSeconds}s` }));
  };

  const hookOptions = {
    rolloutDeadlineSeconds: settings.rolloutDeadlineSeconds,
    operatorVersion: settings.operatorVersion,
    maxUnavailableStatefulSet: settings.maxUnavailableStatefulSet,
  };

  /** Metrics and the one log line of a sync, computed or cached. */
  const report = (request: FastifyRequest, done: CachedSync, seconds: number, cached: boolean): void => {
    metrics.syncDuration.observe({ outcome: done.outcome }, seconds);
    metrics.syncs.inc({ outcome: done.outcome, reason: done.reason });
    for (const [kind, n] of done.childrenByKind) metrics.children.inc({ kind }, n);
    request.log.info(
      {
        parent: done.parent,
        uid: done.uid,
        generation: done.generation,
        children: done.children,
        carriedOver: done.carriedOver,
        ...(done.removed.length > 0 ? { removed: done.removed } : {}),
        outcome: done.outcome,
        reason: done.reason,
        ...(cached ? { cached } : {}),
        ms: Math.round(seconds * 1e6) / 1e3,
      },
      'sync',
    );
  };

  const answerFromCache = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const hit = request.syncHit;
    if (hit === null) return undefined;
    // The time since the request arrived: a hit does no sync work of its own to measure.
    report(request, hit, reply.elapsedTime / 1000, true);
    return reply.code(200).type(JSON_TYPE).send(hit.json);
  };

  app.post('/sync', { schema: { body: SYNC_REQUEST_JSON_SCHEMA }, onRequest: screen, preValidation: [admit, answerFromCache] }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const body = request.body as SyncRequest;
    const at = now();
    let clockRead = false;
    const clock = {
      now: () => {
        clockRead = true;
        return new Date(at.getTime());
      },
    };
    if (syncCore === undefined) await loadCores();
    const { result, response, json } = await tooDeepIsBadBody(async () => {
      const result = await withDeadline(syncCore!(body, { clock, options: hookOptions }), settings.handlerTimeoutMs);
      const response = strictResponse(result.response);
      return { result, response, json: strictResponseJson(response) };
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const meta = body.parent.metadata;
    const done: CachedSync = {
      parent: `${meta.namespace ?? ''}/${meta.name}`,
      uid: meta.uid,
      generation: meta.generation,
      json,
      outcome: result.outcome,
      reason: result.reason,
      children: response.children.length,
      childrenByKind: countByKind(response.children),
      carriedOver: result.carriedOver.length,
      removed: result.removed,
    };
    report(request, done, seconds, false);
    // An answer that read the clock depends on the time, and an error may be transient: both computed anew.
    if (cache !== undefined && request.syncKey !== null && !clockRead && result.outcome !== 'error') cache.set(request.syncKey.uid, request.syncKey.body, done);
    recorder?.record({ namespace: meta.namespace, name: meta.name, generation: meta.generation, request: request.syncText ?? JSON.stringify(body), response, at });
    return reply.code(200).type(JSON_TYPE).send(json);
  });

  app.post('/customize', { schema: { body: CUSTOMIZE_REQUEST_JSON_SCHEMA }, onRequest: screen, preValidation: admit }, async (rawRequest, reply) => {
    const request = rawRequest as typeof rawRequest & { body: CustomizeRequest };
    if (customizeCore === undefined) await loadCores();
    const response: CustomizeResponse = { relatedResources: await tooDeepIsBadBody(async () => customizeCore!(request.body.parent)) };
    request.log.debug({ parent: `${request.body.parent.metadata.namespace ?? ''}/${request.body.parent.metadata.name}` }, 'customize');
    return reply.code(200).type(JSON_TYPE).send(JSON.stringify(response));
  });

  app.get('/healthz', { logLevel: 'silent' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'silent' }, async (_request, reply) =>
    draining ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' },
  );
  if (settings.metricsPort === undefined || settings.metricsPort === settings.port) registerMetricsRoute(plain, metrics);

  return plain;
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

class DeadlineError extends Error {
  readonly statusCode = 503;
}

/**
 * Fails a sync that runs past `ms`, well before Metacontroller's 10 s client timeout, so the parent gets a
 * clear error instead of a hung worker. Not fastify's `handlerTimeout`: with fastify 5.12 on Node 20 its
 * timer is cleared by the request's `close` event, which fires as soon as a POST body has been read.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`sync did not finish within HANDLER_TIMEOUT_MS (${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/metrics` alone, for METRICS_PORT. */
export function buildMetricsApp(metrics: HookMetrics, logger: Logger): FastifyInstance {
  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
  registerMetricsRoute(app as unknown as FastifyInstance, metrics);
  return app as unknown as FastifyInstance;
}

function registerMetricsRoute(app: FastifyInstance, metrics: HookMetrics): void {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

function countByKind(children: SyncResponse['children']): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const c of children) {
    const kind = childKindLabel(c);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return byKind;
}

class BadBodyError extends Error {
  readonly statusCode = 400;
}

/**
 * Replaces fastify's JSON parser, whose error hides where the JSON broke. Like fastify's (secure-json-parse),
 * it refuses `__proto__` keys, which no Kubernetes object has and which would be a hazard for any later merge.
 * /sync bodies go through `syncBody` when the core is the real one, which never writes to its request
 * (src/server/sync-body.ts: unchanged children are not parsed again).
 */
function installJsonParser(app: FastifyInstance, cache: SyncCache | undefined, syncBody: SyncBodyParser | undefined, keepText: boolean): void {
  app.decorateRequest('syncHit', null);
  app.decorateRequest('syncKey', null);
  app.decorateRequest('syncText', null);
  // Also drops text/plain: any other content-type is a 415, answered as 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new BadBodyError('body is empty; expected a JSON object'), undefined);
    const isSync = request.routeOptions.url === '/sync';
    let parsed: ParsedBody;
    try {
      parsed = syncBody !== undefined && isSync ? syncBody.parse(text) : parseJsonBody(text);
    } catch (err) {
      return done(new BadBodyError(`body is not valid JSON: ${(err as Error).message}`), undefined);
    }
    if (parsed.protoKey) return done(new BadBodyError('body has a "__proto__" key'), undefined);
    if (parsed.nonFinite) {
      const at = nonFinitePath(JSON.parse(text)) ?? '(unknown)';
      return done(new BadBodyError(`${at}: number out of range (a JSON number must be finite as a double)`), undefined);
    }
    if (keepText && isSync) request.syncText = text;
    if (cache !== undefined && isSync) {
      const uid = uidOf((parsed.value as { parent?: unknown } | null)?.parent);
      const hit = uid === undefined ? undefined : cache.get(uid, text);
      if (hit !== undefined) {
        // Answered in preValidation: this is the body the answer was computed for.
        request.syncHit = hit;
        return done(null, undefined);
      }
      // Kept for the store: the parent's uid and the body, which the cache compares the next one with.
      if (uid !== undefined) request.syncKey = { uid, body: text };
    }
    done(null, parsed.value);
  });
}

/** Runs a route's work; a stack overflow from a body nested too deep is a 400 (src/server/json-depth.ts). */
async function tooDeepIsBadBody<T>(work: () => Promise<T>): Promise<T> {
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
function installErrorHandling(app: FastifyInstance, metrics: HookMetrics, settings: Settings): void {
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
      // (serverTimeouts); what fastify reports is only the stream ending early.
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

function installAuth(app: FastifyInstance, token: string, exempt: readonly string[], metrics: HookMetrics): void {
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

