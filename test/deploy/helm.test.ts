// charts/risingwave-hook against the kustomize package it mirrors: `helm lint --strict`, then `helm template`
// renders the same objects as `kubectl kustomize` for the default install and for each overlay, with the
// differences below and no others. helm is built by test/e2e/cluster/build-tools.sh (.ci/run runs it first).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { requireTool } from './tools.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHART = join(ROOT, 'charts/risingwave-hook');
const NAMESPACE = 'risingwave-hook';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const HELM = requireTool('helm', 'test/deploy/helm.test.ts');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('test/deploy/helm.test.ts: SKIPPED, `kubectl` (with built-in kustomize) is not on PATH');

type Obj = Record<string, any>;

/**
 * Every difference the chart may have from the kustomize package, and why:
 *  - labels: Helm is the manager (`app.kubernetes.io/managed-by: Helm`, not kustomize), and every object carries
 *    `helm.sh/chart: risingwave-hook-<version>`, the chart convention;
 *  - the CRD has no labels: Helm installs a chart's crds/ verbatim (they cannot be templated), where kustomize adds
 *    its common labels;
 *  - the order of env, volumes and volumeMounts entries: the API server keys these lists by name (mountPath), and
 *    kustomize's strategic-merge patches put what an overlay adds first, where the chart appends it;
 *  - the Namespace: a chart does not create its release namespace (Helm stores the release in it, and a chart
 *    object cannot own a namespace that `--create-namespace` or the user made); the README creates it with the
 *    same Pod Security labels before `helm install`.
 */
const CHART_ONLY_LABELS = { 'helm.sh/chart': `risingwave-hook-${VERSION}` };
const MANAGED_BY = { helm: 'Helm', kustomize: 'kustomize' };
const KUSTOMIZE_ONLY_KINDS = ['Namespace'];
const KUSTOMIZE_CRD_LABELS = { 'app.kubernetes.io/managed-by': 'kustomize', 'app.kubernetes.io/part-of': 'risingwave-metacontroller' };

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

function helmTemplate(args: string[] = []): Obj[] {
  return docs(execFileSync(HELM!, ['template', 'risingwave-hook', CHART, '--namespace', NAMESPACE, '--include-crds', ...args], { encoding: 'utf8' }));
}

const kustomize = (dir: string): Obj[] => docs(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }));

const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sorted = (objs: Obj[]) => [...objs].sort((a, b) => key(a).localeCompare(key(b)));

/** Pod template lists keyed by a field in the API (patchMergeKey): compared as sets. */
function keyedListsSorted(objs: Obj[]): Obj[] {
  const by = (field: string) => (a: Obj, b: Obj) => String(a[field]).localeCompare(String(b[field]));
  return objs.map((o) => {
    const spec = o.spec?.template?.spec;
    if (!spec) return o;
    const copy = structuredClone(o);
    const pod = copy.spec.template.spec;
    pod.volumes?.sort(by('name'));
    for (const c of pod.containers ?? []) {
      c.env?.sort(by('name'));
      c.volumeMounts?.sort(by('mountPath'));
    }
    return copy;
  });
}

/** The chart's objects with the listed differences checked and taken out, so the rest must equal kustomize's. */
function normaliseHelm(objs: Obj[]): Obj[] {
  return objs.map((o) => {
    const copy = structuredClone(o);
    if (copy.kind === 'CustomResourceDefinition') {
      expect(copy.metadata.labels, key(o)).toBeUndefined();
      copy.metadata.labels = { ...KUSTOMIZE_CRD_LABELS };
    } else {
      const labels = copy.metadata.labels ?? {};
      for (const [k, v] of Object.entries(CHART_ONLY_LABELS)) {
        expect(labels[k], `${key(o)} ${k}`).toBe(v);
        delete labels[k];
      }
      expect(labels['app.kubernetes.io/managed-by'], key(o)).toBe(MANAGED_BY.helm);
      labels['app.kubernetes.io/managed-by'] = MANAGED_BY.kustomize;
    }
    return copy;
  });
}

function dropKustomizeOnly(objs: Obj[]): Obj[] {
  for (const kind of KUSTOMIZE_ONLY_KINDS) expect(objs.filter((o) => o.kind === kind), kind).toHaveLength(1);
  return objs.filter((o) => !KUSTOMIZE_ONLY_KINDS.includes(o.kind));
}

describe.skipIf(!HELM || !hasKubectl)('charts/risingwave-hook', () => {
  let scratch = '';
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rw-helm-'));
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('helm lint --strict passes', () => {
    const out = execFileSync(HELM!, ['lint', '--strict', CHART], { encoding: 'utf8' });
    expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  /** [case, helm args, kustomize dir (relative to the scratch copy of the repo)]. */
  const SAME_OBJECTS: Array<[string, string[], string]> = [
    ['default values = metacontroller/', [], 'metacontroller'],
    ['serviceMonitor + dashboard = overlays/monitoring', ['--set', 'serviceMonitor.enabled=true', '--set', 'dashboard.enabled=true'], 'metacontroller/overlays/monitoring'],
    ['serviceMonitor = overlays/with-servicemonitor', ['--set', 'serviceMonitor.enabled=true'], 'metacontroller/overlays/with-servicemonitor'],
    ['auth with a token = overlays/auth', ['--set', 'auth.enabled=true', '--set', 'auth.token=test-token'], 'metacontroller/overlays/auth'],
  ];

  it.each(SAME_OBJECTS)('%s: the same objects, but for the listed differences', (_name, args, dir) => {
    // The auth overlay reads a token file that is never committed: render a copy of the tree with a test token.
    const copy = join(scratch, 'repo');
    rmSync(copy, { recursive: true, force: true });
    cpSync(join(ROOT, 'metacontroller'), join(copy, 'metacontroller'), { recursive: true });
    cpSync(join(ROOT, 'crds'), join(copy, 'crds'), { recursive: true });
    writeFileSync(join(copy, 'metacontroller/overlays/auth/token'), 'test-token');
    const fromHelm = keyedListsSorted(sorted(normaliseHelm(helmTemplate(args))));
    const fromKustomize = keyedListsSorted(sorted(dropKustomizeOnly(kustomize(join(copy, dir)))));
    expect(fromHelm.map(key)).toEqual(fromKustomize.map(key));
    expect(fromHelm).toEqual(fromKustomize);
  });

  it('the chart\'s crds/ and dashboard are the repository\'s, byte for byte', () => {
    const crd = 'risingwave.risingwavelabs.com_risingwaves.yaml';
    expect(readFileSync(join(CHART, 'crds', crd), 'utf8')).toBe(readFileSync(join(ROOT, 'crds', crd), 'utf8'));
    expect(readFileSync(join(CHART, 'files/risingwave-hook.json'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'metacontroller/components/grafana-dashboard/risingwave-hook.json'), 'utf8'),
    );
  });

  const deployment = (objs: Obj[]) => objs.find((o) => o.kind === 'Deployment')!;
  const hookContainer = (objs: Obj[]) => deployment(objs).spec.template.spec.containers[0];
  const controller = (objs: Obj[]) => objs.find((o) => o.kind === 'CompositeController')!;

  /** [value, helm args, what the rendered objects must show]. */
  const VALUES: Array<[string, string[], (objs: Obj[]) => void]> = [
    ['image by digest', ['--set', 'image.digest=sha256:' + 'a'.repeat(64)], (o) => expect(hookContainer(o).image).toBe(`ghcr.io/risingwave-metacontroller/risingwave-hook:${VERSION}@sha256:${'a'.repeat(64)}`)],
    ['image repository and tag', ['--set', 'image.repository=reg.example/hook', '--set', 'image.tag=9.9.9'], (o) => expect(hookContainer(o).image).toBe('reg.example/hook:9.9.9')],
    ['replicas', ['--set', 'replicas=3'], (o) => expect(deployment(o).spec.replicas).toBe(3)],
    ['resources', ['--set', 'resources.limits.memory=1Gi'], (o) => expect(hookContainer(o).resources.limits).toEqual({ cpu: '1', memory: '1Gi' })],
    [
      'extra env, after the chart\'s own',
      ['--set', 'extraEnv[0].name=LOG_FORMAT', '--set', 'extraEnv[0].value=pretty'],
      (o) => expect(hookContainer(o).env.at(-1)).toEqual({ name: 'LOG_FORMAT', value: 'pretty' }),
    ],
    [
      'node placement',
      ['--set', 'nodeSelector.pool=system', '--set', 'tolerations[0].key=dedicated', '--set', 'tolerations[0].operator=Exists', '--set-json', 'affinity={"nodeAffinity":{}}'],
      (o) => expect(deployment(o).spec.template.spec).toMatchObject({ nodeSelector: { pool: 'system' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }], affinity: { nodeAffinity: {} } }),
    ],
    [
      'auth from an existing Secret: no Secret rendered, both sides name it',
      ['--set', 'auth.enabled=true', '--set', 'auth.existingSecret=my-token'],
      (o) => {
        expect(o.filter((x) => x.kind === 'Secret')).toEqual([]);
        expect(controller(o).spec.hooks.sync.webhook.authorization.secretRef).toEqual({ name: 'my-token', namespace: NAMESPACE, key: 'token' });
        expect(deployment(o).spec.template.spec.volumes.find((v: Obj) => v.name === 'auth').secret.secretName).toBe('my-token');
      },
    ],
    [
      'TLS: the key pair mounted, HTTPS probes, Metacontroller calls https',
      ['--set', 'tls.enabled=true', '--set', 'tls.secretName=hook-tls'],
      (o) => {
        const c = hookContainer(o);
        const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
        expect(env).toMatchObject({ TLS_CERT_FILE: '/var/run/secrets/risingwave-hook/tls/tls.crt', TLS_KEY_FILE: '/var/run/secrets/risingwave-hook/tls/tls.key' });
        for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(c[p].httpGet.scheme, p).toBe('HTTPS');
        expect(c.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/var/run/secrets/risingwave-hook/tls', readOnly: true });
        expect(controller(o).spec.hooks.sync.webhook.service.protocol).toBe('https');
        expect(controller(o).spec.hooks.customize.webhook.service.protocol).toBe('https');
      },
    ],
    ['ServiceMonitor labels', ['--set', 'serviceMonitor.enabled=true', '--set', 'serviceMonitor.labels.release=prometheus'], (o) => expect(o.find((x) => x.kind === 'ServiceMonitor')!.metadata.labels.release).toBe('prometheus')],
  ];

  it.each(VALUES)('values: %s', (_name, args, check) => check(helmTemplate(args)));

  it.each([
    [['--set', 'auth.enabled=true'], 'auth.token (or auth.existingSecret) is required'],
    [['--set', 'tls.enabled=true'], 'tls.secretName is required'],
    [['--set', 'replica=3'], 'additional properties'],
  ])('refuses %j', (args, message) => {
    const r = spawnSync(HELM!, ['template', 'x', CHART, ...args], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('Chart.yaml: apiVersion v2, appVersion = package.json version', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Obj;
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'risingwave-hook', appVersion: VERSION });
  });
});
