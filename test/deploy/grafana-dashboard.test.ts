import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { RisingWave } from '../../src/api/risingwave.js';
import { LABEL_COMPONENT, LABEL_GROUP, LABEL_NAME } from '../../src/builders/labels.js';
import { serviceMonitor } from '../../src/builders/service-monitor.js';
import { createMetrics } from '../../src/server/metrics.js';
import { metricNames, selectors, templateVariables, variableQueryPromql, type Selector } from './promql.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OVERLAY = join(ROOT, 'metacontroller/overlays/monitoring');
const COMPONENT_JSON = join(ROOT, 'metacontroller/components/grafana-dashboard/risingwave-hook.json');
const DATASOURCE = '${datasource}';

/**
 * kube-state-metrics series the dashboard may read (docs/metrics/workload/{statefulset,deployment,pod}-metrics.md
 * in kubernetes/kube-state-metrics; all STABLE). The `_labels` ones carry `label_<sanitised key>` only for keys
 * allowlisted with `--metric-labels-allowlist`.
 */
const KUBE_STATE_METRICS = new Set([
  'kube_statefulset_labels',
  'kube_statefulset_replicas',
  'kube_statefulset_status_replicas_ready',
  'kube_deployment_labels',
  'kube_deployment_spec_replicas',
  'kube_deployment_status_replicas_available',
  'kube_pod_labels',
  'kube_pod_container_status_restarts_total',
]);

/**
 * RisingWave's own series the dashboard may read, each as RisingWave's dashboards query it
 * (risingwavelabs/risingwave, grafana/dashboard/user/overview.py: "Node Count", "Barrier Latency",
 * "Source Throughput(rows/s)", "Active Sessions"; grafana/dashboard/user/memory.py and cpu.py: "Node Memory",
 * "Node CPU Usage").
 */
const RISINGWAVE_METRICS = new Set([
  'worker_num',
  'meta_barrier_duration_seconds_bucket',
  'stream_source_output_rows_counts',
  'frontend_active_sessions',
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
]);

/** The keys the hook puts on every workload and pod (src/builders/labels.ts), as kube-state-metrics would carry them. */
const SHIPPED_LABELS = [LABEL_NAME, LABEL_COMPONENT, LABEL_GROUP];

/** Prometheus's own, synthesised per target. */
const PROMETHEUS_METRICS = new Set(['up']);

/** The scrape scopes: every selector names exactly one, through these matchers. */
const HOOK_SCOPE = { job: { op: '=~', value: '$hook_job' } };
const RISINGWAVE_SCOPE = { namespace: { op: '=~', value: '$namespace' }, risingwave_name: { op: '=~', value: '$risingwave' } };
const KUBE_SCOPE = { namespace: { op: '=~', value: '$namespace' } };

type Obj = Record<string, any>;

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('test/deploy/grafana-dashboard.test.ts: the rendering tests are SKIPPED, `kubectl` is not on PATH');

/** Series names as scraped: a histogram is only its `_bucket`, `_sum` and `_count` series. */
async function hookSeries(): Promise<{ all: Set<string>; families: string[] }> {
  const { registry } = createMetrics();
  const metrics = await registry.getMetricsAsJSON();
  const all = new Set<string>();
  for (const m of metrics) {
    const type = String(m.type);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) all.add(`${m.name}${s}`);
    else if (type === 'summary') for (const s of ['', '_sum', '_count']) all.add(`${m.name}${s}`);
    else all.add(m.name);
  }
  return { all, families: metrics.map((m) => m.name).filter((n) => n.startsWith('rw_hook_')) };
}

/** Panels at every depth: a collapsed row keeps its panels inside it. */
function allPanels(dashboard: Obj): Obj[] {
  return (dashboard.panels as Obj[]).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every string anywhere in the dashboard, for variable references. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** kube-state-metrics and Prometheus turn a label key into a label name this way. */
function sanitise(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

function matches(selector: Selector, scope: Record<string, { op: string; value: string }>): boolean {
  return Object.entries(scope).every(([label, m]) => selector.matchers[label]?.op === m.op && selector.matchers[label]?.value === m.value);
}

describe('PromQL reading used by the dashboard test', () => {
  it('finds metric names and skips functions, aggregations, keywords, labels, strings, ranges and variables', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, outcome) (rate(a_bucket{job=~"$j", x="sum(b)"}[$__rate_interval])))')).toEqual(['a_bucket']);
    expect(metricNames('max by (ns, sts) (a{n="x"}) * on (ns, sts) group_left (label_c, d) max by (ns) (b_labels{l=~"$v"})')).toEqual(['a', 'b_labels']);
    expect(metricNames('sum(rate(a[5m] offset 1h)) / ignoring(code) sum(b) or vector(0) > bool 1e3')).toEqual(['a', 'b']);
    expect(metricNames("label_replace(up, 'dst', '$1', 'src', '(.*)') unless on() c")).toEqual(['up', 'c']);
    expect(metricNames('rate(a[${__range}]) + b[[interval]]')).toEqual(['a', 'b']);
    expect(metricNames('sum without (pod) (a) and topk(3, b)')).toEqual(['a', 'b']);
  });

  it('rejects an unknown function instead of taking it for a metric', () => {
    expect(() => metricNames('sum(rat(a[5m]))')).toThrow(/rat\(\)/);
  });

  it('reads selectors with their matchers, including escaped quotes and commas in values', () => {
    expect(selectors('a{x="1,2", y!~"q\\"r"} + b + c{}')).toEqual([
      { metric: 'a', matchers: { x: { op: '=', value: '1,2' }, y: { op: '!~', value: 'q"r' } } },
      { metric: 'c', matchers: {} },
    ]);
  });

  it('reads the PromQL of variable queries and the variables of any text', () => {
    expect(variableQueryPromql('label_values(a{x=~"$ns", y=","}, lbl)')).toBe('a{x=~"$ns", y=","}');
    expect(variableQueryPromql('label_values(namespace)')).toBe('');
    expect(variableQueryPromql('query_result(max(a))')).toBe('max(a)');
    expect(templateVariables('a{x=~"$ns"}[$__rate_interval] ${ds} ${fmt:csv} [[old]] $ns')).toEqual(['ns', 'ds', 'fmt', 'old']);
  });
});

describe('Grafana dashboard component', () => {
  it('the committed JSON is valid JSON with a stable uid', () => {
    const dashboard = JSON.parse(readFileSync(COMPONENT_JSON, 'utf8')) as Obj;
    expect(dashboard.uid).toBe('risingwave-metacontroller-hook');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  describe.skipIf(!hasKubectl)('rendered by kubectl kustomize (overlays/monitoring)', () => {
    let configMap: Obj;
    let dashboard: Obj;
    let hook: Awaited<ReturnType<typeof hookSeries>>;
    /** [panel title, expr] for every target of every panel. */
    let exprs: Array<[string, string]>;

    beforeAll(async () => {
      const out = execFileSync('kubectl', ['kustomize', OVERLAY], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const objs = parseAllDocuments(out).map((d) => d.toJS() as Obj);
      const maps = objs.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined);
      expect(maps).toHaveLength(1);
      configMap = maps[0]!;
      const files = Object.keys(configMap.data ?? {});
      expect(files).toEqual(['risingwave-hook.json']);
      dashboard = JSON.parse(configMap.data[files[0]!]) as Obj;
      hook = await hookSeries();
      exprs = allPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t: Obj) => [p.title, t.expr] as [string, string]));
    });

    it('is a ConfigMap the Grafana sidecar picks up by its default label, under a fixed name', () => {
      expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
      expect(configMap.metadata.name).toBe('risingwave-hook-grafana-dashboard');
      expect(configMap.metadata.namespace).toBe('risingwave-hook');
      expect(configMap.metadata.annotations?.['k8s-sidecar-target-directory']).toBe('RisingWave');
      // The same bytes as the committed file: nothing is templated on the way.
      expect(configMap.data['risingwave-hook.json']).toBe(readFileSync(COMPONENT_JSON, 'utf8'));
    });

    it('has a Prometheus datasource variable and the namespace, risingwave and hook_job filters', () => {
      const vars = dashboard.templating.list as Obj[];
      expect(vars.map((v) => v.name)).toEqual(['datasource', 'namespace', 'risingwave', 'hook_job']);
      expect(vars[0]).toMatchObject({ type: 'datasource', query: 'prometheus' });
      for (const v of vars.slice(1)) {
        expect(v.type, v.name).toBe('query');
        expect(v.datasource, v.name).toEqual({ type: 'prometheus', uid: DATASOURCE });
        expect(v.query.query, v.name).toBe(v.definition);
        // With "All", an empty list (e.g. no allowlist yet) must still match every series.
        expect(v.allValue, v.name).toBe('.+');
      }
    });

    it('defines every variable it references, before the variables that use it', () => {
      const defined = (dashboard.templating.list as Obj[]).map((v) => v.name as string);
      const used = templateVariables(strings(dashboard.panels).join('\n'));
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(defined, `$${name}`).toContain(name);
      (dashboard.templating.list as Obj[]).forEach((v, i) => {
        for (const name of templateVariables(strings(v).join('\n'))) expect(defined.indexOf(name), `${v.name} uses $${name}`).toBeLessThan(i);
      });
    });

    it('gives every panel a unique id, a grid position inside 24 columns, and the datasource variable', () => {
      const panels = allPanels(dashboard);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels) {
        const { h, w, x, y } = p.gridPos ?? {};
        for (const n of [h, w, x, y]) expect(Number.isInteger(n), `${p.title} gridPos`).toBe(true);
        expect(x + w, p.title).toBeLessThanOrEqual(24);
        if (p.type === 'row') {
          expect(p.targets, p.title).toBeUndefined();
          continue;
        }
        expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: DATASOURCE });
        expect(p.targets.length, p.title).toBeGreaterThan(0);
        const refIds = p.targets.map((t: Obj) => t.refId);
        expect(new Set(refIds).size, p.title).toBe(refIds.length);
        for (const t of p.targets) expect(t.datasource, p.title).toEqual(p.datasource);
      }
      // A row takes a whole line of its own; a panel on that line would be drawn over it.
      const top = dashboard.panels as Obj[];
      for (const row of top.filter((p) => p.type === 'row')) {
        expect(row.gridPos, row.title).toMatchObject({ x: 0, w: 24, h: 1 });
        for (const p of top) if (p !== row) expect(p.gridPos.y, `${p.title} is on the line of row ${row.title}`).not.toBe(row.gridPos.y);
      }
    });

    it('queries only metrics that the hook, RisingWave, kube-state-metrics or Prometheus expose', () => {
      const allowed = new Set([...hook.all, ...RISINGWAVE_METRICS, ...KUBE_STATE_METRICS, ...PROMETHEUS_METRICS]);
      expect(exprs.length).toBeGreaterThan(20);
      for (const [title, expr] of exprs) {
        const names = metricNames(expr);
        expect(names.length, `${title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) expect(allowed.has(name), `${title}: ${name} is not exposed by anything the dashboard reads`).toBe(true);
      }
      for (const v of dashboard.templating.list as Obj[]) {
        if (v.type !== 'query') continue;
        for (const name of metricNames(variableQueryPromql(v.query.query))) expect(allowed.has(name), `$${v.name}: ${name}`).toBe(true);
      }
    });

    it('scopes every selector: hook series by $hook_job, RisingWave series by $namespace and $risingwave, kube-state-metrics by $namespace', () => {
      for (const [title, expr] of exprs) {
        const found = selectors(expr);
        // Every metric name sits in a selector, so none escapes the scope check.
        expect(found.map((s) => s.metric), `${title}: ${expr}`).toEqual(metricNames(expr));
        for (const s of found) {
          const at = `${title}: ${s.metric}`;
          if (matches(s, HOOK_SCOPE)) expect(hook.all.has(s.metric), at).toBe(true);
          else if (matches(s, RISINGWAVE_SCOPE)) expect(RISINGWAVE_METRICS.has(s.metric), at).toBe(true);
          else if (matches(s, KUBE_SCOPE) && KUBE_STATE_METRICS.has(s.metric)) {
            // Only the labels series knows which RisingWave a workload belongs to.
            if (s.metric.endsWith('_labels')) expect(s.matchers.label_risingwave_name, at).toEqual({ op: '=~', value: '$risingwave' });
          } else expect.fail(`${at} carries none of the dashboard's scopes: ${JSON.stringify(s.matchers)}`);
        }
        // A kube-state-metrics number alone cannot be filtered by RisingWave; it is joined to its labels series.
        const kube = found.filter((s) => KUBE_STATE_METRICS.has(s.metric));
        if (kube.length > 0) expect(kube.some((s) => s.metric.endsWith('_labels')), `${title} joins a kube_*_labels series`).toBe(true);
      }
    });

    it('shows every rw_hook_* series the hook registers', () => {
      const used = new Set(exprs.flatMap(([, expr]) => metricNames(expr)));
      expect(hook.families.length).toBeGreaterThanOrEqual(5);
      for (const family of hook.families) {
        expect([...used].some((name) => name === family || name.startsWith(`${family}_`)), `${family} has no panel`).toBe(true);
      }
    });

    it('filters RisingWave series by the labels its ServiceMonitor attaches, and reads none that it drops', () => {
      const rw = { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', kind: 'RisingWave', metadata: { name: 'n', namespace: 'ns' }, spec: {} };
      const sm = serviceMonitor({ rw: rw as unknown as RisingWave, operatorVersion: 'v', maxUnavailableStatefulSet: false });
      const targetLabels = (sm.spec.targetLabels ?? []).map(sanitise);
      expect(targetLabels).toContain('risingwave_name');
      const used = exprs.flatMap(([, expr]) => selectors(expr)).filter((s) => matches(s, RISINGWAVE_SCOPE));
      expect(used.length).toBeGreaterThan(0);
      const grouped = exprs.flatMap(([, expr]) => [...expr.matchAll(/\brisingwave_[a-z_]+\b/g)].map((m) => m[0]));
      for (const label of grouped) expect(targetLabels, label).toContain(label);
      const drops = sm.spec.endpoints!.flatMap((e) => e.metricRelabelings ?? []).filter((r) => r.action === 'drop');
      expect(drops.length).toBeGreaterThan(0);
      // Prometheus anchors relabel regexes at both ends.
      for (const metric of RISINGWAVE_METRICS) {
        for (const r of drops) expect(new RegExp(`^(?:${r.regex})$`).test(metric), `${metric} is dropped by ${r.regex}`).toBe(false);
      }
    });

    it('uses only workload labels the hook sets, and docs/operations.md allowlists each of them for kube-state-metrics', () => {
      const known = new Map(SHIPPED_LABELS.map((key) => [`label_${sanitise(key)}`, key]));
      const text = [...exprs.map(([, e]) => e), ...strings(dashboard.templating.list)].join('\n');
      const used = new Set([...text.matchAll(/\blabel_[a-z0-9_]+\b/g)].map((m) => m[0]).filter((l) => !['label_values', 'label_replace', 'label_join'].includes(l)));
      expect(used.size).toBeGreaterThan(0);
      for (const label of used) expect(known.has(label), `${label} is no label of the hook's workloads`).toBe(true);

      const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
      const flag = /--metric-labels-allowlist=(\S+)/.exec(doc);
      expect(flag, 'docs/operations.md gives the --metric-labels-allowlist flag').not.toBeNull();
      const allowlist = new Map([...flag![1]!.matchAll(/(\w+)=\[([^\]]*)\]/g)].map((m) => [m[1]!, m[2]!.split(',')]));
      const resources = new Set([...text.matchAll(/\bkube_(\w+?)_labels\b/g)].map((m) => `${m[1]}s`));
      expect([...resources].sort()).toEqual(['deployments', 'pods', 'statefulsets']);
      for (const resource of resources) {
        for (const label of used) expect(allowlist.get(resource) ?? [], `${resource} allowlists ${known.get(label)}`).toContain(known.get(label));
      }
    });
  });
});
