// `kubectl risingwave migrate` against an in-memory cluster: the preview, every refusal (and that nothing
// is written then), the steps and their reruns, the rollback.
import { describe, expect, it } from 'vitest';
import { capturedIO } from '../cli/helpers.js';
import { migrateCommand, type MigrateDeps } from '../../src/plugin/migrate/command.js';
import { overlayDiff } from '../../src/plugin/migrate/diff.js';
import type { RwObject } from '../../src/plugin/kubectl.js';
import { fakeCluster, operatorChildren, operatorCrd, operatorRisingWave, readyClusterObjects, RW_UID, type FakeCluster } from './migrate-cluster.js';
import { NOW, plugin } from './helpers.js';

async function operatorCluster(mutate: (objects: RwObject[]) => void = () => {}): Promise<FakeCluster> {
  const rw = operatorRisingWave();
  const objects = [...readyClusterObjects(), rw, ...(await operatorChildren(rw))];
  mutate(objects);
  return fakeCluster(objects);
}

async function migrate(k: FakeCluster, argv: string[], deps: MigrateDeps = {}) {
  const { io, stdout, stderr } = capturedIO();
  const { runCommand } = await import('../../src/cli/command.js');
  const ctx = { io, exec: k.exec, now: () => NOW };
  const code = await runCommand(() => migrateCommand(argv, ctx, deps), io, 'kubectl-risingwave migrate', 'kubectl risingwave migrate');
  return { code, stdout: stdout(), stderr: stderr() };
}

const patchCalls = (k: FakeCluster) => k.calls.filter((c) => c.includes('patch'));
const children = (k: FakeCluster) => k.objects.filter((o) => o.metadata.ownerReferences?.[0]?.uid === RW_UID);

describe('overlayDiff (what the first apply changes)', () => {
  it('ignores fields only the live object has, compares keyed lists item by item and other lists whole', () => {
    const live = { spec: { a: 1, extra: 'default', containers: [{ name: 'x', image: 'i', tmp: '/dev' }, { name: 'sidecar', image: 's' }], args: ['a', 'b'] } };
    expect(overlayDiff(live, { spec: { a: 1, containers: [{ name: 'x', image: 'i' }], args: ['a', 'b'] } })).toEqual([]);
    expect(overlayDiff(live, { spec: { a: 2, containers: [{ name: 'x', image: 'j' }, { name: 'new', image: 'n' }], args: ['b', 'a'] } })).toEqual([
      { path: 'spec.a', live: 1, desired: 2 },
      { path: 'spec.containers[name=x].image', live: 'i', desired: 'j' },
      { path: 'spec.containers[name=new]', live: undefined, desired: { name: 'new', image: 'n' } },
      { path: 'spec.args', live: ['a', 'b'], desired: ['b', 'a'] },
    ]);
    expect(overlayDiff({ metadata: {} }, { metadata: { labels: { 'a/b': 'c' } } })).toEqual([{ path: 'metadata.labels', live: undefined, desired: { 'a/b': 'c' } }]);
  });
});

describe('kubectl risingwave migrate --dry-run', () => {
  it('previews every child: the label change, no pod template change; asks only reads; exit 0', async () => {
    const k = await operatorCluster();
    const r = await migrate(k, ['--dry-run', '-n', 'prod']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const line of [
      '  ok    operator       no running operator found (no workload with its image, no live leader lease)',
      '  ok    hook           the hook answers (/api/v1/namespaces/risingwave-hook/services/http:risingwave-hook:80/proxy/readyz)',
      `RisingWave prod/rw (uid ${RW_UID}): 10 children`,
      `  ${'StatefulSet rw-compute-analytics'.padEnd(44)} updated in place, pod template unchanged (no pod replaced)`,
      '      metadata.labels["risingwave/operator-version"]: "v0.17.2" -> "metacontroller-hook-v0.1.0"',
      '  step: Deployment rw-frontend: label controller-uid, drop managedFields of manager',
      '1 RisingWave(s), 10 children, 5 workloads, 0 with a changed pod template (dry run: nothing changed)',
    ]) {
      expect(r.stdout).toContain(line);
    }
    expect(patchCalls(k)).toEqual([]);
    // The children are read with their managedFields, which kubectl hides otherwise.
    expect(k.calls.some((c) => c.includes('--show-managed-fields') && c.some((a) => a.startsWith('configmaps,services')))).toBe(true);
  });

  it('a pod template that differs is named field by field, and the switch would refuse without --allow-restarts', async () => {
    const k = await operatorCluster((objects) => {
      const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'rw-frontend')!;
      d.spec.template.spec.containers[0].env.find((e: RwObject) => e.name === 'RUST_LOG').value = 'DEBUG';
    });
    const r = await migrate(k, ['--dry-run', '-n', 'prod']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  ${'Deployment rw-frontend'.padEnd(44)} POD TEMPLATE CHANGES: pods would be replaced`);
    expect(r.stdout).toContain('      spec.template.spec.containers[name=frontend].env[name=RUST_LOG].value: "DEBUG" -> "INFO"');
    expect(r.stderr).toContain('prod/rw: Deployment rw-frontend: its pod template changes, its pods would be replaced (--allow-restarts to accept)');
    expect((await migrate(k, ['--dry-run', '-n', 'prod', '--allow-restarts'])).code).toBe(0);
  });

  it('-o json gives the checks, the comparison and the steps', async () => {
    const k = await operatorCluster();
    const r = await migrate(k, ['--dry-run', '-A', '-o', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as RwObject;
    expect(report.checks.every((c: RwObject) => c.ok)).toBe(true);
    const [rw] = report.risingwaves as RwObject[];
    expect(rw.children).toHaveLength(10);
    expect(rw.children.filter((c: RwObject) => c.podTemplateChanges === false)).toHaveLength(5);
    expect(rw.steps.every((s: RwObject) => s.label && s.dropManagedFields[0] === 'manager')).toBe(true);
  });
});

describe('kubectl risingwave migrate refuses, and changes nothing, when', () => {
  const cases: Array<[string, (objects: RwObject[], k?: FakeCluster) => void, RegExp]> = [
    ['the operator still runs', (o) => (o.find((x) => x.metadata.name === 'risingwave-operator-controller-manager')!.spec.replicas = 1), /the operator is still running: Deployment risingwave-operator-system\/risingwave-operator-controller-manager/],
    [
      'the operator holds its lease',
      (o) =>
        o.push({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: '02bd7444.risingwavelabs.com', namespace: 'ops' }, spec: { holderIdentity: 'op-1', leaseDurationSeconds: 15, renewTime: new Date(NOW.getTime() - 5000).toISOString() } }),
      /the operator holds its leader lease ops\/02bd7444\.risingwavelabs\.com/,
    ],
    [
      'its webhooks are registered',
      (o) =>
        o.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'risingwave-operator-validating-webhook-configuration' }, webhooks: [{ rules: [{ apiGroups: ['risingwave.risingwavelabs.com'] }] }] }),
      /admission webhooks still intercept RisingWaves: ValidatingWebhookConfiguration risingwave-operator-validating-webhook-configuration/,
    ],
    ['the CRD is the operator\'s', (o) => o.splice(0, 1, operatorCrd()), /the RisingWave CRD is the operator's \(controller-gen v0\.18\.0\), not the hook's/],
    ['the CRD converts through a webhook', (o) => (o[0]!.spec.conversion = { strategy: 'Webhook' }), /the RisingWave CRD converts through a webhook/],
    ['Metacontroller is not running', (o) => (o.find((x) => x.metadata.name === 'metacontroller')!.status.readyReplicas = 0), /no ready Metacontroller workload found/],
    [
      'a CompositeController already syncs RisingWaves',
      (o) => o.push({ apiVersion: 'metacontroller.k8s.io/v1alpha1', kind: 'CompositeController', metadata: { name: 'risingwave-controller' }, spec: { parentResource: { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', resource: 'risingwaves' } } }),
      /CompositeController risingwave-controller already syncs RisingWaves/,
    ],
    ['it uses OpenKruise', (o) => (o.find((x) => x.kind === 'RisingWave')!.spec.enableOpenKruise = true), /OpenKruise workloads are not covered/],
    [
      'a RisingWaveScaleView targets it',
      (o) => o.push({ apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', kind: 'RisingWaveScaleView', metadata: { name: 'sv', namespace: 'prod' }, spec: { targetRef: { name: 'rw', component: 'compute' } } }),
      /RisingWaveScaleView sv targets it/,
    ],
    [
      'a child carries another selector label',
      (o) => (o.find((x) => x.kind === 'Service' && x.metadata.name === 'rw-meta')!.metadata.labels['controller-uid'] = 'someone-else'),
      /Service rw-meta carries controller-uid=someone-else/,
    ],
    [
      'a child would be deleted',
      (o) => {
        const extra = structuredClone(o.find((x) => x.kind === 'Deployment' && x.metadata.name === 'rw-compactor')!);
        extra.metadata.name = 'rw-compactor-old';
        o.push(extra);
      },
      /Deployment rw-compactor-old would be deleted \(the hook does not produce it\)/,
    ],
    [
      'a child would be recreated',
      (o) => (o.find((x) => x.kind === 'StatefulSet' && x.metadata.name === 'rw-meta')!.spec.serviceName = 'elsewhere'),
      /StatefulSet rw-meta would be deleted and created again/,
    ],
    ['the spec is invalid for the hook', (o) => (o.find((x) => x.kind === 'RisingWave')!.spec.metaStore = { memory: true, sqlite: { path: '/x' } }), /the hook would not take it over as it is: Valid=False/],
  ];
  for (const [what, mutate, message] of cases) {
    it(what, async () => {
      const k = await operatorCluster(mutate);
      const before = structuredClone(k.objects);
      const r = await migrate(k, ['-n', 'prod']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^kubectl-risingwave migrate: refused, nothing was changed:\n/);
      expect(r.stderr).toMatch(message);
      expect(patchCalls(k)).toEqual([]);
      expect(k.objects).toEqual(before);
    });
  }

  it('the hook does not answer (service proxy, or its URL outside the cluster)', async () => {
    const k = await operatorCluster();
    k.rawOk.clear();
    expect((await migrate(k, ['-n', 'prod'])).stderr).toMatch(/the hook does not answer at \/api\/v1\/namespaces\/risingwave-hook\/services\/http:risingwave-hook:80\/proxy\/readyz/);
    const asked: string[] = [];
    const r = await migrate(k, ['-n', 'prod', '--hook-url', 'http://127.0.0.1:8080/sync'], { httpStatus: async (url) => (asked.push(url), 503) });
    expect(r.stderr).toMatch(/the hook is not ready: http:\/\/127\.0\.0\.1:8080\/readyz answered 503/);
    expect(asked).toEqual(['http://127.0.0.1:8080/readyz']);
    expect(patchCalls(k)).toEqual([]);
  });
});

describe('kubectl risingwave migrate (the steps)', () => {
  it('labels every child with the uid and drops only the operator\'s managedFields; a rerun changes nothing', async () => {
    const k = await operatorCluster();
    const r = await migrate(k, ['-n', 'prod']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`prod/rw: 10 of 10 children labelled controller-uid=${RW_UID} (the rest had it), operator managedFields dropped from 10`);
    for (const c of children(k)) {
      expect(c.metadata.labels['controller-uid']).toBe(RW_UID);
      const managers = (c.metadata.managedFields as RwObject[]).map((m) => m.manager);
      expect(managers).not.toContain('manager');
      expect(managers).toContain('kubectl-patch');
      if (c.kind === 'Deployment') expect(managers).toContain('kube-controller-manager');
    }
    const after = structuredClone(k.objects);
    const calls = k.calls.length;
    const again = await migrate(k, ['-n', 'prod']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('prod/rw: 0 of 10 children labelled');
    expect(patchCalls({ ...k, calls: k.calls.slice(calls) })).toEqual([]);
    expect(k.objects).toEqual(after);
  });

  it('an interrupted run is finished by running it again, to the same end state', async () => {
    const straight = await operatorCluster();
    await migrate(straight, ['-n', 'prod']);
    const k = await operatorCluster();
    k.failPatchAt = 7;
    const first = await migrate(k, ['-n', 'prod']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('TLS handshake timeout');
    const second = await migrate(k, ['-n', 'prod']);
    expect(second.code).toBe(0);
    const strip = (objs: RwObject[]) => objs.map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }));
    expect(strip(k.objects)).toEqual(strip(straight.objects));
  });
});

describe('kubectl risingwave migrate --rollback', () => {
  it('refuses while a CompositeController syncs RisingWaves, then removes only our label and the last-applied annotation', async () => {
    const k = await operatorCluster();
    await migrate(k, ['-n', 'prod']);
    for (const c of children(k)) c.metadata.annotations = { ...(c.metadata.annotations ?? {}), 'metacontroller.k8s.io/last-applied-configuration': '{}' };
    k.objects.push({ apiVersion: 'metacontroller.k8s.io/v1alpha1', kind: 'CompositeController', metadata: { name: 'rw-cc' }, spec: { parentResource: { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', resource: 'risingwaves' } } });
    const refused = await migrate(k, ['--rollback', '-n', 'prod']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CompositeController rw-cc still syncs RisingWaves: without the label Metacontroller would release every child; delete it first');
    k.objects.pop();
    const before = structuredClone(children(k));
    const r = await migrate(k, ['--rollback', '-n', 'prod']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prod/rw: label and last-applied annotation removed from 10 of 10 children');
    for (const [i, c] of children(k).entries()) {
      expect(c.metadata.labels['controller-uid']).toBeUndefined();
      expect(c.metadata.annotations?.['metacontroller.k8s.io/last-applied-configuration']).toBeUndefined();
      expect(c.spec ?? c.data).toEqual(before[i]!.spec ?? before[i]!.data);
    }
    expect((await migrate(k, ['--rollback', '-n', 'prod'])).stdout).toContain('removed from 0 of 10 children');
  });
});

describe('kubectl risingwave migrate (usage)', () => {
  it('rejects conflicting selections and unknown checks before asking kubectl anything', async () => {
    const k = await operatorCluster();
    for (const argv of [['migrate', '-A', 'rw'], ['migrate', '-A', '-n', 'x'], ['migrate', '--skip-check', 'crd'], ['migrate', '-o', 'yaml'], ['migrate', '--hook-service', 'nope']]) {
      const r = await plugin(argv, { exec: k.exec });
      expect(r.code, argv.join(' ')).toBe(2);
    }
    expect(k.calls).toEqual([]);
    const help = await plugin(['migrate', '--help'], { exec: k.exec });
    expect(help.stdout).toContain('Usage: kubectl risingwave migrate [NAME | -A] [--dry-run] [--rollback]');
  });
});
