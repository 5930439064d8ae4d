/**
 * The fleet benchmark's pure parts: Prometheus text and audit-log parsing, percentiles, and the Markdown
 * it prints and writes into BENCHMARKS.md. bench/fleet/main.ts does the measuring.
 */

/** `name{labels} value` samples of one metric family, summed by the label text. */
export function parseCounter(text: string, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = new RegExp(`^${metric}(\\{[^}]*\\})? ([0-9.e+-]+|NaN|\\+Inf)$`, 'gm');
  for (const m of text.matchAll(re)) out.set(m[1] ?? '', (out.get(m[1] ?? '') ?? 0) + Number(m[2]));
  return out;
}

export const labelOf = (labels: string, name: string): string => new RegExp(`[{,]${name}="([^"]*)"`).exec(labels)?.[1] ?? '';

/** apiserver_request_total as `VERB resource[/subresource]` -> count (all clients). */
export function requestsByVerbResource(metricsText: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [labels, v] of parseCounter(metricsText, 'apiserver_request_total')) {
    const sub = labelOf(labels, 'subresource');
    const resource = labelOf(labels, 'resource') || '(non-resource)';
    const key = `${labelOf(labels, 'verb')} ${resource}${sub ? `/${sub}` : ''}`;
    out.set(key, (out.get(key) ?? 0) + v);
  }
  return out;
}

export function diffCounts(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}

export const sum = (m: Iterable<number>): number => [...m].reduce((a, b) => a + b, 0);

/** Nearest-rank percentile of `values` (p in 0..100); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

// ---- audit log ----------------------------------------------------------------------------------------

/** Who sent a request, from its user agent (client-go: `<binary>/<version> (<os>/<arch>) kubernetes/<commit>[/<sa>]`). */
export function clientOf(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const binary = ua.split('/')[0]!.split(' ')[0]!;
  switch (binary) {
    case 'metacontroller':
      return 'metacontroller';
    case 'manager':
      return 'operator';
    case 'kube-controller-manager':
      return 'kube-controller-manager';
    case 'kube-scheduler':
      return 'kube-scheduler';
    case 'kwok':
      return 'kwok';
    case 'kube-apiserver':
      return 'kube-apiserver';
    case '':
    case 'node':
    case 'kubectl':
      return 'bench';
    default:
      return binary;
  }
}

export const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export interface AuditEvent {
  /** ms since the epoch (stageTimestamp). */
  at: number;
  client: string;
  verb: string;
  /** `resource[/subresource]`, or `(non-resource)`. */
  resource: string;
}

/** One line of a kube-apiserver JSON audit log (ResponseComplete or Panic stage only), else undefined. */
export function parseAuditLine(line: string): AuditEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let e: {
    stage?: string;
    stageTimestamp?: string;
    userAgent?: string;
    verb?: string;
    objectRef?: { resource?: string; subresource?: string };
  };
  try {
    e = JSON.parse(line) as typeof e;
  } catch {
    return undefined;
  }
  if (e.stage !== 'ResponseComplete' && e.stage !== 'Panic') return undefined;
  const ref = e.objectRef;
  const resource = ref?.resource ? `${ref.resource}${ref.subresource ? `/${ref.subresource}` : ''}` : '(non-resource)';
  return { at: Date.parse(e.stageTimestamp ?? ''), client: clientOf(e.userAgent), verb: e.verb ?? '', resource };
}

/** Counts of events in [from, to) by `client`, and by `client verb resource`. */
export interface AuditWindow {
  byClient: Map<string, number>;
  byClientVerbResource: Map<string, number>;
}

export function auditWindow(events: readonly AuditEvent[], from: number, to: number): AuditWindow {
  const byClient = new Map<string, number>();
  const byClientVerbResource = new Map<string, number>();
  for (const e of events) {
    if (!(e.at >= from && e.at < to)) continue;
    byClient.set(e.client, (byClient.get(e.client) ?? 0) + 1);
    const k = `${e.client} ${e.verb} ${e.resource}`;
    byClientVerbResource.set(k, (byClientVerbResource.get(k) ?? 0) + 1);
  }
  return { byClient, byClientVerbResource };
}

/** The writes of one client in a window, as `verb resource` -> count. */
export function writesOf(w: AuditWindow, client: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of w.byClientVerbResource) {
    const [c, verb, resource] = k.split(' ') as [string, string, string];
    if (c === client && WRITE_VERBS.has(verb)) out.set(`${verb} ${resource}`, v);
  }
  return out;
}

export function requestsOf(w: AuditWindow, client: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of w.byClientVerbResource) {
    const [c, verb, resource] = k.split(' ') as [string, string, string];
    if (c === client) out.set(`${verb} ${resource}`, v);
  }
  return out;
}

// ---- Markdown -------------------------------------------------------------------------------------------

/** A number for a table cell: `digits` decimals, thousands unseparated, `—` for NaN/undefined. */
export function fmt(v: number | undefined, digits = 1): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  return v.toFixed(digits);
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly ('l' | 'r')[] = []): string {
  const sep = header.map((_, i) => ((align[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), `|${sep.join('|')}|`, ...rows.map(line)].join('\n');
}

/** `a 12, b 3` from the largest count down, at most `max` entries (then `+k more`). */
export function topCounts(m: Map<string, number>, max = 6, scale = 1, digits = 1): string {
  const entries = [...m].filter(([, v]) => v !== 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return '0';
  const shown = entries.slice(0, max).map(([k, v]) => `${k} ${fmt(v * scale, digits)}`);
  return entries.length > max ? `${shown.join(', ')}, +${entries.length - max} more` : shown.join(', ');
}

/**
 * Replaces the text between `<!-- fleet:<id>:start -->` and `<!-- fleet:<id>:end -->` in `doc`, or appends
 * the marked block at the end of the `## Fleet` section (created at the end of the document if missing).
 */
export function replaceBlock(doc: string, id: string, body: string): string {
  const start = `<!-- fleet:${id}:start -->`;
  const end = `<!-- fleet:${id}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  const heading = '\n## Fleet';
  let h = doc.indexOf(heading);
  if (h < 0) {
    doc = `${doc.trimEnd()}\n\n## Fleet: the control plane's cost, Metacontroller + hook against the operator\n`;
    h = doc.indexOf(heading);
  }
  // The end of the Fleet section: the next level-2 heading after it, or the end of the document.
  const next = doc.indexOf('\n## ', h + heading.length);
  const at = next < 0 ? doc.length : next;
  return `${doc.slice(0, at).trimEnd()}\n\n${block}\n${next < 0 ? '' : '\n'}${doc.slice(at).replace(/^\n+/, '')}`;
}

// ---- the fleet table ----------------------------------------------------------------------------------

export type Controller = 'metacontroller' | 'operator';

/** CPU-seconds by process name (metacontroller, hook, operator, kube-apiserver, etcd). */
export type Cpu = Record<string, number>;

export interface Phase {
  /** Wall-clock bounds (ms since the epoch) for the audit log. */
  from: number;
  to: number;
  /** Seconds from the phase's start until each RisingWave got there (Running, rolled, children gone). */
  times: number[];
  /** RisingWaves that did not get there before the phase's timeout. */
  missing: number;
  cpu: Cpu;
  hookSyncs?: number;
  audit?: AuditWindow;
}

export interface Idle {
  from: number;
  to: number;
  cpu: Cpu;
  hookSyncs?: number;
  /** apiserver_request_total over the window, all clients, `VERB resource` -> count. */
  apiserver: Map<string, number>;
  audit?: AuditWindow;
}

export interface FleetRun {
  controller: Controller;
  /** Display name with version, e.g. `Metacontroller v4.17.2 + hook`. */
  name: string;
  n: number;
  /** Extra settings of this run (e.g. Metacontroller's args). */
  settings: string;
  create: Phase;
  idle: Idle;
  upgrade: Phase;
  remove: Phase;
  /** Peak resident set (VmHWM) in MiB by process. */
  peakRssMiB: Record<string, number>;
  load: { before: number[]; after: number[] };
}

/** The processes that are the controller: Metacontroller + hook, or the operator. */
export const CONTROLLER_PROCESSES: Record<Controller, string[]> = { metacontroller: ['metacontroller', 'hook'], operator: ['operator'] };

const times = (p: Phase): string => {
  const t = `${fmt(percentile(p.times, 50))} / ${fmt(percentile(p.times, 95))} / ${fmt(percentile(p.times, 100))}`;
  return p.missing > 0 ? `${t} (${p.missing} not within the timeout)` : t;
};
const cpuOf = (cpu: Cpu, procs: readonly string[]): number => sum(procs.map((p) => cpu[p] ?? 0));
const split = (cpu: Cpu, procs: readonly string[], digits = 1): string =>
  procs.length === 1 ? fmt(cpu[procs[0]!], digits) : `${fmt(cpuOf(cpu, procs), digits)} (${procs.map((p) => `${p} ${fmt(cpu[p], digits)}`).join(', ')})`;
const perMin = (count: number, ms: number): number => (count * 60_000) / ms;
const clientName = (c: Controller) => c;

/** The side-by-side table (one column per run) and the at-rest request breakdown. */
export function renderFleet(runs: readonly FleetRun[]): string {
  const head = ['', ...runs.map((r) => r.name)];
  const procs = (r: FleetRun) => CONTROLLER_PROCESSES[r.controller];
  const row = (label: string, cell: (r: FleetRun) => string): string[] => [label, ...runs.map(cell)];
  const idleMs = (r: FleetRun) => r.idle.to - r.idle.from;
  const auditCount = (w: AuditWindow | undefined, client: string) => (w ? (w.byClient.get(client) ?? 0) : NaN);
  const writes = (w: AuditWindow | undefined, client: string) => (w ? sum(writesOf(w, client).values()) : NaN);
  const rows = [
    row('RisingWaves', (r) => String(r.n)),
    row('create all at once → Running, s (p50 / p95 / max)', (r) => times(r.create)),
    row("controller's API requests while creating (writes), per RisingWave", (r) =>
      `${fmt(auditCount(r.create.audit, clientName(r.controller)) / r.n)} (${fmt(writes(r.create.audit, clientName(r.controller)) / r.n)})`,
    ),
    row('CPU-s while creating', (r) => split(r.create.cpu, procs(r))),
    row('at rest: API requests/min, all clients (apiserver_request_total)', (r) => fmt(perMin(sum(r.idle.apiserver.values()), idleMs(r)))),
    row("at rest: the controller's API requests/min (audit log, by user agent)", (r) => fmt(perMin(auditCount(r.idle.audit, clientName(r.controller)), idleMs(r)), 2)),
    row('at rest: CPU-s/min', (r) => split(Object.fromEntries(Object.entries(r.idle.cpu).map(([k, v]) => [k, perMin(v, idleMs(r))])), procs(r), 3)),
    row('at rest: hook syncs/min', (r) => (r.idle.hookSyncs === undefined ? '—' : fmt(perMin(r.idle.hookSyncs, idleMs(r)), 2))),
    row('image upgrade of all → rolled, s (p50 / p95 / max)', (r) => times(r.upgrade)),
    row("controller's writes per RisingWave for the upgrade", (r) =>
      r.upgrade.audit ? `${fmt(writes(r.upgrade.audit, clientName(r.controller)) / r.n)}: ${topCounts(writesOf(r.upgrade.audit, clientName(r.controller)), 8, 1 / r.n)}` : '—',
    ),
    row('CPU-s during the upgrade', (r) => split(r.upgrade.cpu, procs(r))),
    row('delete all → children gone, s (p50 / p95 / max)', (r) => times(r.remove)),
    row('CPU-s during the deletion', (r) => split(r.remove.cpu, procs(r))),
    row('peak RSS, MiB (VmHWM)', (r) => split(r.peakRssMiB, procs(r), 0)),
    row('hook syncs: create / upgrade / delete', (r) =>
      r.create.hookSyncs === undefined ? '—' : `${r.create.hookSyncs} / ${r.upgrade.hookSyncs ?? '—'} / ${r.remove.hookSyncs ?? '—'}`,
    ),
    row('kube-apiserver + etcd CPU-s: create / at rest per min / upgrade / delete', (r) => {
      const cp = ['kube-apiserver', 'etcd'];
      return `${fmt(cpuOf(r.create.cpu, cp))} / ${fmt(perMin(cpuOf(r.idle.cpu, cp), idleMs(r)), 2)} / ${fmt(cpuOf(r.upgrade.cpu, cp))} / ${fmt(cpuOf(r.remove.cpu, cp))}`;
    }),
    row('load average (1 min) before → after', (r) => `${fmt(r.load.before[0], 2)} → ${fmt(r.load.after[0], 2)}`),
  ];
  const main = table(head, rows, ['l', ...runs.map(() => 'r' as const)]);
  const rest = table(
    ['at rest, requests/min', ...runs.map((r) => r.name)],
    [
      row('all clients, by verb and resource (apiserver_request_total)', (r) => topCounts(r.idle.apiserver, 8, 60_000 / idleMs(r), 2)),
      row('by client (audit log)', (r) => (r.idle.audit ? topCounts(r.idle.audit.byClient, 8, 60_000 / idleMs(r), 2) : '—')),
      row('the controller, by verb and resource (audit log)', (r) => (r.idle.audit ? topCounts(requestsOf(r.idle.audit, clientName(r.controller)), 8, 60_000 / idleMs(r), 2) : '—')),
    ],
    ['l', ...runs.map(() => 'l' as const)],
  );
  return `${main}\n\n${rest}`;
}
