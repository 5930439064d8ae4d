import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { SETTINGS } from '../../src/server/config.js';
import { groupKeyOf } from '../../src/kube/kube-object.js';
import { compositeControllerProblems, parseGoDuration, webhookAddress } from './composite-controller.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE = join(ROOT, 'metacontroller');
const NAMESPACE = 'risingwave-hook';
const IMAGE = 'ghcr.io/risingwave-metacontroller/risingwave-hook';
const POD_LABELS = { 'app.kubernetes.io/name': 'risingwave-hook', 'app.kubernetes.io/component': 'hook' };
const PART_OF = 'risingwave-metacontroller';
const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'CompositeController']);
/** `serve()` (src/server/main.ts) forces an exit SHUTDOWN_DELAY_MS + HANDLER_TIMEOUT_MS + this after SIGTERM. */
const FORCED_EXIT_MARGIN_MS = 5_000;
const SETTING_DEFAULTS = new Map(SETTINGS.map((s) => [s.name, s.default]));

/** The child types the hook emits, keyed the way Metacontroller keys `children` (`Kind.apiVersion`). */
const HOOK_CHILD_KEYS = [ConfigMap, Service, StatefulSet, Deployment, HorizontalPodAutoscaler].map((m) => groupKeyOf({ apiVersion: m.apiVersion, kind: m.kind }));
const SERVICE_MONITOR_KEY = groupKeyOf({ apiVersion: ServiceMonitor.apiVersion, kind: ServiceMonitor.kind });

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('test/deploy/kustomize.test.ts: SKIPPED, `kubectl` (with built-in kustomize) is not on PATH');

type Obj = Record<string, any>;

function renderDir(dir: string): Obj[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => d.toJS() as Obj);
}

function find(objs: Obj[], kind: string, name?: string): Obj {
  const hits = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(hits, `${kind}${name ? `/${name}` : ''}`).toHaveLength(1);
  return hits[0]!;
}

const VALIDATORS: Record<string, (o: Obj) => void> = {
  Namespace: (o) => new Namespace(o as any).validate(),
  ServiceAccount: (o) => new ServiceAccount(o as any).validate(),
  Service: (o) => new Service(o as any).validate(),
  Secret: (o) => new Secret(o as any).validate(),
  Deployment: (o) => new Deployment(o as any).validate(),
  PodDisruptionBudget: (o) => new PodDisruptionBudget(o as any).validate(),
  NetworkPolicy: (o) => new NetworkPolicy(o as any).validate(),
  ServiceMonitor: (o) => new ServiceMonitor(o as any).validate(),
  ConfigMap: (o) => new ConfigMap(o as any).validate(),
  CustomResourceDefinition: (o) => new CustomResourceDefinition(o as any).validate(),
  CompositeController: (o) => expect(compositeControllerProblems(o)).toEqual([]),
};

/** Kustomization keys kustomize v5 deprecates (`kustomize edit fix` rewrites them). */
const DEPRECATED_KEYS = ['commonLabels', 'bases', 'patchesStrategicMerge', 'patchesJson6902', 'vars', 'imageTags'];

function kustomizationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return kustomizationFiles(path);
    return /^kustomization\.ya?ml$/.test(name) ? [path] : [];
  });
}

function mebibytes(q: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(q);
  if (!m) throw new Error(`memory limit ${q} is not in Mi or Gi`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

function envOf(container: Obj): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e: Obj) => [e.name, e.value]));
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

describe.skipIf(!hasKubectl)('metacontroller/ kustomize package (kubectl kustomize)', () => {
  const rendered: Record<string, Obj[]> = {};
  let scratch = '';

  beforeAll(() => {
    rendered.root = renderDir(PACKAGE);
    rendered.base = renderDir(join(PACKAGE, 'base'));
    rendered['with-servicemonitor'] = renderDir(join(PACKAGE, 'overlays/with-servicemonitor'));
    rendered.monitoring = renderDir(join(PACKAGE, 'overlays/monitoring'));
    // The auth overlay reads a token file that is never committed: render a copy of the tree with a test token.
    scratch = mkdtempSync(join(tmpdir(), 'rw-kustomize-'));
    cpSync(PACKAGE, join(scratch, 'metacontroller'), { recursive: true });
    cpSync(join(ROOT, 'crds'), join(scratch, 'crds'), { recursive: true });
    writeFileSync(join(scratch, 'metacontroller/overlays/auth/token'), 'test-token');
    rendered.auth = renderDir(join(scratch, 'metacontroller/overlays/auth'));
    // Five kustomize runs: on a busy 2-core machine they outlast vitest's 10 s hook default.
  }, 120_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const VARIANTS = ['root', 'base', 'with-servicemonitor', 'monitoring', 'auth'] as const;
  /** The variants that include components/servicemonitor. */
  const SCRAPED = new Set<string>(['with-servicemonitor', 'monitoring']);

  it('metacontroller/ renders exactly the base', () => {
    expect(rendered.root).toEqual(rendered.base);
  });

  describe.each(VARIANTS)('%s', (variant) => {
    const objs = () => rendered[variant]!;

    it('validates every object against its schema, and knows every kind it renders', () => {
      expect(objs().length).toBeGreaterThan(0);
      for (const o of objs()) {
        const validate = VALIDATORS[o.kind];
        expect(validate, `no validator for ${o.kind}`).toBeDefined();
        validate!(o);
      }
    });

    it('puts namespaced objects in risingwave-hook and leaves cluster-scoped ones without a namespace', () => {
      const ids = new Set<string>();
      for (const o of objs()) {
        const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
        expect(ids.has(id), `duplicate ${id}`).toBe(false);
        ids.add(id);
        if (CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, id).toBeUndefined();
        else expect(o.metadata.namespace, id).toBe(NAMESPACE);
      }
      expect(find(objs(), 'Namespace').metadata.name).toBe(NAMESPACE);
    });

    it('labels every object part-of the package, but never a selector', () => {
      for (const o of objs()) expect(o.metadata.labels?.['app.kubernetes.io/part-of'], `${o.kind}/${o.metadata.name}`).toBe(PART_OF);
      const dep = find(objs(), 'Deployment');
      expect(dep.spec.selector.matchLabels).toEqual(POD_LABELS);
      expect(find(objs(), 'Service').spec.selector).toEqual(POD_LABELS);
      expect(find(objs(), 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(POD_LABELS);
    });

    it('installs the RisingWave CRD that the CompositeController watches, with the status subresource', () => {
      const cc = find(objs(), 'CompositeController');
      const crd = find(objs(), 'CustomResourceDefinition');
      const [group, version] = String(cc.spec.parentResource.apiVersion).split('/');
      expect(crd.spec.group).toBe(group);
      expect(crd.spec.names.plural).toBe(cc.spec.parentResource.resource);
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
      expect(crd.spec.scope).toBe('Namespaced');
      const served = crd.spec.versions.find((v: Obj) => v.name === version);
      expect(served?.served).toBe(true);
      // Without it Metacontroller ignores the CompositeController (reference §1).
      expect(served?.subresources?.status).toEqual({});
    });

    it('registers the hook as a v2 sync and customize hook on its own Service, well under the 10s timeout', () => {
      const cc = find(objs(), 'CompositeController', 'risingwave-controller');
      expect(cc.spec.parentResource).toEqual({ apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', resource: 'risingwaves' });
      expect(cc.spec.generateSelector).toBe(true);
      expect(Object.keys(cc.spec.hooks).sort()).toEqual(['customize', 'sync']);
      const svc = find(objs(), 'Service', 'risingwave-hook');
      const port = svc.spec.ports.find((p: Obj) => p.name === 'http');
      const container = find(objs(), 'Deployment').spec.template.spec.containers[0];
      const handlerTimeoutMs = Number(envOf(container).HANDLER_TIMEOUT_MS ?? SETTING_DEFAULTS.get('HANDLER_TIMEOUT_MS'));
      for (const [name, hook] of Object.entries<Obj>(cc.spec.hooks)) {
        expect(webhookAddress(hook.webhook)).toBe(`http://${svc.metadata.name}.${svc.metadata.namespace}:${port.port}/${name}`);
        // The hook gives up before Metacontroller does, so a stuck sync is cut off and logged by the hook.
        expect(handlerTimeoutMs).toBeLessThan(parseGoDuration(hook.webhook.timeout)!);
      }
    });

    it('lists exactly the child types the hook emits, each updated InPlace', () => {
      const cc = find(objs(), 'CompositeController');
      const expected = SCRAPED.has(variant) ? [...HOOK_CHILD_KEYS, SERVICE_MONITOR_KEY] : HOOK_CHILD_KEYS;
      const keys = cc.spec.childResources.map((rule: Obj) => {
        expect(rule.updateStrategy).toEqual({ method: 'InPlace' });
        const kind = expected.map((k) => k.split('.')[0]!).find((k) => `${k.toLowerCase()}s` === rule.resource);
        expect(kind, `rule for ${rule.resource}`).toBeDefined();
        return groupKeyOf({ kind: kind!, apiVersion: rule.apiVersion });
      });
      expect(keys.sort()).toEqual([...expected].sort());
    });

    it('runs two hardened replicas of the pinned image', () => {
      const dep = find(objs(), 'Deployment', 'risingwave-hook');
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      const pod = dep.spec.template.spec;
      expect(dep.spec.replicas).toBe(2);
      expect(dep.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      expect(matches(POD_LABELS, dep.spec.template.metadata.labels)).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(find(objs(), 'ServiceAccount').metadata.name);
      expect(find(objs(), 'ServiceAccount').automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const spread = pod.topologySpreadConstraints.find((c: Obj) => c.topologyKey === 'kubernetes.io/hostname');
      expect(spread.labelSelector.matchLabels).toEqual(POD_LABELS);
      expect(pod.containers).toHaveLength(1);
      const [c] = pod.containers;
      expect(c.image).toBe(`${IMAGE}:${pkg.version}`);
      expect(c.command).toBeUndefined();
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      const env = envOf(c);
      expect(env).toMatchObject({ NODE_ENV: 'production', PORT: '8080', HOST: '0.0.0.0' });
      // A misspelt setting would be silently ignored by the server.
      const known = new Set(['NODE_ENV', 'NODE_OPTIONS', ...SETTING_DEFAULTS.keys()]);
      // V8 would size its heap from the node's memory and be OOM-killed at the container's limit.
      const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(env.NODE_OPTIONS ?? '')?.[1]);
      expect(heapMiB).toBeLessThan(mebibytes(c.resources.limits.memory) * 0.8);
      for (const name of Object.keys(env)) expect(known.has(name), `${name} is not a hook setting (src/server/config.ts)`).toBe(true);
    });

    it('probes /healthz and /readyz on the http port and drains before SIGTERM', () => {
      const pod = find(objs(), 'Deployment').spec.template.spec;
      const [c] = pod.containers;
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      const preStop = c.lifecycle.preStop;
      expect(Object.keys(preStop)).toEqual(['sleep']);
      expect(preStop.sleep.seconds).toBe(5);
      const setting = (name: string) => Number(envOf(c)[name] ?? SETTING_DEFAULTS.get(name));
      const drainMs = setting('SHUTDOWN_DELAY_MS') + setting('HANDLER_TIMEOUT_MS') + FORCED_EXIT_MARGIN_MS;
      expect(drainMs).toBeGreaterThan(FORCED_EXIT_MARGIN_MS);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStop.sleep.seconds * 1000 + drainMs);
    });

    it('gives every directory the hook writes a writable volume (the root filesystem is read-only)', () => {
      const pod = find(objs(), 'Deployment').spec.template.spec;
      const [c] = pod.containers;
      const writable = c.volumeMounts.filter((m: Obj) => !m.readOnly).map((m: Obj) => m.mountPath as string);
      expect(writable).toContain('/tmp');
      expect(pod.volumes.find((v: Obj) => v.name === 'tmp').emptyDir).toBeDefined();
      const dirs = Object.entries(envOf(c)).filter(([k]) => k.endsWith('_DIR'));
      for (const [name, dir] of dirs) expect(writable.some((m: string) => dir === m || dir.startsWith(`${m}/`)), name).toBe(true);
    });

    it('keeps one replica through voluntary disruptions', () => {
      const pdb = find(objs(), 'PodDisruptionBudget');
      expect(pdb.spec.minAvailable).toBe(1);
      expect(pdb.spec.maxUnavailable).toBeUndefined();
    });

    it('admits Metacontroller only (plus Prometheus with the component), on port 8080', () => {
      const policies = objs().filter((o) => o.kind === 'NetworkPolicy');
      expect(policies.length).toBe(SCRAPED.has(variant) ? 2 : 1);
      const namespaces: string[] = [];
      for (const np of policies) {
        expect(np.spec.podSelector.matchLabels).toEqual(POD_LABELS);
        expect(np.spec.policyTypes).toEqual(['Ingress']);
        for (const rule of np.spec.ingress) {
          expect(rule.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
          for (const peer of rule.from) {
            expect(Object.keys(peer)).toEqual(['namespaceSelector']);
            namespaces.push(peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
          }
        }
      }
      expect(namespaces.sort()).toEqual(SCRAPED.has(variant) ? ['metacontroller', 'monitoring'] : ['metacontroller']);
    });

    it('ships the Grafana dashboard only with the grafana-dashboard component (test/deploy/grafana-dashboard.test.ts checks its content)', () => {
      const dashboards = objs().filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined);
      expect(dashboards.map((o) => o.metadata.name)).toEqual(variant === 'monitoring' ? ['risingwave-hook-grafana-dashboard'] : []);
    });

    it('scrapes the hook only when the servicemonitor component is enabled', () => {
      const monitors = objs().filter((o) => o.kind === 'ServiceMonitor');
      if (!SCRAPED.has(variant)) {
        expect(monitors).toEqual([]);
        return;
      }
      const [sm] = monitors;
      const svc = find(objs(), 'Service');
      expect(matches(sm.spec.selector.matchLabels, svc.metadata.labels)).toBe(true);
      expect(sm.spec.endpoints).toHaveLength(1);
      expect(svc.spec.ports.map((p: Obj) => p.name)).toContain(sm.spec.endpoints[0].port);
      expect(sm.spec.endpoints[0].path).toBe('/metrics');
    });
  });

  it('auth overlay: Metacontroller sends the token that the hook reads from the same Secret key', () => {
    const objs = rendered.auth!;
    const secret = find(objs, 'Secret');
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('test-token');
    const cc = find(objs, 'CompositeController');
    for (const hook of Object.values<Obj>(cc.spec.hooks)) {
      expect(hook.webhook.authorization).toEqual({
        type: 'Bearer',
        secretRef: { name: secret.metadata.name, namespace: secret.metadata.namespace, key: 'token' },
      });
    }
    const pod = find(objs, 'Deployment').spec.template.spec;
    const [c] = pod.containers;
    const env = envOf(c);
    expect(env.AUTH_TOKEN).toBeUndefined();
    const volume = pod.volumes.find((v: Obj) => v.secret?.secretName === secret.metadata.name);
    expect(volume).toBeDefined();
    const mount = c.volumeMounts.find((m: Obj) => m.name === volume.name);
    expect(mount.readOnly).toBe(true);
    expect(env.AUTH_TOKEN_FILE).toBe(`${mount.mountPath}/token`);
    // With a token set, the probes and the scrape must still get through without one.
    const exempt = (env.AUTH_EXEMPT_PATHS ?? SETTING_DEFAULTS.get('AUTH_EXEMPT_PATHS')!).split(',').map((p) => p.trim());
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) expect(exempt).toContain(probe.httpGet.path);
    expect(exempt).toContain('/metrics');
    // Only the pod's fsGroup may read it: the distroless user is not root.
    expect(volume.secret.defaultMode & 0o007).toBe(0);
    expect(pod.securityContext.fsGroup).toBe(65532);
  });

  it('the base does not leak auth or monitoring settings', () => {
    const cc = find(rendered.base!, 'CompositeController');
    for (const hook of Object.values<Obj>(cc.spec.hooks)) expect(hook.webhook.authorization).toBeUndefined();
    expect(rendered.base!.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('the CompositeController checker catches what Metacontroller would misread', () => {
    const cc = find(rendered.base!, 'CompositeController');
    const broken = (mutate: (c: Obj) => void) => {
      const copy = structuredClone(cc);
      mutate(copy);
      return compositeControllerProblems(copy);
    };
    expect(broken(() => {})).toEqual([]);
    expect(broken((c) => (c.spec.hooks.sync.webhook.timeout = '10s')).join()).toMatch(/timeout/);
    expect(broken((c) => (c.spec.hooks.sync.webhook.timeout = '5')).join()).toMatch(/Go duration/);
    expect(broken((c) => delete c.spec.childResources[0].updateStrategy).join()).toMatch(/updateStrategy/);
    expect(broken((c) => (c.spec.childResources[1].updateStrategy.method = 'Rolling')).join()).toMatch(/updateStrategy/);
    expect(broken((c) => (c.spec.hooks.sync.version = 'v1')).join()).toMatch(/v2/);
    expect(broken((c) => delete c.spec.hooks.sync.webhook.path).join()).toMatch(/path/);
    expect(broken((c) => delete c.spec.hooks.sync).join()).toMatch(/sync is missing/);
    expect(broken((c) => (c.spec.generatSelector = true)).join()).toMatch(/generatSelector/);
    expect(broken((c) => (c.metadata.namespace = 'x')).join()).toMatch(/cluster-scoped/);
  });
});

// The component patches Metacontroller's own StatefulSet, which only Metacontroller's manifests contain; here
// a stand-in with the two args of v4.17.2's production StatefulSet (the e2e install test applies it over the
// real manifests). The stand-in is the kustomization's resource, the component is referenced as users do.
describe.skipIf(!hasKubectl)('components/metacontroller-fleet (kubectl kustomize)', () => {
  const COMPONENT = join(PACKAGE, 'components/metacontroller-fleet');
  const render = (args: string[]): { args?: string[]; error?: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'rw-mc-fleet-'));
    try {
      const sts = {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'metacontroller', namespace: 'metacontroller' },
        spec: {
          serviceName: '',
          selector: { matchLabels: { app: 'metacontroller' } },
          template: { metadata: { labels: { app: 'metacontroller' } }, spec: { containers: [{ name: 'metacontroller', image: 'metacontroller', args }] } },
        },
      };
      writeFileSync(join(dir, 'metacontroller.yaml'), JSON.stringify(sts));
      writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - metacontroller.yaml\ncomponents:\n  - ${relative(dir, COMPONENT)}\n`);
      const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      if (r.status !== 0) return { error: r.stderr };
      const out = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj).find((o) => o.kind === 'StatefulSet')!;
      return { args: out.spec.template.spec.containers[0].args };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("gives Metacontroller the operator's client budget and a 5-minute discovery", () => {
    expect(render(['--zap-log-level=4', '--discovery-interval=20s'])).toEqual({
      args: ['--zap-log-level=4', '--discovery-interval=5m', '--client-go-qps=20', '--client-go-burst=30'],
    });
  });

  it('fails the build, rather than patch another flag, when the discovery flag is not where v4.17.2 has it', () => {
    expect(render(['--discovery-interval=20s', '--zap-log-level=4']).error).toMatch(/test|discovery-interval/);
    expect(render(['--zap-log-level=4']).error).toBeDefined();
  });

  it('leaves the hook package alone (no Metacontroller StatefulSet in it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rw-mc-fleet-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ${relative(dir, PACKAGE)}\ncomponents:\n  - ${relative(dir, COMPONENT)}\n`);
      expect(renderDir(dir)).toEqual(renderDir(PACKAGE));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kustomization files', () => {
  const files = [...kustomizationFiles(join(ROOT, 'metacontroller')), join(ROOT, 'crds/kustomization.yaml')];

  it('exist for the package, its overlays and its components', () => {
    const rel = files.map((f) => relative(ROOT, f)).sort();
    expect(rel).toEqual(
      [
        'crds/kustomization.yaml',
        'metacontroller/base/kustomization.yaml',
        'metacontroller/components/grafana-dashboard/kustomization.yaml',
        'metacontroller/components/metacontroller-fleet/kustomization.yaml',
        'metacontroller/components/servicemonitor/kustomization.yaml',
        'metacontroller/kustomization.yaml',
        'metacontroller/overlays/auth/kustomization.yaml',
        'metacontroller/overlays/monitoring/kustomization.yaml',
        'metacontroller/overlays/with-servicemonitor/kustomization.yaml',
      ].sort(),
    );
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s uses no deprecated field and states its kind', (_rel, file) => {
    const doc = parse(readFileSync(file, 'utf8')) as Obj;
    for (const key of DEPRECATED_KEYS) expect(doc, key).not.toHaveProperty(key);
    const isComponent = file.includes('/components/');
    expect(doc.apiVersion).toBe(isComponent ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1');
    expect(doc.kind).toBe(isComponent ? 'Component' : 'Kustomization');
    for (const l of doc.labels ?? []) expect(l.includeSelectors).toBe(false);
  });
});
