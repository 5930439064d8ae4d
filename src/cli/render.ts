import { Value } from '@sinclair/typebox/value';
import { stringify } from 'yaml';
import { SyncRequestSchema, type SyncRequest } from '../api/metacontroller.js';
import { API_VERSION, GROUP, KIND } from '../api/risingwave.js';
import { risingWaveUnknownFields } from '../crd/unknown-fields.js';
import type { KubeObject } from '../kube/kube-object.js';
import { fixedClock } from '../kube/time.js';
import { parseFlags } from './flags.js';
import { CliError, UsageError, parseObjects, readInput, type CliIO } from './io.js';
import { CHILD_TYPES, SERVICE_MONITOR_KEY } from '../kube/child-keys.js';

/** Child rules of the CompositeController; a render starts from all of them registered and empty. */
export const CHILD_GROUPS: readonly string[] = CHILD_TYPES.filter((t) => t.always).map((t) => t.key);
export const SERVICE_MONITOR_GROUP = SERVICE_MONITOR_KEY;
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
  const { runSync } = await import('../controller/sync.js');
  const result = await runSync(request, { clock: fixedClock(RENDER_TIME), options: { maxUnavailableStatefulSet: opts.maxUnavailableStatefulSet ?? false } });
  return {
    children: result.response.children as KubeObject[],
    status: result.response.status,
    outcome: result.outcome,
    reason: result.reason,
  };
}

export const RENDER_HELP = `Usage: rw-hook render (-f FILE | FILE | -) [-o yaml|json] [--validate strict|warn|ignore] [--with-service-monitor]
                      [--max-unavailable-statefulset]

Prints the children the hook creates for each RisingWave in FILE (YAML or JSON; several documents and
kubectl Lists are fine; '-' reads stdin), as if none of them existed yet. Documents outside the RisingWave
API group are skipped. Namespace defaults to 'default', generation to 1; the clock is fixed at ${RENDER_TIME}.

Each RisingWave is checked as the API server checks it: apiVersion must be ${API_VERSION}, and a field
the CRD does not declare is an error listing every such path (kubectl's strict field validation).

Options:
  -f, --filename FILE|-      the manifest (or give it as the only argument)
  -o, --output yaml|json     a YAML stream (default) or a JSON {"kind":"List"}
      --validate MODE        unknown fields: strict (default, or true) fails, warn reports them on stderr,
                             ignore (or false) drops them silently, as the API server would
      --with-service-monitor render as if the ServiceMonitor child rule were registered
      --max-unavailable-statefulset
                             render for a cluster with the MaxUnavailableStatefulSet gate: StatefulSets
                             carry maxUnavailable (Recreate = 100%); without it they never do
  -h, --help                 this help

A Valid or Synced condition that is not True (invalid spec, paused, failed reaction) is reported on stderr;
exit 1 when a manifest is refused (unknown fields, wrong apiVersion or kind), a spec is invalid or a reaction
failed; exit 2 on wrong usage.
`;

export const RENDER_FLAGS = {
  filename: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  validate: { type: 'string' },
  'with-service-monitor': { type: 'boolean' },
  'max-unavailable-statefulset': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ValidateMode = 'strict' | 'warn' | 'ignore';

/** kubectl's --validate values, its boolean spellings included. */
export function validateMode(value: string | undefined): ValidateMode {
  switch (value ?? 'strict') {
    case 'strict':
    case 'true':
      return 'strict';
    case 'warn':
      return 'warn';
    case 'ignore':
    case 'false':
      return 'ignore';
    default:
      throw new UsageError(`invalid value for --validate: ${JSON.stringify(value)}; must be one of: strict (or true), warn, ignore (or false)`);
  }
}

export async function renderCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, RENDER_FLAGS);
  if (values.help) {
    io.stdout.write(RENDER_HELP);
    return 0;
  }
  const output = typeof values.output === 'string' ? values.output : 'yaml';
  if (output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be yaml or json, got ${JSON.stringify(output)}`);
  const mode = validateMode(values.validate as string | undefined);
  const given = [...(typeof values.filename === 'string' ? [values.filename] : []), ...positionals];
  if (given.length !== 1) {
    throw new UsageError(given.length === 0 ? 'a manifest is required: -f FILE (or - for stdin)' : `expects one manifest, got ${given.map((g) => JSON.stringify(g)).join(' ')}`);
  }
  const file = given[0]!;
  if (file === '') throw new UsageError('--filename must not be empty');

  const objects = parseObjects(await readInput(file, io), file === '-' ? 'stdin' : file);
  const parents: Array<Record<string, unknown>> = [];
  const refused: string[] = [];
  for (const o of objects) {
    const problem = typeProblem(o);
    if (problem === 'other') {
      io.stderr.write(`rw-hook render: skipping ${String(o.kind)} ${nameOf(o)}\n`);
      continue;
    }
    if (problem !== undefined) {
      refused.push(`${KIND} ${nameOf(o)}: ${problem}`);
      continue;
    }
    const unknown = mode === 'ignore' ? [] : risingWaveUnknownFields(o);
    const listed = unknown.map((p) => `unknown field ${JSON.stringify(p)}`).join(', ');
    if (unknown.length > 0 && mode === 'strict') refused.push(`${KIND} ${nameOf(o)}: strict decoding error: ${listed}`);
    else if (unknown.length > 0) io.stderr.write(`Warning: ${KIND} ${nameOf(o)}: ${listed}\n`);
    parents.push(o);
  }
  // Nothing is printed when any manifest is refused: a partial stream piped to `kubectl apply` would look complete.
  if (refused.length > 0) {
    for (const r of refused) io.stderr.write(`rw-hook render: ${r}\n`);
    if (mode === 'strict' && refused.some((r) => r.includes('strict decoding error'))) {
      io.stderr.write('rw-hook render: (--validate=warn or ignore renders anyway, as the API server would with that field validation)\n');
    }
    return 1;
  }
  if (parents.length === 0) throw new CliError(`${file}: no RisingWave found`);

  const items: KubeObject[] = [];
  let failed = false;
  for (const parent of parents) {
    const result = await renderDetailed(parent, {
      serviceMonitor: values['with-service-monitor'] === true,
      maxUnavailableStatefulSet: values['max-unavailable-statefulset'] === true,
    });
    items.push(...result.children);
    const unhealthy = unhealthyConditions(result.status);
    failed ||= result.outcome === 'error' || unhealthy.some((c) => c.type === 'Valid');
    for (const c of unhealthy) io.stderr.write(`rw-hook render: ${nameOf(parent)}: ${c.text}\n`);
  }
  io.stdout.write(output === 'json' ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n` : toYamlStream(items));
  return failed ? 1 : 0;
}

/**
 * Why the API server would not take this object as a RisingWave: undefined when it would; 'other' for an object
 * outside the RisingWave group (render skips it); otherwise what kubectl says for a kind or version it has no
 * mapping for (`apiVersion: .../v1`, `kind: Risingwave`).
 */
export function typeProblem(o: Record<string, unknown>): string | 'other' | undefined {
  const { apiVersion, kind } = o;
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : undefined;
  if (group !== GROUP && kind !== KIND) return 'other';
  if (apiVersion === API_VERSION && kind === KIND) return undefined;
  if (typeof apiVersion !== 'string' || apiVersion === '') return `apiVersion not set (want ${API_VERSION})`;
  if (typeof kind !== 'string' || kind === '') return `kind not set (want ${KIND})`;
  return `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)} (want apiVersion ${API_VERSION}, kind ${KIND})`;
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
