import { describe, expect, it } from 'vitest';
import {
  auditWindow,
  clientOf,
  diffCounts,
  parseAuditLine,
  parseCounter,
  percentile,
  renderFleet,
  replaceBlock,
  requestsByVerbResource,
  topCounts,
  writesOf,
  type FleetRun,
  type Phase,
} from '../../bench/fleet/report.js';

const APISERVER = `# HELP apiserver_request_total [STABLE] Counter of apiserver requests
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="statefulsets",scope="resource",subresource="",verb="PUT",version="v1"} 7
apiserver_request_total{code="409",component="apiserver",dry_run="",group="apps",resource="statefulsets",scope="resource",subresource="",verb="PUT",version="v1"} 2
apiserver_request_total{code="200",component="apiserver",dry_run="",group="risingwave.risingwavelabs.com",resource="risingwaves",scope="resource",subresource="status",verb="PUT",version="v1alpha1"} 3
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="",scope="",subresource="/healthz",verb="GET",version=""} 5
apiserver_request_total_other{verb="PUT"} 100
`;

describe('Prometheus text', () => {
  it('sums one family by its label text and ignores families that only share a prefix', () => {
    const c = parseCounter(APISERVER, 'apiserver_request_total');
    expect(c.size).toBe(4);
    expect([...c.values()].reduce((a, b) => a + b)).toBe(17);
  });

  it('groups apiserver_request_total by verb and resource/subresource, codes together', () => {
    expect(requestsByVerbResource(APISERVER)).toEqual(
      new Map([
        ['PUT statefulsets', 9],
        ['PUT risingwaves/status', 3],
        ['GET (non-resource)//healthz', 5],
      ]),
    );
  });

  it('diffs two snapshots, dropping what did not change', () => {
    const a = new Map([
      ['x', 1],
      ['y', 2],
    ]);
    const b = new Map([
      ['x', 1],
      ['y', 5],
      ['z', 1],
    ]);
    expect(diffCounts(a, b)).toEqual(
      new Map([
        ['y', 3],
        ['z', 1],
      ]),
    );
  });
});

describe('percentile', () => {
  it('is the nearest rank, NaN for no values', () => {
    const v = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 100)).toBe(10);
    expect(percentile([3], 95)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('audit log', () => {
  const line = (stage: string, ua: string, verb: string, at: string, ref?: object) =>
    JSON.stringify({ kind: 'Event', stage, userAgent: ua, verb, stageTimestamp: at, ...(ref ? { objectRef: ref } : {}) });

  it('names the client by the binary in its user agent', () => {
    expect(clientOf('metacontroller/v0.0.0 (linux/amd64) kubernetes/$Format')).toBe('metacontroller');
    expect(clientOf('manager/v0.0.0 (linux/amd64) kubernetes/$Format')).toBe('operator');
    expect(clientOf('kube-controller-manager/v1.36.3 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:generic-garbage-collector')).toBe('kube-controller-manager');
    expect(clientOf('kubectl/v1.36.3 (linux/amd64) kubernetes/abc')).toBe('bench');
    expect(clientOf(undefined)).toBe('bench');
    expect(clientOf('Go-http-client/2.0')).toBe('Go-http-client');
  });

  it('reads ResponseComplete events only, with resource/subresource', () => {
    expect(parseAuditLine(line('ResponseStarted', 'metacontroller/v0', 'watch', '2026-12-04T10:00:00.000000Z'))).toBeUndefined();
    expect(parseAuditLine('not json')).toBeUndefined();
    expect(parseAuditLine(line('ResponseComplete', 'metacontroller/v0', 'update', '2026-12-04T10:00:01.500000Z', { resource: 'risingwaves', subresource: 'status' }))).toEqual({
      at: Date.parse('2026-12-04T10:00:01.500Z'),
      client: 'metacontroller',
      verb: 'update',
      resource: 'risingwaves/status',
    });
    expect(parseAuditLine(line('ResponseComplete', 'kwok/v0.8.0', 'get', '2026-12-04T10:00:02Z'))?.resource).toBe('(non-resource)');
  });

  it('counts a window by client and the writes of one client', () => {
    const events = [
      line('ResponseComplete', 'metacontroller/v0', 'update', '2026-12-04T10:00:01Z', { resource: 'statefulsets' }),
      line('ResponseComplete', 'metacontroller/v0', 'update', '2026-12-04T10:00:02Z', { resource: 'statefulsets' }),
      line('ResponseComplete', 'metacontroller/v0', 'list', '2026-12-04T10:00:03Z', { resource: 'statefulsets' }),
      line('ResponseComplete', 'kwok/v0', 'patch', '2026-12-04T10:00:03Z', { resource: 'pods', subresource: 'status' }),
      line('ResponseComplete', 'metacontroller/v0', 'update', '2026-12-04T10:00:09Z', { resource: 'statefulsets' }),
    ].map((l) => parseAuditLine(l)!);
    const w = auditWindow(events, Date.parse('2026-12-04T10:00:00Z'), Date.parse('2026-12-04T10:00:09Z'));
    expect(w.byClient).toEqual(
      new Map([
        ['metacontroller', 3],
        ['kwok', 1],
      ]),
    );
    expect(writesOf(w, 'metacontroller')).toEqual(new Map([['update statefulsets', 2]]));
    expect(writesOf(w, 'kwok')).toEqual(new Map([['patch pods/status', 1]]));
  });
});

describe('Markdown', () => {
  it('lists counts from the largest, scaled, and says how many more there were', () => {
    const m = new Map([
      ['a', 1],
      ['b', 30],
      ['c', 0],
      ['d', 3],
    ]);
    expect(topCounts(m, 2, 0.5)).toBe('b 15.0, d 1.5, +1 more');
    expect(topCounts(new Map())).toBe('0');
  });

  it('replaces its own block and keeps the text around it, or adds the block to the Fleet section', () => {
    let doc = '# Benchmarks\n\ntext\n\n## Soak\n\nsoak text\n';
    doc = replaceBlock(doc, 'n10', 'first');
    expect(doc).toBe(
      '# Benchmarks\n\ntext\n\n## Soak\n\nsoak text\n\n## Fleet: the control plane\'s cost, Metacontroller + hook against the operator\n\n<!-- fleet:n10:start -->\nfirst\n<!-- fleet:n10:end -->\n',
    );
    doc = replaceBlock(doc, 'n100', 'second');
    doc = `${doc}\nA reading written by hand.\n\n## Later section\n`;
    doc = replaceBlock(doc, 'n10', 'first again');
    expect(doc).toContain('<!-- fleet:n10:start -->\nfirst again\n<!-- fleet:n10:end -->\n\n<!-- fleet:n100:start -->\nsecond\n<!-- fleet:n100:end -->\n\nA reading written by hand.');
    doc = replaceBlock(doc, 'n300', 'third');
    // A new block goes at the end of the Fleet section, before the next section.
    expect(doc).toMatch(/A reading written by hand\.\n\n<!-- fleet:n300:start -->\nthird\n<!-- fleet:n300:end -->\n\n## Later section\n$/);
  });

  it('renders the side-by-side table from two runs', () => {
    const phase = (times: number[], cpu: Record<string, number>, extra: Partial<Phase> = {}): Phase => ({ from: 0, to: 1000, times, missing: 0, cpu, ...extra });
    const audit = (entries: Array<[string, number]>) => {
      const byClientVerbResource = new Map(entries);
      const byClient = new Map<string, number>();
      for (const [k, v] of entries) byClient.set(k.split(' ')[0]!, (byClient.get(k.split(' ')[0]!) ?? 0) + v);
      return { byClient, byClientVerbResource };
    };
    const mc: FleetRun = {
      controller: 'metacontroller',
      name: 'MC + hook',
      n: 2,
      settings: '',
      create: phase([10, 20], { metacontroller: 1, hook: 0.5, 'kube-apiserver': 3, etcd: 1 }, { hookSyncs: 8, audit: audit([['metacontroller create statefulsets', 6], ['metacontroller list pods', 2]]) }),
      idle: { from: 0, to: 120_000, cpu: { metacontroller: 0.2, hook: 0.02, 'kube-apiserver': 2, etcd: 1 }, hookSyncs: 0, apiserver: new Map([['PUT leases', 12]]), audit: audit([['metacontroller get (non-resource)', 6]]) },
      upgrade: phase([5, 7], { metacontroller: 1, hook: 1 }, { hookSyncs: 10, audit: audit([['metacontroller update statefulsets', 6], ['metacontroller update risingwaves/status', 4]]) }),
      remove: phase([3, 4], { metacontroller: 0.1, hook: 0 }, { hookSyncs: 0 }),
      peakRssMiB: { metacontroller: 40, hook: 90 },
      load: { before: [1.5, 1, 1], after: [2, 1, 1] },
    };
    const op: FleetRun = {
      ...mc,
      controller: 'operator',
      name: 'operator',
      create: phase([8, 9], { operator: 0.7 }, { missing: 1 }),
      idle: { ...mc.idle, cpu: { operator: 0.1 }, hookSyncs: undefined, audit: audit([]) },
      upgrade: phase([4, 6], { operator: 0.5 }, { audit: audit([['operator update statefulsets', 6]]) }),
      remove: phase([3, 3], { operator: 0.1 }),
      peakRssMiB: { operator: 50 },
    };
    const md = renderFleet([mc, op]);
    const lines = md.split('\n');
    expect(lines[0]).toBe('|  | MC + hook | operator |');
    expect(lines[1]).toBe('|---|---:|---:|');
    expect(md).toContain('| create all at once → Running, s (p50 / p95 / max) | 10.0 / 20.0 / 20.0 | 8.0 / 9.0 / 9.0 (1 not within the timeout) |');
    expect(md).toContain("| controller's API requests while creating (writes), per RisingWave | 4.0 (3.0) | — (—) |");
    expect(md).toContain('| at rest: CPU-s/min | 0.110 (metacontroller 0.100, hook 0.010) | 0.050 |');
    expect(md).toContain("| at rest: the controller's API requests/min (audit log, by user agent) | 3.00 | 0.00 |");
    expect(md).toContain("| controller's writes per RisingWave for the upgrade | 5.0: update statefulsets 3.0, update risingwaves/status 2.0 | 3.0: update statefulsets 3.0 |");
    expect(md).toContain('| peak RSS, MiB (VmHWM) | 130 (metacontroller 40, hook 90) | 50 |');
    expect(md).toContain('| hook syncs: create / upgrade / delete | 8 / 10 / 0 | — |');
    expect(md).toContain('| at rest: hook syncs/min | 0.00 | — |');
    expect(md).toContain('| load average (1 min) before → after | 1.50 → 2.00 | 1.50 → 2.00 |');
  });
});
