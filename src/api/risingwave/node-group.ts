/**
 * A component's node group and its pod template (Go: `RisingWaveNodeGroup`, `RisingWaveNodeGroupTemplate`):
 * upgrade strategy, the curated pod spec, volume claims, autoscaling.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IVolumeDevice } from 'kubernetes-models/v1/VolumeDevice';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IPodDNSConfig } from 'kubernetes-models/v1/PodDNSConfig';
import type { ILocalObjectReference } from 'kubernetes-models/v1/LocalObjectReference';
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IHostAlias } from 'kubernetes-models/v1/HostAlias';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IPodOS } from 'kubernetes-models/v1/PodOS';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPersistentVolumeClaimSpec } from 'kubernetes-models/v1/PersistentVolumeClaimSpec';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import type { IHorizontalPodAutoscalerBehavior } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior';
import { EmbeddedList, EmbeddedObject, Int32, Int64, IntOrString, LabelMap, MAX_IMAGE, MAX_NAME, Name, StringMap, Time, cel, doc } from './building-blocks.js';
import { ConfigurationSourceSchema } from './configuration.js';
import { RULES } from './rules.js';

export const UPGRADE_STRATEGY_TYPES = ['Recreate', 'RollingUpdate', 'InPlaceIfPossible', 'InPlaceOnly'] as const;
export type UpgradeStrategyType = (typeof UPGRADE_STRATEGY_TYPES)[number];

export const RollingUpdateSchema = Type.Object({
  maxUnavailable: Type.Optional(IntOrString({ default: '25%' })),
  partition: Type.Optional(IntOrString({ default: 0 })),
  maxSurge: Type.Optional(IntOrString({ default: 0 })),
});
export type RollingUpdate = Static<typeof RollingUpdateSchema>;

export const InPlaceUpdateStrategySchema = Type.Object({
  gracePeriodSeconds: Type.Optional(Int32()),
});
export type InPlaceUpdateStrategy = Static<typeof InPlaceUpdateStrategySchema>;

export const UpgradeStrategySchema = Type.Object(
  {
    type: Type.Optional(
      Type.Union(
        UPGRADE_STRATEGY_TYPES.map((t) => Type.Literal(t)),
        { default: 'RollingUpdate' },
      ),
    ),
    rollingUpdate: Type.Optional(RollingUpdateSchema),
    inPlaceUpdateStrategy: Type.Optional(InPlaceUpdateStrategySchema),
  },
  cel(RULES.recreateWithoutRollingUpdate.cel()),
);
export type UpgradeStrategy = Static<typeof UpgradeStrategySchema>;

export const PULL_POLICIES = ['Always', 'Never', 'IfNotPresent'] as const;
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;

export const NodeGroupPodSpecSchema = Type.Object({
  // Container part (applied to the RisingWave container).
  image: Type.Optional(Type.String({ maxLength: MAX_IMAGE })),
  imagePullPolicy: Type.Optional(Type.Union(PULL_POLICIES.map((p) => Type.Literal(p)))),
  env: Type.Optional(EmbeddedList<IEnvVar>()),
  envFrom: Type.Optional(EmbeddedList<IEnvFromSource>()),
  resources: Type.Optional(EmbeddedObject<IResourceRequirements>()),
  volumeMounts: Type.Optional(EmbeddedList<IVolumeMount>()),
  volumeDevices: Type.Optional(EmbeddedList<IVolumeDevice>()),
  securityContext: Type.Optional(EmbeddedObject<ISecurityContext>()),
  // Pod part.
  volumes: Type.Optional(EmbeddedList<IVolume>()),
  podSecurityContext: Type.Optional(EmbeddedObject<IPodSecurityContext>()),
  activeDeadlineSeconds: Type.Optional(Int64()),
  terminationGracePeriodSeconds: Type.Optional(Int64()),
  dnsPolicy: Type.Optional(Type.Union(DNS_POLICIES.map((p) => Type.Literal(p)))),
  dnsConfig: Type.Optional(EmbeddedObject<IPodDNSConfig>()),
  nodeSelector: Type.Optional(StringMap()),
  serviceAccountName: Type.Optional(Type.String()),
  automountServiceAccountToken: Type.Optional(Type.Boolean()),
  hostPID: Type.Optional(Type.Boolean()),
  hostIPC: Type.Optional(Type.Boolean()),
  shareProcessNamespace: Type.Optional(Type.Boolean()),
  imagePullSecrets: Type.Optional(EmbeddedList<ILocalObjectReference>()),
  affinity: Type.Optional(EmbeddedObject<IAffinity>()),
  schedulerName: Type.Optional(Type.String()),
  tolerations: Type.Optional(EmbeddedList<IToleration>()),
  hostAliases: Type.Optional(EmbeddedList<IHostAlias>()),
  priorityClassName: Type.Optional(Type.String()),
  priority: Type.Optional(Int32()),
  runtimeClassName: Type.Optional(Type.String()),
  preemptionPolicy: Type.Optional(Type.String()),
  topologySpreadConstraints: Type.Optional(EmbeddedList<ITopologySpreadConstraint>()),
  setHostnameAsFQDN: Type.Optional(Type.Boolean()),
  os: Type.Optional(EmbeddedObject<IPodOS>()),
  hostUsers: Type.Optional(Type.Boolean()),
  additionalContainers: Type.Optional(EmbeddedList<IContainer>()),
  initContainers: Type.Optional(EmbeddedList<IContainer>()),
});
export type NodeGroupPodSpec = Static<typeof NodeGroupPodSpecSchema>;

export const PartialObjectMetaSchema = Type.Object({
  labels: Type.Optional(LabelMap()),
  annotations: Type.Optional(StringMap()),
});
export type PartialObjectMeta = Static<typeof PartialObjectMetaSchema>;

export const NodeGroupTemplateSchema = Type.Object({
  metadata: Type.Optional(PartialObjectMetaSchema),
  spec: Type.Optional(NodeGroupPodSpecSchema),
});
export type NodeGroupTemplate = Static<typeof NodeGroupTemplateSchema>;

export const PersistentVolumeClaimTemplateSchema = Type.Object({
  metadata: Type.Optional(
    Type.Object({
      name: Type.Optional(Name()),
      labels: Type.Optional(StringMap()),
      annotations: Type.Optional(StringMap()),
      finalizers: Type.Optional(Type.Array(Type.String())),
    }),
  ),
  spec: Type.Optional(EmbeddedObject<IPersistentVolumeClaimSpec>()),
});
export type PersistentVolumeClaimTemplate = Static<typeof PersistentVolumeClaimTemplateSchema>;

export const PVC_RETENTION_POLICIES = ['Retain', 'Delete'] as const;

export const PersistentVolumeClaimRetentionPolicySchema = Type.Object({
  whenDeleted: Type.Optional(Type.Union(PVC_RETENTION_POLICIES.map((p) => Type.Literal(p)))),
  whenScaled: Type.Optional(Type.Union(PVC_RETENTION_POLICIES.map((p) => Type.Literal(p)))),
});
export type PersistentVolumeClaimRetentionPolicy = Static<typeof PersistentVolumeClaimRetentionPolicySchema>;

/** Group names: empty (the default group) or a DNS-1123 subdomain; the Go operator's pattern. */
export const GROUP_NAME_PATTERN = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** Bounds the metrics list so the CEL rule that reads its size stays cheap for 1000 groups. */
export const MAX_AUTOSCALING_METRICS = 32;

/**
 * Per-group autoscaling: the hook owns an autoscaling/v2 HorizontalPodAutoscaler named like the group's
 * workload, and leaves the workload's replica count to it (see src/builders/autoscaler.ts).
 * `metrics` and `behavior` are the HPA's own types, kept verbatim (the API server validates them when it
 * stores the HPA; the hook checks them against the same rules first, see src/api/validation.ts).
 */
export const NodeGroupAutoscalingSchema = Type.Object(
  {
    minReplicas: doc(Type.Optional(Int32({ minimum: 1, default: 1 })), 'Fewest pods the autoscaler keeps (HPA minReplicas, at least 1).'),
    maxReplicas: doc(Int32({ minimum: 1 }), 'Most pods the autoscaler may run (HPA maxReplicas).'),
    targetCPUUtilizationPercentage: doc(
      Type.Optional(Int32({ minimum: 1 })),
      'Average CPU utilization (percent of the pods\' CPU request) to aim for; becomes a Resource cpu Utilization metric.',
    ),
    metrics: doc(
      Type.Optional(EmbeddedList<IMetricSpec>({ maxItems: MAX_AUTOSCALING_METRICS })),
      'autoscaling/v2 MetricSpec list, passed to the HorizontalPodAutoscaler as written (after targetCPUUtilizationPercentage\'s metric).',
    ),
    behavior: doc(Type.Optional(EmbeddedObject<IHorizontalPodAutoscalerBehavior>()), 'autoscaling/v2 scaling behavior (scaleUp/scaleDown rules), passed to the HorizontalPodAutoscaler.'),
  },
  cel(RULES.autoscalingBounds.cel(), RULES.autoscalingHasMetric.cel()),
);
export type NodeGroupAutoscaling = Static<typeof NodeGroupAutoscalingSchema>;

export const NodeGroupSchema = Type.Object({
  name: doc(Type.String({ default: '', pattern: GROUP_NAME_PATTERN, maxLength: MAX_NAME }), 'Group name: empty (the default group) or a DNS-1123 subdomain, unique within the component.'),
  replicas: doc(Type.Optional(Int32({ minimum: 0 })), 'Number of pods in the group (0 when omitted).'),
  restartAt: doc(Type.Optional(Time()), 'Changing this timestamp restarts every pod of the group.'),
  configuration: doc(Type.Optional(ConfigurationSourceSchema), 'risingwave.toml for this group, replacing spec.configuration.'),
  upgradeStrategy: doc(Type.Optional(UpgradeStrategySchema), 'How pods are replaced on a change.'),
  minReadySeconds: doc(Type.Optional(Int32()), 'Seconds a new pod must be ready before it counts as available.'),
  progressDeadlineSeconds: doc(Type.Optional(Int32()), 'Deployments only: seconds before a stalled rollout is reported.'),
  volumeClaimTemplates: doc(Type.Optional(Type.Array(PersistentVolumeClaimTemplateSchema)), 'StatefulSets only: persistent volume claims per pod.'),
  persistentVolumeClaimRetentionPolicy: doc(Type.Optional(PersistentVolumeClaimRetentionPolicySchema), 'StatefulSets only: what happens to the claims on deletion and scale-down.'),
  template: doc(Type.Optional(NodeGroupTemplateSchema), 'Pod metadata and a curated subset of the pod and RisingWave container spec.'),
  autoscaling: doc(
    Type.Optional(NodeGroupAutoscalingSchema),
    'Scale the group with a HorizontalPodAutoscaler; `replicas` then only sets the first size (clamped into the bounds).',
  ),
});
export type NodeGroup = Static<typeof NodeGroupSchema>;
