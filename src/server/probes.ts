import type { FastifyInstance } from 'fastify';
import type { HookMetrics } from './metrics.js';

/** /healthz: the process answers. /readyz: 503 once draining (shutdown began), so no new traffic comes. */
export function registerProbes(app: FastifyInstance, draining: () => boolean): void {
  app.get('/healthz', { logLevel: 'silent' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'silent' }, async (_request, reply) =>
    draining() ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' },
  );
}

/** Prometheus' text format of the hook's metrics. */
export function registerMetricsRoute(app: FastifyInstance, metrics: HookMetrics): void {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
