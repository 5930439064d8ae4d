import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { stringify } from 'yaml';
import { SyncRequestSchema, type SyncRequest } from '../api/metacontroller.js';
import type { KubeObject } from '../sync/kube-object.js';
import { fixedClock } from '../workflow/clock.js';
import { CliError, UsageError, parseObjects, readInput, type CliIO } from './io.js';

/** Child rules of the CompositeController; a render starts from all of them registered and empty. */
export const CHILD_GROUPS = ['ConfigMap.v1', 'Service.v1', 'StatefulSet.apps/v1', 'Deployment.apps/v1', 'HorizontalPodAutoscaler.autoscaling/v2'] as const;
export const SERVICE_MONITOR_GROUP = 'ServiceMonitor.monitoring.coreos.com/v1';
/** Renders never read the wall clock, so the same manifest always prints the same objects. */
export const RENDER_TIME = '2000-01-01T00:00:00Z';

export interface RenderOptions {
  /** Render as if the ServiceMonitor child rule were registered (Prometheus Operator installed). */
  readonly serviceMonitor?: boolean;
  /**
   * Render for an API server that keeps StatefulSet maxUnavailable (MaxUnavailableStatefulSet gate on): Recreate
   * becomes maxUnavailable 100% and a group's maxUnavailable is sent, as the Go operator always does. Default
   * false, like the hook's MAX_UNAVAILABLE_STATEFULSET and Kubernetes through 1.36.
   */
  readonly maxUnavailableStatefulSet?: boolean;
}

/**
 * The first sync Metacontroller would send for this RisingWave: nothing exists yet (every child rule
 * present and empty), no status, namespace `default` and generation 1 unless the manifest says otherwise.
 */
export function renderRequest(obj: Record<string, unknown>, opts: RenderOptions = {}): SyncRequest {
  const parent = structuredClone(obj) as Record<string, unknown> & { metadata?: Record<string, unknown> };
  delete parent.status;
  const metadata: Record<string, unknown> = { ...(parent.metadata ?? {}) };
  metadata.namespace ??= 'default';
  metadata.generation ??= 1;
  parent.metadata = metadata;
  const children: Record<string, Record<string, never>> = {};
  for (const key of CHILD_GROUPS) children[key] = {};
  if (opts.serviceMonitor) children[SERVICE_MONITOR_GROUP] = {};
  const request = { controller: {}, parent, children, related: {}, finalizing: false };
  const error = Value.Errors(SyncRequestSchema, request).First();
  if (error) throw new CliError(`not a valid parent: ${error.path.replace(/^\/parent/, '') || '/'} ${error.message}`);
  return request as unknown as SyncRequest;
}

/** The children the hook would create for a RisingWave that does not exist yet, in response order. */
export async function renderRisingWave(obj: Record<string, unknown>, opts: RenderOptions = {}): Promise<KubeObject[]> {
  return (await renderDetailed(obj, opts)).children;
}

export interface RenderResult {
  readonly children: KubeObject[];
  readonly status: Record<string, unknown>;
  readonly outcome: string;
  readonly reason: string;
}

export async function renderDetailed(obj: Record<string, unknown>, opts: RenderOptions = {}): Promise<RenderResult> {
  const request = renderRequest(obj, opts);
  const { runSync } = await import('../sync/sync.js');
  const result = await runSync(request, { clock: fixedClock(RENDER_TIME), options: { maxUnavailableStatefulSet: opts.maxUnavailableStatefulSet ?? false } });
  return {
    children: result.response.children as KubeObject[],
    status: result.response.status,
    outcome: result.outcome,
    reason: result.reason,
  };
}

export const RENDER_HELP = `Usage: rw-hook render FILE|- [-o yaml|json] [--with-service-monitor] [--max-unavailable-statefulset]

Prints the children the hook creates for each RisingWave in FILE (YAML or JSON; several documents and
kubectl Lists are fine; '-' reads stdin), as if none of them existed yet. Documents of other kinds are
skipped. Namespace defaults to 'default', generation to 1; the clock is fixed at ${RENDER_TIME}.

Options:
  -o, --output yaml|json     a YAML stream (default) or a JSON {"kind":"List"}
      --with-service-monitor render as if the ServiceMonitor child rule were registered
      --max-unavailable-statefulset
                             render for a cluster with the MaxUnavailableStatefulSet gate: StatefulSets
                             carry maxUnavailable (Recreate = 100%); without it they never do
  -h, --help                 this help

A Valid or Synced condition that is not True (invalid spec, paused, failed reaction) is reported on stderr;
exit 1 when a spec is invalid or a reaction failed.
`;

export async function renderCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(RENDER_HELP);
    return 0;
  }
  const output = values.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be yaml or json, got ${JSON.stringify(output)}`);
  if (positionals.length !== 1) throw new UsageError('expects exactly one FILE (or - for stdin)');
  const file = positionals[0]!;

  const objects = parseObjects(await readInput(file, io), file === '-' ? 'stdin' : file);
  const parents = objects.filter((o) => o.kind === 'RisingWave');
  for (const o of objects) if (o.kind !== 'RisingWave') io.stderr.write(`rw-hook render: skipping ${String(o.kind)} ${nameOf(o)}\n`);
  if (parents.length === 0) throw new CliError(`${file}: no RisingWave found`);

  const items: KubeObject[] = [];
  let failed = false;
  for (const parent of parents) {
    const result = await renderDetailed(parent, {
      serviceMonitor: values['with-service-monitor'] ?? false,
      maxUnavailableStatefulSet: values['max-unavailable-statefulset'] ?? false,
    });
    items.push(...result.children);
    const unhealthy = unhealthyConditions(result.status);
    failed ||= result.outcome === 'error' || unhealthy.some((c) => c.type === 'Valid');
    for (const c of unhealthy) io.stderr.write(`rw-hook render: ${nameOf(parent)}: ${c.text}\n`);
  }
  io.stdout.write(output === 'json' ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n` : toYamlStream(items));
  return failed ? 1 : 0;
}

export function toYamlStream(items: readonly unknown[]): string {
  return items.map((item) => `---\n${stringify(item, { lineWidth: 0 })}`).join('');
}

/** `Valid` or `Synced` not True: the render did not produce what the spec asks for (invalid, paused, failed). */
function unhealthyConditions(status: Record<string, unknown>): Array<{ type: string; text: string }> {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Array<Record<string, unknown>>) : [];
  return conditions
    .filter((c) => (c.type === 'Synced' || c.type === 'Valid') && c.status !== 'True')
    .map((c) => ({ type: String(c.type), text: `${String(c.type)}=${String(c.status)} (${String(c.reason)}): ${String(c.message)}` }));
}

function nameOf(o: Record<string, unknown>): string {
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  return `${typeof m.namespace === 'string' ? `${m.namespace}/` : ''}${String(m.name ?? '<unnamed>')}`;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        'with-service-monitor': { type: 'boolean' },
        'max-unavailable-statefulset': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
