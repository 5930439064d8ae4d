import { UsageError } from '../cli/io.js';
import { CLUSTER_HELP, kubectlFor, parseCommandArgs, stringOption, type PluginContext } from './args.js';
import { COMPONENT_NAMES } from './groups.js';
import type { RwObject } from './kubectl.js';

export const STATUS_HELP = `Usage: kubectl risingwave status [NAME] [-o json|yaml] [-A] [options]

With NAME: the image and version, the meta and state stores, ready/target replicas of every component and
node group (and autoscaling, where the status reports it), and the conditions with their reasons and ages.
Without NAME: every RisingWave in the namespace (NAME RUNNING VERSION AGE).

Options:
  -o, --output json|yaml     print the stored object as kubectl does instead of the table (with NAME)
  -A, --all-namespaces       list RisingWaves of every namespace (without NAME)
${CLUSTER_HELP}`;

const PAUSE_ANNOTATION = 'risingwave.risingwavelabs.com/pause-reconcile';

export async function statusCommand(args: string[], ctx: PluginContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    'all-namespaces': { type: 'boolean', short: 'A' },
  });
  if (values.help) {
    ctx.io.stdout.write(STATUS_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('expects at most one NAME');
  const output = stringOption(values, 'output');
  if (output !== undefined && output !== 'json' && output !== 'yaml') throw new UsageError(`--output must be json or yaml, got ${JSON.stringify(output)}`);
  const all = values['all-namespaces'] === true;
  const kubectl = kubectlFor(values, ctx);
  const name = positionals[0];

  if (name === undefined) {
    if (output !== undefined) throw new UsageError('--output needs a NAME (use kubectl get risingwaves -o ... for lists)');
    if (all && values.namespace !== undefined) throw new UsageError('--all-namespaces and --namespace exclude each other');
    const items = await kubectl.listRisingWaves(all);
    if (items.length === 0) {
      ctx.io.stderr.write(`No RisingWave found ${all ? 'in any namespace' : kubectl.where()}.\n`);
      return 0;
    }
    ctx.io.stdout.write(renderList(items, ctx.now(), all));
    return 0;
  }
  if (all) throw new UsageError('--all-namespaces is for listing; drop it or the NAME');
  if (output !== undefined) {
    ctx.io.stdout.write(await kubectl.getRisingWaveAs(name, output));
    return 0;
  }
  ctx.io.stdout.write(renderStatus(await kubectl.getRisingWave(name), ctx.now()));
  return 0;
}

// ---- pure rendering --------------------------------------------------------------------------------------

/** Columns left-aligned, three spaces apart, like kubectl's printers; the last column is not padded. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3)))
      .join('')
      .trimEnd();
  return [headers, ...rows].map(line).join('\n') + '\n';
}

/** kubectl's AGE format (apimachinery's HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

export function age(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string') return '-';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '-' : humanDuration(now.getTime() - t);
}

const conditionOf = (rw: RwObject, type: string): RwObject | undefined =>
  Array.isArray(rw.status?.conditions) ? (rw.status.conditions as RwObject[]).find((c) => c?.type === type) : undefined;

const text = (v: unknown): string => (v === undefined || v === null || v === '' ? '-' : String(v).replace(/\s*\n\s*/g, ' '));

/** `kubectl risingwave status` without NAME. */
export function renderList(items: readonly RwObject[], now: Date, withNamespace: boolean): string {
  const rows = items.map((rw) => [
    ...(withNamespace ? [text(rw.metadata?.namespace)] : []),
    text(rw.metadata?.name),
    text(conditionOf(rw, 'Running')?.status),
    text(rw.status?.version),
    age(rw.metadata?.creationTimestamp, now),
  ]);
  return formatTable([...(withNamespace ? ['NAMESPACE'] : []), 'NAME', 'RUNNING', 'VERSION', 'AGE'], rows);
}

/** Short names for the fields of a group's autoscaling status (GroupAutoscalingStatus); others print as stored. */
const AUTOSCALING_KEYS: Record<string, string> = { minReplicas: 'min', maxReplicas: 'max', currentReplicas: 'current', desiredReplicas: 'desired' };

/**
 * A group's autoscaling status as `key=value` pairs. Scalars only; anything nested is left to `-o yaml`, so
 * a field added later still prints instead of breaking the table.
 */
export function autoscalingText(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '-' : `${value.length} entries`;
  // Known fields first in a reading order (the stored object's keys are sorted alphabetically).
  const known = Object.keys(AUTOSCALING_KEYS);
  const rank = (k: string) => (known.includes(k) ? known.indexOf(k) : known.length);
  const pairs = Object.entries(value as RwObject)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([k, v]) => `${AUTOSCALING_KEYS[k] ?? k}=${String(v)}`);
  return pairs.length === 0 ? '-' : pairs.join(' ');
}

/** One row per node group of each component in `status.componentReplicas`. */
export function replicaRows(rw: RwObject): { headers: string[]; rows: string[][] } {
  const replicas: RwObject = rw.status?.componentReplicas ?? {};
  const rows: Array<{ cells: string[]; autoscaling: unknown }> = [];
  for (const component of COMPONENT_NAMES) {
    const c: RwObject | undefined = replicas[component];
    if (c === undefined || c === null) continue;
    const groups: RwObject[] = Array.isArray(c.groups) ? c.groups : [];
    if (groups.length === 0) {
      rows.push({ cells: [component, '-', `${c.running ?? 0}/${c.target ?? 0}`], autoscaling: c.autoscaling });
      continue;
    }
    for (const g of groups) {
      const ready = `${g.running ?? 0}/${g.target ?? 0}${g.exists === false ? ' (no workload)' : ''}`;
      rows.push({ cells: [component, g.name === '' || g.name === undefined ? '(default)' : String(g.name), ready], autoscaling: g.autoscaling });
    }
  }
  const withAutoscaling = rows.some((r) => r.autoscaling !== undefined);
  return {
    headers: ['COMPONENT', 'GROUP', 'READY/TARGET', ...(withAutoscaling ? ['AUTOSCALING'] : [])],
    rows: rows.map((r) => (withAutoscaling ? [...r.cells, autoscalingText(r.autoscaling)] : r.cells)),
  };
}

export function conditionRows(rw: RwObject, now: Date): string[][] {
  const conditions: RwObject[] = Array.isArray(rw.status?.conditions) ? rw.status.conditions : [];
  return conditions.map((c) => [text(c.type), text(c.status), text(c.reason), age(c.lastTransitionTime, now), text(c.message)]);
}

/** `kubectl risingwave status NAME`: a summary block, the replica table and the conditions table. */
export function renderStatus(rw: RwObject, now: Date): string {
  const meta: RwObject = rw.metadata ?? {};
  const spec: RwObject = rw.spec ?? {};
  const status: RwObject = rw.status ?? {};
  const summary: Array<[string, string]> = [
    ['Name', text(meta.name)],
    ['Namespace', text(meta.namespace)],
    ['Image', text(spec.image)],
    ['Version', text(status.version)],
    ['Meta store', text(status.metaStore?.backend)],
    ['State store', text(status.stateStore?.backend)],
  ];
  if (spec.enableStandaloneMode === true) summary.push(['Mode', 'standalone']);
  const observed = status.observedGeneration;
  const generation = meta.generation;
  const behind = typeof observed === 'number' && typeof generation === 'number' && observed < generation;
  summary.push(['Generation', `${text(generation)} (observed ${text(observed)}${behind ? ', the latest spec is not synced yet' : ''})`]);
  if (meta.annotations?.[PAUSE_ANNOTATION] !== undefined) summary.push(['Paused', `yes (${PAUSE_ANNOTATION})`]);
  summary.push(['Age', age(meta.creationTimestamp, now)]);

  const width = Math.max(...summary.map(([k]) => k.length)) + 2;
  let out = summary.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n') + '\n\n';

  const replicas = replicaRows(rw);
  out += replicas.rows.length > 0 ? formatTable(replicas.headers, replicas.rows) : 'No replica status yet (the hook has not synced this RisingWave).\n';
  out += '\nConditions:\n';
  const conditions = conditionRows(rw, now);
  out += conditions.length > 0 ? formatTable(['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'], conditions) : 'none\n';
  return out;
}
