import type { RisingWaveContext } from './context.js';
import type { GroupAutoscalingStatus } from '../api/risingwave.js';
import { activeAutoscaling, autoscalersRegistered, horizontalPodAutoscaler, minReplicasOf } from '../builders/autoscaler.js';
import { LABEL_COMPONENT, LABEL_GROUP, LABEL_NAME } from '../builders/labels.js';
import { componentName, GROUP_COMPONENTS } from '../builders/names.js';
import { expectedGroups, isStandalone, workloadKind } from '../builders/plan.js';
import { autoscaledGroupKey, type AutoscaledGroups } from './status/replicas.js';
import type { KubeObject } from '../kube/kube-object.js';
import { ConditionType, listForMessage, Reason } from './status/vocabulary.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { buildInput, put } from './support.js';
import { HPA_KEY, WORKLOAD_KEY_BY_KIND } from '../kube/child-keys.js';

type R = RisingWaveContext;

/**
 * One HorizontalPodAutoscaler per node group with `autoscaling` (the workload's replica count is decided
 * with the workload, in support.ts). An observed HPA of this RisingWave whose group no longer autoscales,
 * left the spec, or is not deployed (standalone mode) is removed on purpose, and the group's replicas go
 * back to the spec's in the same sync. When groups ask for autoscaling but the CompositeController does not
 * register HPAs, nothing is autoscaled and a condition says why.
 */
export const syncAutoscalers = reaction<R>('SyncAutoscalers', (ctx) => {
  const { rw } = ctx;
  const registered = autoscalersRegistered(ctx.observed);
  const input = buildInput(ctx);
  const keep = new Set<string>();
  const wanted: string[] = [];
  for (const component of GROUP_COMPONENTS) {
    for (const group of expectedGroups(rw, component)) {
      if (group.autoscaling === undefined) continue;
      const name = componentName(rw.metadata.name, component, group.name);
      wanted.push(name);
      const autoscaling = activeAutoscaling(group, registered);
      if (autoscaling === undefined) continue;
      put(ctx, horizontalPodAutoscaler(input, component, group, autoscaling));
      keep.add(name);
    }
  }
  for (const hpa of ctx.observed.select(HPA_KEY, { [LABEL_NAME]: rw.metadata.name })) {
    if (!keep.has(hpa.metadata.name)) ctx.desired.remove(hpa, removalReason(ctx, hpa));
  }
  if (wanted.length > 0 && !registered) {
    ctx.conditions.set(
      ConditionType.Autoscaling,
      'False',
      Reason.NotRegistered,
      `node groups ask for autoscaling (${listForMessage(wanted)}), but HorizontalPodAutoscaler (autoscaling/v2) is not a child resource of the CompositeController; their replicas follow the spec`,
    );
  } else {
    ctx.conditions.remove(ConditionType.Autoscaling);
  }
  return CONTINUE;
});

function removalReason(ctx: R, hpa: KubeObject): string {
  const component = hpa.metadata.labels?.[LABEL_COMPONENT];
  const group = hpa.metadata.labels?.[LABEL_GROUP];
  if (isStandalone(ctx.rw)) return 'standalone mode is enabled: node groups are not deployed';
  const known = GROUP_COMPONENTS.find((c) => c === component);
  if (known === undefined || group === undefined) return `HorizontalPodAutoscaler ${hpa.metadata.name} belongs to no node group in the spec`;
  const inSpec = expectedGroups(ctx.rw, known).find((g) => g.name === group);
  if (inSpec === undefined) return `${known} node group "${group}" is no longer in the spec`;
  return `${known} node group "${group}" no longer has autoscaling: its replicas follow the spec again`;
}

/**
 * Autoscaled groups for `status.componentReplicas`: the replica count this sync sends for the workload (the
 * HPA's once it acts, see src/builders/autoscaler.ts) and the HPA's bounds. `currentReplicas` and
 * `desiredReplicas` are the observed HPA's status, shown once the HPA controller has reconciled it (it then
 * always sets conditions; before that the stored status is an empty `desiredReplicas: 0`); `desiredReplicas`
 * only once it is non-zero, because the controller leaves it at 0 until it has had metrics to compute one
 * (or has clamped the target into its bounds). Nothing else of the HPA status is copied: its times and
 * messages change without a real transition.
 */
export function autoscaledGroups(ctx: R): AutoscaledGroups {
  const out = new Map<string, { target: number; autoscaling: GroupAutoscalingStatus }>();
  const registered = autoscalersRegistered(ctx.observed);
  const { rw } = ctx;
  for (const component of GROUP_COMPONENTS) {
    const key = WORKLOAD_KEY_BY_KIND[workloadKind(rw, component)];
    for (const group of expectedGroups(rw, component)) {
      const autoscaling = activeAutoscaling(group, registered);
      if (autoscaling === undefined) continue;
      const name = componentName(rw.metadata.name, component, group.name);
      const workload = ctx.desired.getPut(`${key}/${name}`);
      const target = (workload?.spec as { replicas?: number } | undefined)?.replicas ?? group.replicas ?? 0;
      const status: GroupAutoscalingStatus = { minReplicas: minReplicasOf(autoscaling), maxReplicas: autoscaling.maxReplicas };
      const hpaStatus = ctx.observed.get(HPA_KEY, name)?.status as { conditions?: unknown; currentReplicas?: unknown; desiredReplicas?: unknown } | undefined;
      if (Array.isArray(hpaStatus?.conditions) && hpaStatus.conditions.length > 0) {
        status.currentReplicas = int(hpaStatus.currentReplicas);
        // 0 until the controller has computed a count (it keeps the old value while metrics are missing).
        const desired = int(hpaStatus.desiredReplicas);
        if (desired > 0) status.desiredReplicas = desired;
      }
      out.set(autoscaledGroupKey(component, group.name), { target, autoscaling: status });
    }
  }
  return out;
}

/** An int32 status field; omitted (`omitempty`) means 0. */
function int(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}
