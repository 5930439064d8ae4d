import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import type { Settings } from './config.js';
import { buildApp, buildMetricsApp, type AppDeps } from './app.js';

/** After listening, how long the loop stays free for the first probes before the core loads. */
const WARM_UP_DELAY_MS = 50;

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly metricsApp: FastifyInstance | undefined;
  /** e.g. `http://127.0.0.1:8080` */
  readonly address: string;
  readonly metricsAddress: string | undefined;
  /** Drain (readiness 503, wait SHUTDOWN_DELAY_MS), then close both servers once in-flight requests finished. */
  shutdown(reason: string): Promise<void>;
}

/** Builds the app and listens; resolves once the server is ready. The core loads just after (warmUp). */
export async function startServer(settings: Settings, deps: AppDeps = {}): Promise<RunningServer> {
  const logger: Logger = deps.logger ?? createLogger(settings);
  const app = buildApp(settings, { deferWarmUp: true, ...deps, logger });
  const separateMetrics = settings.metricsPort !== undefined && settings.metricsPort !== settings.port;
  const metricsApp = separateMetrics ? buildMetricsApp(app.hook.metrics, logger) : undefined;

  const address = await app.listen({ port: settings.port, host: settings.host });
  // Not before listening: loading the core blocks the loop for ~100 ms, and the first probes need not wait.
  const warm = setTimeout(() => {
    app.hook.warmUp().catch((err: unknown) => logger.error({ err }, 'could not load the sync core'));
  }, WARM_UP_DELAY_MS);
  warm.unref();
  const metricsAddress = metricsApp ? await metricsApp.listen({ port: settings.metricsPort!, host: settings.host }) : undefined;
  logger.info(
    {
      address,
      metrics: metricsAddress ?? `${address}/metrics`,
      tls: settings.tlsCertFile !== undefined,
      auth: settings.authToken !== undefined,
      recordDir: settings.recordDir,
      bodyLimit: settings.bodyLimit,
      maxInFlight: settings.maxInFlight,
      cache: settings.cache,
    },
    'rw-hook listening',
  );

  let closing: Promise<void> | undefined;
  return {
    app,
    metricsApp,
    address,
    metricsAddress,
    shutdown(reason) {
      closing ??= (async () => {
        clearTimeout(warm);
        app.hook.beginDrain();
        logger.info({ reason, delayMs: settings.shutdownDelayMs }, 'draining: readiness is 503, still serving');
        if (settings.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, settings.shutdownDelayMs));
        // Once closed, the server no longer applies REQUEST_TIMEOUT_MS itself: an upload still stalled that
        // much later is past its deadline, and would otherwise hold the exit until the forced one.
        const dropUploads = setTimeout(() => app.hook.dropUploads(), settings.requestTimeoutMs);
        await app.close();
        clearTimeout(dropUploads);
        await metricsApp?.close();
        logger.info('closed');
      })();
      return closing;
    },
  };
}

/**
 * `rw-hook serve`: the server plus signal handling. On SIGTERM or SIGINT readiness turns 503 at once, the
 * server keeps answering for SHUTDOWN_DELAY_MS, then stops accepting, lets in-flight syncs finish and exits
 * 0. A second signal exits at once (1); a drain that outlives the handler timeout is cut off (exit 1).
 */
export async function serve(settings: Settings, deps: AppDeps = {}): Promise<RunningServer> {
  const logger: Logger = deps.logger ?? createLogger(settings);
  const server = await startServer(settings, { ...deps, logger });
  closeWithGrace(
    {
      delay: settings.shutdownDelayMs + settings.handlerTimeoutMs + 5000,
      logger: { error: (msg: unknown) => logger.error(msg instanceof Error ? { err: msg } : { detail: msg }, 'shutdown') },
    },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'fatal error; shutting down');
      await server.shutdown(signal ?? (err ? 'error' : 'exit'));
    },
  );
  return server;
}
