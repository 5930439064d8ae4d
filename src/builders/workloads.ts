import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDeploymentStrategy } from 'kubernetes-models/apps/v1/DeploymentStrategy';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IStatefulSetUpdateStrategy } from 'kubernetes-models/apps/v1/StatefulSetUpdateStrategy';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type {
  NodeGroup,
  PersistentVolumeClaimRetentionPolicy,
  PersistentVolumeClaimTemplate,
  UpgradeStrategy,
} from '../api/risingwave.js';
import { groupSelector, objectLabels } from './labels.js';
import { processRow } from './components.js';
import { componentName, type GroupComponent, type WorkloadComponent } from './names.js';
import { podTemplate } from './pod-template.js';
import type { BuildInput } from './input.js';
import { workloadKind } from './plan.js';
import { canonicalResourceList } from '../kube/quantity.js';

/**
 * Workloads (reference §3.6). Fields the API server defaults on every cluster are emitted with the
 * server's value (revisionHistoryLimit, the update strategy's defaults, progressDeadlineSeconds), so the
 * object the hook asks for equals the object the server stores; see pod-template.ts for the reasoning.
 */

/** What a workload needs from a node group (standalone is converted into one). */
export type WorkloadGroup = Pick<
  NodeGroup,
  | 'name'
  | 'replicas'
  | 'upgradeStrategy'
  | 'minReadySeconds'
  | 'progressDeadlineSeconds'
  | 'volumeClaimTemplates'
  | 'persistentVolumeClaimRetentionPolicy'
>;

export const REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

type IntOrString = number | string;

/**
 * StatefulSets have no Recreate: the operator emulates it with maxUnavailable 100%. `partition` is never
 * taken from the group (the operator ignores it for StatefulSets) and is the server's default 0.
 *
 * `maxUnavailable` is emitted only where the API server keeps it (`withMaxUnavailable`, see
 * `storesStatefulSetMaxUnavailable`). A server without the MaxUnavailableStatefulSet gate drops the field:
 * Metacontroller's merge would then differ from the stored object on every sync and PUT a StatefulSet the
 * server stores unchanged. There, a group's maxUnavailable has no effect and Recreate rolls one pod at a
 * time, as a plain RollingUpdate does (docs/operations.md).
 */
export function statefulSetUpdateStrategy(strategy: UpgradeStrategy | undefined, withMaxUnavailable: boolean): IStatefulSetUpdateStrategy {
  let maxUnavailable: IntOrString | undefined;
  if (strategy?.type === 'RollingUpdate') maxUnavailable = strategy.rollingUpdate?.maxUnavailable as IntOrString | undefined;
  else if (strategy?.type === 'Recreate') maxUnavailable = '100%';
  return {
    type: 'RollingUpdate',
    rollingUpdate: withMaxUnavailable && maxUnavailable !== undefined ? { maxUnavailable, partition: 0 } : { partition: 0 },
  };
}

/**
 * Whether this API server keeps StatefulSet `maxUnavailable`, read from StatefulSets it stored with a
 * `rollingUpdate` (every one the hook makes has one): with the gate on, the server defaults the field to 1,
 * so a stored `rollingUpdate` without it means the gate is off. One such StatefulSet decides, even if
 * others still carry the field from before the gate was turned off (the server keeps a field already in
 * use). Undefined when none is observed yet: the hook's setting decides. Stable: what the hook then emits
 * does not change what the server stores about the gate.
 */
export function storesStatefulSetMaxUnavailable(statefulSets: readonly object[]): boolean | undefined {
  let seen: boolean | undefined;
  for (const sts of statefulSets) {
    const rollingUpdate = ((sts as { spec?: unknown }).spec as { updateStrategy?: { rollingUpdate?: { maxUnavailable?: unknown } | null } } | undefined)?.updateStrategy?.rollingUpdate;
    if (rollingUpdate === undefined || rollingUpdate === null) continue;
    if (rollingUpdate.maxUnavailable === undefined) return false;
    seen = true;
  }
  return seen;
}

/** Deployments take only maxUnavailable from the group (like the operator); maxSurge is the server's 25%. */
export function deploymentStrategy(strategy: UpgradeStrategy | undefined): IDeploymentStrategy {
  switch (strategy?.type) {
    case 'RollingUpdate':
      return {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: (strategy.rollingUpdate?.maxUnavailable as IntOrString | undefined) ?? '25%', maxSurge: '25%' },
      };
    case 'Recreate':
      return { type: 'Recreate' };
    default:
      return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
  }
}

/**
 * Claim templates as the server stores them: typed, `volumeMode: Filesystem`, phase Pending and canonical
 * quantities. (The server also adds `metadata.creationTimestamp: null`, which no hook can send; the list
 * is compared whole, so a StatefulSet with claim templates gets a no-op update per sync either way.)
 */
export function volumeClaimTemplates(claims: readonly PersistentVolumeClaimTemplate[] | undefined): IPersistentVolumeClaim[] | undefined {
  if (!claims || claims.length === 0) return undefined;
  return claims.map((claim) => {
    const spec = { ...(claim.spec ?? {}) };
    if (spec.volumeMode === undefined) spec.volumeMode = 'Filesystem';
    if (spec.resources) {
      spec.resources = {
        ...spec.resources,
        requests: canonicalResourceList(spec.resources.requests as Record<string, string> | undefined),
        limits: canonicalResourceList(spec.resources.limits as Record<string, string> | undefined),
      };
    }
    const metadata = claim.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: metadata.name ?? '',
        labels: nonEmpty(metadata.labels),
        annotations: nonEmpty(metadata.annotations),
        finalizers: metadata.finalizers && metadata.finalizers.length > 0 ? [...metadata.finalizers] : undefined,
      },
      spec,
      status: { phase: 'Pending' },
    };
  });
}

function retentionPolicy(policy: PersistentVolumeClaimRetentionPolicy | undefined) {
  // Left out when unset: servers without the StatefulSetAutoDeletePVC gate would drop a defaulted value.
  if (!policy || (policy.whenDeleted === undefined && policy.whenScaled === undefined)) return undefined;
  return { whenDeleted: policy.whenDeleted ?? 'Retain', whenScaled: policy.whenScaled ?? 'Retain' };
}

function nonEmpty<T extends object>(v: T | undefined): T | undefined {
  return v && Object.keys(v).length > 0 ? { ...v } : undefined;
}

function positive(n: number | undefined): number | undefined {
  // minReadySeconds is `omitempty`: a 0 sent by the hook would differ from the stored (absent) field.
  return n !== undefined && n > 0 ? n : undefined;
}

export function statefulSet(input: BuildInput, component: WorkloadComponent, group: WorkloadGroup, template: IPodTemplateSpec): IStatefulSet {
  const { rw, operatorVersion } = input;
  const n = rw.metadata.name;
  const row = processRow(component);
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: componentName(n, component, group.name),
      namespace: rw.metadata.namespace,
      labels: objectLabels(rw, operatorVersion, { component, group: group.name }),
    },
    spec: {
      serviceName: row.governingService(n),
      replicas: group.replicas ?? 0,
      selector: { matchLabels: groupSelector(n, component, group.name) },
      template,
      podManagementPolicy: row.podManagementPolicy,
      updateStrategy: statefulSetUpdateStrategy(group.upgradeStrategy, input.maxUnavailableStatefulSet),
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      minReadySeconds: positive(group.minReadySeconds),
      volumeClaimTemplates: volumeClaimTemplates(group.volumeClaimTemplates),
      persistentVolumeClaimRetentionPolicy: retentionPolicy(group.persistentVolumeClaimRetentionPolicy),
    },
  };
}

export function deployment(input: BuildInput, component: WorkloadComponent, group: WorkloadGroup, template: IPodTemplateSpec): IDeployment {
  const { rw, operatorVersion } = input;
  const n = rw.metadata.name;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: componentName(n, component, group.name),
      namespace: rw.metadata.namespace,
      labels: objectLabels(rw, operatorVersion, { component, group: group.name }),
    },
    spec: {
      replicas: group.replicas ?? 0,
      selector: { matchLabels: groupSelector(n, component, group.name) },
      template,
      strategy: deploymentStrategy(group.upgradeStrategy),
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      progressDeadlineSeconds: group.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      minReadySeconds: positive(group.minReadySeconds),
    },
  };
}

// ------------------------------------------------------------------------------------------------------
// Whole workloads of a component
// ------------------------------------------------------------------------------------------------------

/** The workload of one node group: a StatefulSet or a Deployment, as `workloadKind` decides. */
export function groupWorkload(input: BuildInput, component: GroupComponent, group: NodeGroup): IStatefulSet | IDeployment {
  const settings = input.rw.spec.components?.[component] ?? {};
  const template = podTemplate(input, component, group, settings);
  return workloadKind(input.rw, component) === 'StatefulSet'
    ? statefulSet(input, component, group, template)
    : deployment(input, component, group, template);
}

/** The standalone component as the node group the operator converts it into (one group, name ""). */
export function standaloneGroup(rw: BuildInput['rw']): NodeGroup {
  const s = rw.spec.components?.standalone;
  if (!s) return { name: '', replicas: 1 };
  return {
    name: '',
    replicas: s.replicas ?? 1,
    restartAt: s.restartAt,
    upgradeStrategy: s.upgradeStrategy,
    minReadySeconds: s.minReadySeconds,
    volumeClaimTemplates: s.volumeClaimTemplates,
    persistentVolumeClaimRetentionPolicy: s.persistentVolumeClaimRetentionPolicy,
    progressDeadlineSeconds: s.progressDeadlineSeconds,
    template: s.template,
  };
}

export function standaloneStatefulSet(input: BuildInput): IStatefulSet {
  const group = standaloneGroup(input.rw);
  const s = input.rw.spec.components?.standalone;
  const template = podTemplate(input, 'standalone', group, { logLevel: s?.logLevel, disallowPrintStackTraces: s?.disallowPrintStackTraces });
  return statefulSet(input, 'standalone', group, template);
}
