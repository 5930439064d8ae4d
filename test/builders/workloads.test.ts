import { describe, expect, it } from 'vitest';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { deploymentStrategy, groupWorkload, standaloneStatefulSet, statefulSetUpdateStrategy, storesStatefulSetMaxUnavailable } from '../../src/builders/workloads.js';
import { ANNOTATION_RESTART_AT, inheritedLabels } from '../../src/builders/labels.js';
import { defaultPullPolicy } from '../../src/builders/containers.js';
import { canonicalize } from '../../src/kube/canonical.js';
import { group, input, makeRw } from './helpers.js';

describe('update strategies (reference §3.6)', () => {
  it.each([
    [undefined, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    [{ type: 'RollingUpdate' }, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 3 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 0 } }],
    [{ type: 'Recreate' }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%', partition: 0 } }],
    [{ type: 'InPlaceIfPossible' }, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
  ])('StatefulSet %j → %j where the server keeps maxUnavailable', (given, expected) => {
    expect(statefulSetUpdateStrategy(given as never, true)).toEqual(expected);
  });

  it.each([
    undefined,
    { type: 'RollingUpdate' },
    { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 3 } },
    { type: 'Recreate' },
    { type: 'InPlaceIfPossible' },
  ])('StatefulSet %j → a plain RollingUpdate where the server drops maxUnavailable (it would differ on every sync)', (given) => {
    expect(statefulSetUpdateStrategy(given as never, false)).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  });

  const stored = (rollingUpdate: unknown) => ({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate } } });
  it.each([
    ['no StatefulSet observed: the setting decides', [], undefined],
    ['a rollingUpdate without maxUnavailable: the gate is off (on, the server defaults it to 1)', [stored({ partition: 0 })], false],
    ['every rollingUpdate carries it: the gate is on', [stored({ partition: 0, maxUnavailable: 1 }), stored({ partition: 0, maxUnavailable: '100%' })], true],
    ['one without decides, even beside one that kept it from before the gate was turned off', [stored({ partition: 0, maxUnavailable: '100%' }), stored({ partition: 0 })], false],
    ['OnDelete StatefulSets (no rollingUpdate) say nothing', [{ spec: { updateStrategy: { type: 'OnDelete' } } }], undefined],
  ])('storesStatefulSetMaxUnavailable: %s', (_case, statefulSets, expected) => {
    expect(storesStatefulSetMaxUnavailable(statefulSets)).toBe(expected);
  });

  it.each([
    [undefined, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }],
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } }],
    [{ type: 'Recreate' }, { type: 'Recreate' }],
  ])('Deployment %j → %j', (given, expected) => {
    expect(deploymentStrategy(given as never)).toEqual(expected);
  });
});

function sts(rw: ReturnType<typeof makeRw>, component: 'meta' | 'compute' | 'frontend', g = group('')): IStatefulSet {
  return canonicalize(groupWorkload(input(rw), component, g as never)) as IStatefulSet;
}

describe('workload kinds and StatefulSet fields', () => {
  it('frontend StatefulSets are OrderedReady and governed by the headless Service; others Parallel', () => {
    const rw = makeRw({ enableFrontendStatefulSet: true });
    const fe = sts(rw, 'frontend');
    expect(fe.kind).toBe('StatefulSet');
    expect(fe.spec!.podManagementPolicy).toBe('OrderedReady');
    expect(fe.spec!.serviceName).toBe('rw-frontend-headless');
    const compute = sts(rw, 'compute', group('g1'));
    expect(compute.spec!.podManagementPolicy).toBe('Parallel');
    expect(compute.spec!.serviceName).toBe('rw-compute');
    expect(compute.metadata!.name).toBe('rw-compute-g1');
  });

  it('frontend and compactor are Deployments by default', () => {
    const rw = makeRw();
    const fe = canonicalize(groupWorkload(input(rw), 'frontend', group('') as never)) as IDeployment;
    expect(fe.kind).toBe('Deployment');
    expect(fe.spec!.progressDeadlineSeconds).toBe(600);
    const c = canonicalize(groupWorkload(input(rw), 'compactor', group('x', { progressDeadlineSeconds: 60, minReadySeconds: 5 }) as never)) as IDeployment;
    expect(c.kind).toBe('Deployment');
    expect(c.spec).toMatchObject({ progressDeadlineSeconds: 60, minReadySeconds: 5, revisionHistoryLimit: 10 });
  });

  it('replicas default to 0, minReadySeconds 0 is left out, retention policy gets its missing half', () => {
    const rw = makeRw();
    const s = sts(rw, 'meta', { name: '', minReadySeconds: 0, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } } as never);
    expect(s.spec!.replicas).toBe(0);
    expect('minReadySeconds' in s.spec!).toBe(false);
    expect(s.spec!.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect('persistentVolumeClaimRetentionPolicy' in sts(rw, 'meta').spec!).toBe(false);
  });

  it('claim templates are typed, defaulted and canonical', () => {
    const rw = makeRw();
    const s = sts(rw, 'compute', group('', { volumeClaimTemplates: [{ metadata: { name: 'cache' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } } }] }));
    expect(s.spec!.volumeClaimTemplates).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'cache' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ]);
  });
});

describe('pod templates', () => {
  it('startup probes wait 12 × 5 s, 36 × 5 s for compute; liveness and readiness carry the server defaults', () => {
    const rw = makeRw();
    const meta = sts(rw, 'meta').spec!.template.spec!.containers[0]!;
    const compute = sts(rw, 'compute').spec!.template.spec!.containers[0]!;
    expect(meta.startupProbe).toEqual({ tcpSocket: { port: 'service' }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 12, successThreshold: 1 });
    expect(compute.startupProbe!.failureThreshold).toBe(36);
    expect(meta.livenessProbe).toEqual({ tcpSocket: { port: 'service' }, initialDelaySeconds: 2, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 });
    expect(meta.readinessProbe).toEqual(meta.livenessProbe);
  });

  it('restartAt becomes a UTC annotation; user labels and annotations are kept; system labels win', () => {
    const rw = makeRw();
    const s = sts(rw, 'compute', group('a', { restartAt: '2026-03-01T10:00:00+02:00', template: { metadata: { labels: { team: 'x' }, annotations: { note: 'y' } } } }));
    expect(s.spec!.template.metadata!.annotations).toEqual({ note: 'y', [ANNOTATION_RESTART_AT]: '2026-03-01T08:00:00Z' });
    expect(s.spec!.template.metadata!.labels).toEqual({ team: 'x', 'risingwave/name': 'rw', 'risingwave/component': 'compute', 'risingwave/group': 'a' });
  });

  it('the config volume comes from the group, else the cluster, else the default ConfigMap', () => {
    const cluster = makeRw({ configuration: { configMap: { name: 'cluster-cfg' } } });
    const vol = (s: IStatefulSet) => s.spec!.template.spec!.volumes!.find((v) => v.name === 'risingwave-config');
    expect(vol(sts(makeRw(), 'meta'))).toEqual({ name: 'risingwave-config', configMap: { name: 'rw-default-config', items: [{ key: 'risingwave.toml', path: 'risingwave.toml' }], defaultMode: 420 } });
    expect(vol(sts(cluster, 'meta'))!.configMap!.name).toBe('cluster-cfg');
    expect(vol(sts(cluster, 'meta', group('', { configuration: { secret: { name: 'grp', key: 'k.toml', optional: true } } })))).toEqual({
      name: 'risingwave-config',
      secret: { secretName: 'grp', items: [{ key: 'k.toml', path: 'risingwave.toml' }], optional: true, defaultMode: 420 },
    });
  });

  it('a user volume or mount with the config name or path is replaced, not duplicated', () => {
    const rw = makeRw();
    const s = sts(rw, 'meta', group('', { template: { spec: { volumes: [{ name: 'risingwave-config', emptyDir: {} }], volumeMounts: [{ name: 'x', mountPath: '/risingwave/config' }] } } }));
    const spec = s.spec!.template.spec!;
    expect(spec.volumes!.filter((v) => v.name === 'risingwave-config')).toHaveLength(1);
    expect(spec.volumes![0]!.configMap).toBeDefined();
    expect(spec.containers[0]!.volumeMounts).toEqual([{ name: 'risingwave-config', mountPath: '/risingwave/config', readOnly: true }]);
  });

  it('embedded serving: frontend runs standalone with an exec readiness probe and preStop; compute is streaming-only', () => {
    const rw = makeRw({ enableEmbeddedServingMode: true });
    const fe = (canonicalize(groupWorkload(input(rw), 'frontend', group('') as never)) as IDeployment).spec!.template.spec!.containers[0]!;
    expect(fe.args![0]).toBe('standalone');
    expect(fe.args).toContain('--compute-opts=--listen-addr 0.0.0.0:5688 --advertise-addr $(POD_IP):5688 --role=serving');
    // risingwave-operator v0.17.2's command exactly (pkg/factory setupFrontendContainer): another spelling of the
    // same check would replace every frontend pod when a cluster switches from the operator (test/e2e/operator).
    expect(fe.readinessProbe!.exec!.command).toEqual(['bash', '-ec', '</dev/tcp/127.0.0.1/4567\n</dev/tcp/127.0.0.1/5688']);
    expect(fe.lifecycle!.preStop!.exec!.command).toEqual(['bash', '-c', '/risingwave/bin/risingwave ctl meta unregister-workers --yes --workers ${POD_IP}:5688']);
    expect(sts(rw, 'compute').spec!.template.spec!.containers[0]!.args).toEqual(['compute-node', '--role=streaming']);
  });

  it('user pod fields map onto the PodSpec; podSecurityContext becomes securityContext; false omitempty booleans vanish', () => {
    const rw = makeRw();
    const s = sts(rw, 'meta', group('', { template: { spec: { podSecurityContext: { runAsUser: 1000 }, hostPID: false, hostIPC: true, dnsPolicy: 'Default', schedulerName: 'custom', priority: 5, additionalContainers: [{ name: 'side', image: 'busybox' }], initContainers: [{ name: 'init', image: 'busybox:1.36' }] } } }));
    const spec = s.spec!.template.spec!;
    expect(spec.securityContext).toEqual({ runAsUser: 1000 });
    expect('hostPID' in spec).toBe(false);
    expect(spec.hostIPC).toBe(true);
    expect(spec).toMatchObject({ dnsPolicy: 'Default', schedulerName: 'custom', priority: 5, restartPolicy: 'Always', enableServiceLinks: false });
    expect(spec.containers.map((c) => c.name)).toEqual(['meta', 'side']);
    expect(spec.containers[1]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(spec.initContainers![0]!.imagePullPolicy).toBe('IfNotPresent');
  });

  it('pull policy follows the API server: Always for untagged or latest, IfNotPresent otherwise', () => {
    expect(defaultPullPolicy('risingwavelabs/risingwave')).toBe('Always');
    expect(defaultPullPolicy('risingwavelabs/risingwave:latest')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/risingwave')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/risingwave:v2.4.2')).toBe('IfNotPresent');
    expect(defaultPullPolicy('risingwave@sha256:abc')).toBe('IfNotPresent');
    expect(defaultPullPolicy('registry:5000/risingwave:v2.4.2@sha256:abc')).toBe('IfNotPresent');
    // The server parses `:latest@sha256:…` as tag latest plus a digest, and tag latest means Always.
    expect(defaultPullPolicy('risingwave:latest@sha256:abc')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/rw/risingwave:latest@sha256:abc')).toBe('Always');
  });
});

describe('standalone', () => {
  it('single-node form for current images', () => {
    const rw = makeRw({ enableStandaloneMode: true });
    const s = canonicalize(standaloneStatefulSet(input(rw))) as IStatefulSet;
    const c = s.spec!.template.spec!.containers[0]!;
    expect(s.metadata!.name).toBe('rw-standalone');
    expect(s.spec!.serviceName).toBe('rw-standalone');
    expect(s.spec!.replicas).toBe(1);
    expect(c.name).toBe('standalone');
    expect(c.command).toEqual(['/risingwave/bin/risingwave', 'single-node']);
    expect(c.args).toEqual(['--config-path=$(RW_CONFIG_PATH)', '--prometheus-listener-addr=0.0.0.0:1250', '--listen-addr=0.0.0.0:4567']);
    expect(c.ports!.map((p) => [p.name, p.containerPort])).toEqual([['metrics', 1250], ['service', 4567], ['dashboard', 5691], ['http', 4560]]);
  });

  it.each([
    ['risingwavelabs/risingwave:v1.7.3', 0, 'standalone'],
    ['risingwavelabs/risingwave:v1.8.0', 0, 'single-node'],
    ['risingwavelabs/risingwave:v2.4.2', 1, 'standalone'],
    ['risingwavelabs/risingwave:v1.5.0', 2, 'single-node'],
  ])('%s with standaloneMode %i uses %s', (image, mode, sub) => {
    const rw = makeRw({ image, enableStandaloneMode: true, standaloneMode: mode });
    const c = standaloneStatefulSet(input(rw)).spec!.template.spec!.containers[0]!;
    expect(c.command![1]).toBe(sub);
    if (sub === 'standalone') expect(c.args!.find((a) => a.startsWith('--meta-opts='))).toContain('--backend $(RW_BACKEND)');
  });
});

describe('inherited labels', () => {
  it('copies labels under the listed prefixes, never under risingwave/', () => {
    const rw = makeRw({}, {
      labels: { 'a.io/x': '1', 'b.com/y': '2', 'c.org/z': '3', 'risingwave/name': 'no', plain: 'no' },
      annotations: { 'risingwave.risingwavelabs.com/inherit-label-prefix': ' a.io , b.com,risingwave,' },
    });
    expect(inheritedLabels(rw)).toEqual({ 'a.io/x': '1', 'b.com/y': '2' });
    const s = sts(rw, 'meta');
    expect(s.metadata!.labels).toMatchObject({ 'a.io/x': '1', 'b.com/y': '2' });
    expect(s.spec!.template.metadata!.labels).toMatchObject({ 'a.io/x': '1', 'b.com/y': '2' });
  });
});
