/** fast-check generators of small RisingWave parents and observed child sets (valid and invalid). */
import fc from 'fast-check';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import type { KubeObject } from '../../src/kube/kube-object.js';

export const RW = 'rw';
export const NS = 'ns';
export const GROUP_NAMES = ['', 'a', 'b'] as const;
export const COMPONENTS = ['meta', 'frontend', 'compute', 'compactor'] as const;
const LAST = 'metacontroller.k8s.io/last-applied-configuration';
export const PAUSE = 'risingwave.risingwavelabs.com/pause-reconcile';

export interface SpecCase {
  readonly spec: Record<string, any>;
  /** How the case was made invalid, or undefined for a spec meant to be valid. */
  readonly broken?: string;
  readonly paused: boolean;
}

const groups = fc.uniqueArray(fc.constantFrom(...GROUP_NAMES), { maxLength: 2 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.record({ name: fc.constant(name), replicas: fc.integer({ min: 0, max: 3 }) }))),
);

const validSpec = fc
  .record({
    image: fc.constantFrom('risingwavelabs/risingwave:v2.4.2', 'risingwavelabs/risingwave:v2.5.0', 'risingwave:latest'),
    standalone: fc.boolean(),
    frontendSts: fc.boolean(),
    serviceMonitor: fc.boolean(),
    meta: groups,
    frontend: groups,
    compute: groups,
    compactor: groups,
  })
  .map((g) => {
    const spec: Record<string, any> = {
      image: g.image,
      metaStore: { postgresql: { host: 'pg', port: 5432, database: 'rw', credentials: { secretName: 'pg' } } },
      stateStore: { minio: { endpoint: 'minio:9000', bucket: 'b', credentials: { secretName: 'minio' } } },
      components: {
        meta: { nodeGroups: g.meta },
        frontend: { nodeGroups: g.frontend },
        compute: { nodeGroups: g.compute },
        compactor: { nodeGroups: g.compactor },
      },
    };
    if (g.standalone) {
      spec.enableStandaloneMode = true;
      spec.components.standalone = { replicas: 1 };
    }
    if (g.frontendSts) spec.enableFrontendStatefulSet = true;
    if (g.serviceMonitor) spec.enableDefaultServiceMonitor = true;
    return spec;
  });

const breakages: Record<string, (spec: Record<string, any>) => void> = {
  duplicateGroup: (s) => s.components.compute.nodeGroups.push({ name: 'dup', replicas: 1 }, { name: 'dup', replicas: 2 }),
  badGroupName: (s) => s.components.meta.nodeGroups.push({ name: 'Not_A_Name', replicas: 1 }),
  negativeReplicas: (s) => s.components.frontend.nodeGroups.push({ name: 'neg', replicas: -1 }),
  imageNotString: (s) => (s.image = 42),
  twoStateStores: (s) => (s.stateStore.memory = true),
  twoMetaStores: (s) => (s.metaStore.memory = true),
};

export const specCase: fc.Arbitrary<SpecCase> = fc
  .tuple(validSpec, fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...Object.keys(breakages)) }), fc.boolean(), fc.integer({ min: 0, max: 9 }))
  .map(([base, broken, paused, p]) => {
    // fast-check may hand the same generated value to map() again while shrinking: never mutate it.
    const spec = structuredClone(base);
    if (broken !== null) breakages[broken]!(spec);
    return { spec, broken: broken ?? undefined, paused: paused && p < 2 };
  });

/** Every child a RisingWave named `rw` could have, plus foreign and odd ones. */
function universe(): { key: string; obj: KubeObject }[] {
  const out: { key: string; obj: KubeObject }[] = [];
  const labels = (component: string, group?: string) => ({
    'risingwave/name': RW,
    'risingwave/component': component,
    ...(group === undefined ? {} : { 'risingwave/group': group }),
    'risingwave/generation': '1',
  });
  for (const c of [...COMPONENTS, 'standalone']) {
    for (const g of [...GROUP_NAMES, 'gone']) {
      if (c === 'standalone' && g !== '') continue;
      const name = g === '' ? `${RW}-${c}` : `${RW}-${c}-${g}`;
      for (const kind of ['StatefulSet', 'Deployment']) {
        out.push({
          key: `${kind}.apps/v1`,
          obj: {
            apiVersion: 'apps/v1',
            kind,
            metadata: { name, labels: labels(c, g) },
            spec: { replicas: 1, serviceName: `${RW}-${c}`, selector: { matchLabels: labels(c, g) } },
            status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
          },
        });
      }
    }
  }
  for (const name of ['meta', 'frontend', 'frontend-headless', 'compute', 'compactor', 'standalone']) {
    out.push({ key: 'Service.v1', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: `${RW}-${name}` }, spec: { ports: [] } } });
  }
  out.push({ key: 'ConfigMap.v1', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${RW}-default-config` }, data: { 'risingwave.toml': 'x=1' } } });
  out.push({
    key: 'ServiceMonitor.monitoring.coreos.com/v1',
    obj: { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: `risingwave-${RW}` }, spec: {} },
  });
  // Foreign and odd objects: unknown names, no labels, another RisingWave's labels, unregistered kinds.
  out.push({ key: 'StatefulSet.apps/v1', obj: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'someone-else' }, spec: {} } });
  out.push({
    key: 'Deployment.apps/v1',
    obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'other-compute', labels: { 'risingwave/name': 'other', 'risingwave/component': 'compute' } } },
  });
  out.push({ key: 'Service.v1', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'unrelated' } } });
  out.push({ key: 'Secret.v1', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${RW}-secret` } } });
  out.push({ key: 'Job.batch/v1', obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${RW}-job`, labels: { 'risingwave/name': RW, 'risingwave/component': 'compute' } } } });
  return out;
}
const UNIVERSE = universe();

/** How an observed child carries its last-applied configuration. */
const lastApplied = fc.constantFrom('none', 'same', 'older', 'garbage', 'otherVcts');

export const observedCase = fc.tuple(
  fc.subarray(UNIVERSE.map((_, i) => i), { maxLength: 14 }),
  fc.array(lastApplied, { minLength: UNIVERSE.length, maxLength: UNIVERSE.length }),
);

export function buildRequest(
  c: SpecCase,
  [picked, annotations]: [number[], string[]],
  hookVersion: 'v1' | 'v2',
  generation: number,
  previousStatus: Record<string, unknown> | undefined,
): SyncRequest {
  const children: Record<string, Record<string, KubeObject>> = {
    'ConfigMap.v1': {},
    'Deployment.apps/v1': {},
    'Service.v1': {},
    'StatefulSet.apps/v1': {},
  };
  if (c.spec.enableDefaultServiceMonitor) children['ServiceMonitor.monitoring.coreos.com/v1'] = {};
  for (const i of picked) {
    const { key, obj } = UNIVERSE[i]!;
    const copy = structuredClone(obj);
    copy.metadata.namespace = NS;
    const mode = annotations[i]!;
    const applied = structuredClone(obj);
    if (mode === 'older' && applied.spec) (applied.spec as any).replicas = 7;
    if (mode === 'otherVcts' && applied.spec) {
      // Applied and stored with a claim template the hook does not want: an immutable-field change.
      (applied.spec as any).volumeClaimTemplates = [{ metadata: { name: 'old' } }];
      if (copy.kind === 'StatefulSet') (copy.spec as any).volumeClaimTemplates = [{ metadata: { name: 'old' }, spec: { volumeMode: 'Filesystem' } }];
    }
    if (mode !== 'none') {
      copy.metadata.annotations = { [LAST]: mode === 'garbage' ? '{"apiVersion":' : JSON.stringify(applied) };
    }
    (children[key] ??= {})[hookVersion === 'v1' ? copy.metadata.name : `${NS}/${copy.metadata.name}`] = copy;
  }
  return {
    controller: {},
    parent: {
      apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
      kind: 'RisingWave',
      metadata: { name: RW, namespace: NS, uid: 'u-1', generation, ...(c.paused ? { annotations: { [PAUSE]: 'true' } } : {}) },
      spec: c.spec,
      ...(previousStatus ? { status: previousStatus } : {}),
    },
    children,
    related: {},
    finalizing: false,
  } as SyncRequest;
}

export const previousStatus = fc.option(
  fc.constantFrom<Record<string, unknown>>(
    { observedGeneration: 1, conditions: [{ type: 'Running', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'AllComponentsReady', message: 'x' }] },
    {
      observedGeneration: 1,
      conditions: [
        { type: 'Initializing', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'RollingOut', message: 'x' },
        { type: 'Running', status: 'False', lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'RollingOut', message: 'x' },
      ],
      internal: { stateStoreRootPath: '' },
    },
    {
      observedGeneration: 2,
      conditions: [
        { type: 'Running', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'AllComponentsReady', message: 'x' },
        { type: 'Upgrading', status: 'True', lastTransitionTime: '2025-12-31T23:55:00Z', reason: 'RollingOut', message: 'x' },
      ],
    },
  ),
  { nil: undefined },
);
