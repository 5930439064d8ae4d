import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { createAnswerCache } from '../cache/answers.js';
import { createCaches, type Caches } from '../cache/caches.js';
import { cachedSync, type SyncCore } from '../controller/cached-sync.js';
import type { HookOptions } from '../reactions/context.js';
import { createAdmission } from './admission.js';
import { installAuth } from './auth.js';
import { installJsonParser } from './body-parser.js';
import type { Settings } from './config.js';
import { createCores, type CustomizeCore } from './core.js';
import { registerCustomizeRoute } from './customize-route.js';
import { installErrorHandling } from './errors.js';
import { lazyValidators } from './lazy-validator.js';
import { createLogger } from './logger.js';
import { createMetrics, type HookMetrics } from './metrics.js';
import { createPressureGauge } from './pressure.js';
import { registerMetricsRoute, registerProbes } from './probes.js';
import { createRecorder, type Recorder } from './recorder.js';
import { serverOptions } from './server-options.js';
import { withDeadline } from './deadline.js';
import { createSyncBodyParser } from './sync-body.js';
import { registerSyncRoute } from './sync-route.js';

export { SYNC_RESPONSE_KEYS, strictResponse } from './response.js';
export { serverTimeouts } from './server-options.js';

export interface AppDeps {
  readonly logger?: Logger;
  /** Defaults to the real `runSync`, imported when the app becomes ready. */
  readonly sync?: SyncCore;
  readonly customize?: CustomizeCore;
  readonly metrics?: HookMetrics;
  /** Time source; each sync runs with a clock frozen at its start, so all its transitions share one time. */
  readonly now?: () => Date;
  /** What the server shares between syncs; a set of its own (CACHE decides whether enabled) by default. */
  readonly caches?: Caches;
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
}

/**
 * The hook's HTTP surface, composed of single-purpose parts: body parsing (body-parser.ts, sync-body.ts),
 * errors (errors.ts), admission and shedding (admission.ts), auth (auth.ts) and the routes (sync-route.ts,
 * customize-route.ts, probes.ts). Every decision is in the pure core (`runSync`); this layer parses and
 * validates the envelope, sheds load the way Metacontroller understands (429 + Retry-After), and observes.
 */
export function buildApp(settings: Settings, deps: AppDeps = {}): FastifyInstance {
  const logger = deps.logger ?? createLogger(settings);
  const validators = lazyValidators();
  const app = Fastify(serverOptions(settings, logger, validators)).withTypeProvider<TypeBoxTypeProvider>();
  const plain = app as unknown as FastifyInstance;

  const metrics = deps.metrics ?? createMetrics();
  const recorder =
    settings.recordDir === undefined
      ? undefined
      : createRecorder(settings.recordDir, (err, file) => app.log.error({ err, file }, 'could not record sync'));
  const pressure = createPressureGauge(settings, metrics.loopDelay);
  const admission = createAdmission(settings, metrics, pressure);
  // The cores (the workflow tree, TypeBox, the RisingWave schema: ~150 ms of module loading) and Ajv are
  // loaded by `warmUp`: before ready, or with `deferWarmUp` shortly after listening (startServer). A
  // request that arrives earlier starts the load itself and waits for it.
  const cores = createCores(deps);
  let draining = false;
  const state: HookServerState = {
    metrics,
    recorder,
    get draining() {
      return draining;
    },
    beginDrain() {
      draining = true;
    },
    dropUploads: admission.dropUploads,
    async warmUp() {
      validators.warm();
      await cores.load();
    },
  };
  app.decorate('hook', state);
  if (deps.deferWarmUp !== true) app.addHook('onReady', () => state.warmUp());
  app.addHook('onClose', async () => {
    pressure.close();
    await recorder?.idle();
  });

  const caches = deps.caches ?? createCaches({ enabled: settings.cache });
  const realCore = deps.sync === undefined;
  // Only the real core is known to be pure and never to write to its request: an injected one (tests) may
  // answer differently each call, so neither its answers nor the pieces of its bodies are shared. Recording
  // needs the parsed request of every sync, so it turns the answer cache off.
  const answers = realCore && recorder === undefined && caches.answers.enabled;
  installJsonParser(plain, realCore ? createSyncBodyParser(caches.pieces) : undefined, answers || recorder !== undefined);
  installErrorHandling(plain, metrics, settings);
  if (settings.authToken !== undefined) installAuth(plain, settings.authToken, settings.authExemptPaths, metrics);

  const options: HookOptions = {
    rolloutDeadlineSeconds: settings.rolloutDeadlineSeconds,
    operatorVersion: settings.operatorVersion,
    maxUnavailableStatefulSet: settings.maxUnavailableStatefulSet,
  };
  const deadlined: SyncCore = (request, syncDeps) => withDeadline(cores.sync!(request, syncDeps), settings.handlerTimeoutMs);
  registerSyncRoute(plain, {
    admission,
    metrics,
    core: cachedSync(deadlined, answers ? caches.answers : NO_ANSWERS),
    answers,
    cores,
    caches,
    options,
    recorder,
    now: deps.now ?? (() => new Date()),
  });
  registerCustomizeRoute(plain, admission, cores);
  registerProbes(plain, () => draining);
  if (settings.metricsPort === undefined || settings.metricsPort === settings.port) registerMetricsRoute(plain, metrics);

  return plain;
}

const NO_ANSWERS = createAnswerCache(false);

/** `/metrics` alone, for METRICS_PORT. */
export function buildMetricsApp(metrics: HookMetrics, logger: Logger): FastifyInstance {
  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
  registerMetricsRoute(app as unknown as FastifyInstance, metrics);
  return app as unknown as FastifyInstance;
}
