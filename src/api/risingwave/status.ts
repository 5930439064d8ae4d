/**
 * `.status` (Go: `RisingWaveStatus`): versions, store backends, replicas per component and group,
 * conditions, scale views.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Int32, Int64, Time } from './building-blocks.js';

export const META_STORE_BACKEND_TYPES = ['Memory', 'Etcd', 'PostgreSQL', 'MySQL', 'SQLite', 'Unknown'] as const;
export type MetaStoreBackendType = (typeof META_STORE_BACKEND_TYPES)[number];
export const STATE_STORE_BACKEND_TYPES = [
  'Memory',
  'MinIO',
  'S3',
  'HDFS',
  'WebHDFS',
  'GCS',
  'AliyunOSS',
  'AzureBlob',
  'LocalDisk',
  'HuaweiCloudOBS',
  'Unknown',
] as const;
export type StateStoreBackendType = (typeof STATE_STORE_BACKEND_TYPES)[number];

/** A group's HorizontalPodAutoscaler as status reports it: its bounds, and its own status once it has acted. */
export const GroupAutoscalingStatusSchema = Type.Object({
  minReplicas: Int32(),
  maxReplicas: Int32(),
  currentReplicas: Type.Optional(Int32()),
  desiredReplicas: Type.Optional(Int32()),
});
export type GroupAutoscalingStatus = Static<typeof GroupAutoscalingStatusSchema>;

export const GroupReplicaStatusSchema = Type.Object({
  name: Type.String(),
  target: Type.Optional(Int32()),
  running: Type.Optional(Int32()),
  exists: Type.Optional(Type.Boolean()),
  autoscaling: Type.Optional(GroupAutoscalingStatusSchema),
});
export type GroupReplicaStatus = Static<typeof GroupReplicaStatusSchema>;

export const ComponentReplicaStatusSchema = Type.Object({
  target: Type.Optional(Int32()),
  running: Type.Optional(Int32()),
  groups: Type.Optional(
    Type.Array(GroupReplicaStatusSchema, {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
});
export type ComponentReplicaStatus = Static<typeof ComponentReplicaStatusSchema>;

export const ComponentReplicasSchema = Type.Object({
  meta: Type.Optional(ComponentReplicaStatusSchema),
  frontend: Type.Optional(ComponentReplicaStatusSchema),
  compute: Type.Optional(ComponentReplicaStatusSchema),
  compactor: Type.Optional(ComponentReplicaStatusSchema),
  standalone: Type.Optional(ComponentReplicaStatusSchema),
});
export type ComponentReplicas = Static<typeof ComponentReplicasSchema>;

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export const RisingWaveConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.Union(CONDITION_STATUSES.map((s) => Type.Literal(s))),
  lastTransitionTime: Type.Optional(Time()),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type RisingWaveCondition = Static<typeof RisingWaveConditionSchema>;

export const ScaleViewLockSchema = Type.Object({
  name: Type.String(),
  uid: Type.String(),
  component: Type.String(),
  generation: Int64(),
  groupLocks: Type.Optional(
    Type.Array(Type.Object({ name: Type.String(), replicas: Int32() }), {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
});
export type ScaleViewLock = Static<typeof ScaleViewLockSchema>;

export const RisingWaveStatusSchema = Type.Object({
  observedGeneration: Type.Optional(Int64()),
  version: Type.Optional(Type.String()),
  metaStore: Type.Optional(
    Type.Object({ backend: Type.Optional(Type.Union(META_STORE_BACKEND_TYPES.map((b) => Type.Literal(b)))) }),
  ),
  stateStore: Type.Optional(
    Type.Object({ backend: Type.Optional(Type.Union(STATE_STORE_BACKEND_TYPES.map((b) => Type.Literal(b)))) }),
  ),
  componentReplicas: Type.Optional(ComponentReplicasSchema),
  conditions: Type.Optional(
    Type.Array(RisingWaveConditionSchema, {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    }),
  ),
  scaleViews: Type.Optional(Type.Array(ScaleViewLockSchema)),
  internal: Type.Optional(Type.Object({ stateStoreRootPath: Type.Optional(Type.String()) })),
});
export type RisingWaveStatus = Static<typeof RisingWaveStatusSchema>;
