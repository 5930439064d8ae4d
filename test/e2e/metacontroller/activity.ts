/**
 * What the stack did, read from Prometheus endpoints: the API server's `apiserver_request_total`, the
 * client-go request counter of Metacontroller's own process (`rest_client_requests_total`, by method), and
 * the hook's `rw_hook_syncs_total`. Snapshots are diffed around a window to show that nothing happened
 * in it (no hot loop) or that exactly some writes happened.
 */
import type { KubeClient } from '../driver/kube.js';
import type { StackInfo } from '../cluster/metacontroller.js';

export type Counters = Map<string, number>;

/** `name{labels} value` lines of one metric family, keyed by the label text. */
export function parseCounter(text: string, metric: string): Counters {
  const out: Counters = new Map();
  const re = new RegExp(`^${metric}(\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm');
  for (const m of text.matchAll(re)) out.set(m[1] ?? '', Number(m[2]));
  return out;
}

export const label = (labels: string, name: string): string | undefined => new RegExp(`[{,]${name}="([^"]*)"`).exec(labels)?.[1];

const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY', 'CREATE', 'UPDATE', 'DELETECOLLECTION']);

/**
 * Resources only Metacontroller writes in these tests (besides the tests themselves): the children's main
 * resource (their /status belongs to kube-controller-manager), the parent's /status and main resource,
 * and its ControllerRevisions. Pods, nodes, leases and events are written by kwok and the controllers.
 */
export const METACONTROLLER_RESOURCES = new Set(['configmaps', 'services', 'statefulsets', 'deployments', 'horizontalpodautoscalers', 'servicemonitors', 'risingwaves', 'controllerrevisions']);

export interface Activity {
  /** API server write requests on METACONTROLLER_RESOURCES, by `VERB resource[/subresource]`. */
  apiserverWrites: Counters;
  /** Metacontroller's own write requests (any resource, events included), by method. */
  metacontrollerWrites: Counters;
  /** Hook sync responses. */
  hookSyncs: number;
}

export async function readActivity(kube: KubeClient, stack: StackInfo): Promise<Activity> {
  const [api, mc, hook] = await Promise.all([
    kube.raw('GET', '/metrics').then((r) => String(r.body)),
    fetch(stack.metacontrollerMetricsUrl).then((r) => r.text()),
    fetch(`${stack.hookUrl}/metrics`).then((r) => r.text()),
  ]);
  const apiserverWrites: Counters = new Map();
  for (const [labels, v] of parseCounter(api, 'apiserver_request_total')) {
    const verb = label(labels, 'verb') ?? '';
    const resource = label(labels, 'resource') ?? '';
    const sub = label(labels, 'subresource') ?? '';
    if (!WRITE_VERBS.has(verb) || !METACONTROLLER_RESOURCES.has(resource)) continue;
    if (sub !== '' && !(resource === 'risingwaves' && sub === 'status')) continue;
    const key = `${verb} ${resource}${sub ? `/${sub}` : ''}`;
    apiserverWrites.set(key, (apiserverWrites.get(key) ?? 0) + v);
  }
  const metacontrollerWrites: Counters = new Map();
  for (const [labels, v] of parseCounter(mc, 'rest_client_requests_total')) {
    const method = label(labels, 'method') ?? '';
    if (WRITE_VERBS.has(method)) metacontrollerWrites.set(method, (metacontrollerWrites.get(method) ?? 0) + v);
  }
  let hookSyncs = 0;
  for (const v of parseCounter(hook, 'rw_hook_syncs_total').values()) hookSyncs += v;
  return { apiserverWrites, metacontrollerWrites, hookSyncs };
}

const diff = (a: Counters, b: Counters): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of b) if (v - (a.get(k) ?? 0) !== 0) out[k] = v - (a.get(k) ?? 0);
  return out;
};

export interface ActivityDelta {
  apiserverWrites: Record<string, number>;
  metacontrollerWrites: Record<string, number>;
  hookSyncs: number;
}

export function activityDelta(before: Activity, after: Activity): ActivityDelta {
  return {
    apiserverWrites: diff(before.apiserverWrites, after.apiserverWrites),
    metacontrollerWrites: diff(before.metacontrollerWrites, after.metacontrollerWrites),
    hookSyncs: after.hookSyncs - before.hookSyncs,
  };
}

export const NOTHING: ActivityDelta = { apiserverWrites: {}, metacontrollerWrites: {}, hookSyncs: 0 };

/** The activity over `windowMs` of doing nothing. */
export async function idleActivity(kube: KubeClient, stack: StackInfo, windowMs: number): Promise<ActivityDelta> {
  const before = await readActivity(kube, stack);
  await new Promise((r) => setTimeout(r, windowMs));
  return activityDelta(before, await readActivity(kube, stack));
}

/**
 * Waits until a whole `windowMs` passes with no hook sync and no Metacontroller write (the stack has
 * converged), polling window after window; throws with the last window's activity after `timeoutMs`.
 */
export async function waitQuiet(kube: KubeClient, stack: StackInfo, { windowMs = 5_000, timeoutMs = 120_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await idleActivity(kube, stack, windowMs);
    if (d.hookSyncs === 0 && Object.keys(d.metacontrollerWrites).length === 0) return;
    if (Date.now() > deadline) throw new Error(`not quiet after ${timeoutMs} ms; last ${windowMs} ms window: ${JSON.stringify(d)}`);
  }
}
