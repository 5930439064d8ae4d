import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LOOP_DELAY_METRIC_NAMES, createLoopDelayMonitor, registerLoopDelayMetrics, type LoopDelayMonitor } from './loop-delay.js';
import { CHILD_TYPES } from '../kube/child-keys.js';

/**
 * The hook's Prometheus series, on a Registry of their own (never prom-client's global one, so several
 * apps in one process — tests — do not collide). Metacontroller exports the client side as
 * `metacontroller_<hook>_request_duration_histogram_seconds`; these are the server side.
 */
export interface HookMetrics {
  readonly registry: Registry;
  readonly syncDuration: Histogram<'outcome'>;
  readonly syncs: Counter<'outcome' | 'reason'>;
  readonly children: Counter<'kind'>;
  readonly rejections: Counter<'code'>;
  readonly inFlight: Gauge;
  /** Event-loop delay for the shedding check and the nodejs_eventloop_lag_* gauges; sampled only while busy. */
  readonly loopDelay: LoopDelayMonitor;
}

/**
 * The child types the hook emits (`Kind.apiVersion`, as in the CompositeController's childResources): the
 * only values of the `kind` label, with `other` for anything else a request carries (carried-over children
 * of made-up kinds would otherwise add a series each, without limit).
 */
export const CHILD_KIND_LABELS: ReadonlyMap<string, string> = new Map(CHILD_TYPES.map((t) => [t.key, t.kind]));

/** The `kind` label of a returned child: one of CHILD_KIND_LABELS' values, else `other`. */
export function childKindLabel(child: { readonly apiVersion: unknown; readonly kind: unknown }): string {
  return CHILD_KIND_LABELS.get(`${String(child.kind)}.${String(child.apiVersion)}`) ?? 'other';
}

/** A sync is pure CPU work of well under a millisecond for typical bodies; the buckets must resolve that. */
export const SYNC_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): HookMetrics {
  const registry = new Registry();
  const loopDelay = createLoopDelayMonitor();
  if (opts.defaultMetrics !== false) {
    // prom-client's lag gauges come with a sampler that never stops; a resolution of ~25 days keeps it from
    // ever firing, and its seven gauges are replaced by ones read from loopDelay. nodejs_eventloop_lag_seconds
    // (measured at scrape time) stays prom-client's.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
    for (const name of LOOP_DELAY_METRIC_NAMES) registry.removeSingleMetric(name);
    registerLoopDelayMetrics(registry, loopDelay);
  }
  return {
    registry,
    loopDelay,
    syncDuration: new Histogram({
      name: 'rw_hook_sync_duration_seconds',
      help: 'Time to compute one sync response, from parsed body to serialized response.',
      labelNames: ['outcome'],
      buckets: SYNC_DURATION_BUCKETS,
      registers: [registry],
    }),
    syncs: new Counter({
      name: 'rw_hook_syncs_total',
      help: 'Sync responses by outcome (ok, waiting, error, finalized, ...) and reason.',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    }),
    children: new Counter({
      name: 'rw_hook_children_total',
      help: 'Children returned in sync responses, by kind (the child types the hook emits, else other).',
      labelNames: ['kind'],
      registers: [registry],
    }),
    rejections: new Counter({
      name: 'rw_hook_http_rejections_total',
      help: 'Requests answered without running the hook: 400 malformed, 401 unauthorized, 408 body not received in time, 413 too large, 429 shed, 503 handler timeout.',
      labelNames: ['code'],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'rw_hook_in_flight_requests',
      help: 'Hook requests (sync, customize) whose body was received, being handled.',
      registers: [registry],
    }),
  };
}
