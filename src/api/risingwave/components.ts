/**
 * `spec.components`: the node groups of meta, frontend, compute and compactor, or the standalone pod
 * (Go: `RisingWaveComponentsSpec`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Int32, Time } from './building-blocks.js';
import { NodeGroupSchema, NodeGroupTemplateSchema, PersistentVolumeClaimRetentionPolicySchema, PersistentVolumeClaimTemplateSchema, UpgradeStrategySchema } from './node-group.js';

/** Benchmarks run RisingWaves with 1000 compute groups; the API server's CEL cost estimate uses this bound. */
export const MAX_NODE_GROUPS = 1000;

export const RisingWaveComponentSchema = Type.Object({
  logLevel: Type.Optional(Type.String({ default: 'INFO' })),
  disallowPrintStackTraces: Type.Optional(Type.Boolean()),
  nodeGroups: Type.Optional(
    Type.Array(NodeGroupSchema, {
      maxItems: MAX_NODE_GROUPS,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
});
export type RisingWaveComponent = Static<typeof RisingWaveComponentSchema>;

export const StandaloneComponentSchema = Type.Object({
  logLevel: Type.Optional(Type.String({ default: 'INFO' })),
  disallowPrintStackTraces: Type.Optional(Type.Boolean()),
  restartAt: Type.Optional(Time()),
  replicas: Int32({ default: 1, minimum: 0, maximum: 1 }),
  upgradeStrategy: Type.Optional(UpgradeStrategySchema),
  minReadySeconds: Type.Optional(Int32()),
  volumeClaimTemplates: Type.Optional(Type.Array(PersistentVolumeClaimTemplateSchema)),
  persistentVolumeClaimRetentionPolicy: Type.Optional(PersistentVolumeClaimRetentionPolicySchema),
  progressDeadlineSeconds: Type.Optional(Int32()),
  template: Type.Optional(NodeGroupTemplateSchema),
});
export type StandaloneComponent = Static<typeof StandaloneComponentSchema>;

export const COMPONENTS = ['meta', 'frontend', 'compute', 'compactor'] as const;
export type Component = (typeof COMPONENTS)[number];

export const ComponentsSchema = Type.Object({
  meta: Type.Optional(RisingWaveComponentSchema),
  frontend: Type.Optional(RisingWaveComponentSchema),
  compute: Type.Optional(RisingWaveComponentSchema),
  compactor: Type.Optional(RisingWaveComponentSchema),
  standalone: Type.Optional(StandaloneComponentSchema),
});
export type Components = Static<typeof ComponentsSchema>;
