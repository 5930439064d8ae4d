import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IHorizontalPodAutoscalerBehavior } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior';
import type { IHPAScalingRules } from 'kubernetes-models/autoscaling/v2/HPAScalingRules';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import type { IMetricTarget } from 'kubernetes-models/autoscaling/v2/MetricTarget';
import type { NodeGroup, NodeGroupAutoscaling } from '../api/risingwave.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ObservedIndex } from '../kube/observed.js';
import { objectLabels } from './labels.js';
import { componentName, type GroupComponent } from './names.js';
import { workloadKind, type BuildInput } from './plan.js';
import { canonicalQuantity } from '../kube/quantity.js';
import { HPA_KEY, WORKLOAD_KEY_BY_KIND } from '../kube/child-keys.js';

/**
 * Per-group autoscaling ("serverless RisingWave"): a node group with `autoscaling` gets an autoscaling/v2
 * HorizontalPodAutoscaler, named like its workload, that owns the workload's replica count.
 */


/**
 * Whether the CompositeController registers HPAs as a child type (Metacontroller sends every rule's key).
 * Without the rule the hook could not see the HPA it asked for, so it would reset the workload's replicas
 * on every sync and fight the autoscaler: autoscaling is then not applied at all.
 */
export function autoscalersRegistered(observed: ObservedIndex): boolean {
  return observed.hasGroup(HPA_KEY);
}

/** The autoscaling the hook acts on for a group: none unless the group asks and HPAs are registered. */
export function activeAutoscaling(group: NodeGroup, registered: boolean): NodeGroupAutoscaling | undefined {
  return registered ? group.autoscaling : undefined;
}

export function minReplicasOf(autoscaling: NodeGroupAutoscaling): number {
  return autoscaling.minReplicas ?? 1;
}

export function clampReplicas(replicas: number, autoscaling: NodeGroupAutoscaling): number {
  return Math.min(Math.max(replicas, minReplicasOf(autoscaling)), autoscaling.maxReplicas);
}

/**
 * The `spec.replicas` the hook sends for an autoscaled group's workload.
 *
 * Why not just leave `replicas` out of the desired workload: Metacontroller applies children with a 3-way
 * merge, and a key that the last-applied configuration had but the desired object lacks is REMOVED from the
 * live object; the API server then defaults `spec.replicas` to 1, scaling the group down to one pod on the
 * first sync after autoscaling is turned on (and the HPA scales it back: a fight). So the hook always sends
 * a number, chosen so that it never changes what the HPA decided:
 *
 * - While the workload or its HPA is not observed (the group is new, autoscaling was just turned on, or
 *   the workload is being recreated), nobody else has decided yet: the spec's `replicas` clamped into
 *   [minReplicas, maxReplicas] — the value the HPA would move it to anyway. Waiting for the HPA to be
 *   observed too (not only the workload) matters for a group whose workload already runs with 0 replicas:
 *   the HPA controller disables itself for a target at 0, so handing it 0 would never autoscale.
 * - Once both are observed, the HPA owns the count: the OBSERVED workload's `spec.replicas`, whatever the
 *   spec says. The merge then sees desired == observed and writes nothing to `replicas`. A user's
 *   `kubectl scale --replicas=0` is kept too (the HPA's documented way to pause autoscaling).
 */
export function autoscaledReplicas(
  observed: ObservedIndex,
  desiredWorkload: KubeObject,
  group: NodeGroup,
  autoscaling: NodeGroupAutoscaling,
): number {
  const name = desiredWorkload.metadata.name;
  const workload = observed.get(WORKLOAD_KEY_BY_KIND[desiredWorkload.kind as keyof typeof WORKLOAD_KEY_BY_KIND], name);
  const hpa = observed.get(HPA_KEY, name);
  const current = (workload?.spec as { replicas?: unknown } | undefined)?.replicas;
  if (workload !== undefined && hpa !== undefined && typeof current === 'number' && Number.isInteger(current) && current >= 0) {
    return current;
  }
  return clampReplicas(group.replicas ?? 0, autoscaling);
}

/**
 * The workload with the replica count the autoscaler owns. Builders' workloads are shared and frozen
 * (workload-memo.ts), so this is a copy; keys keep their (sorted) order.
 */
export function withReplicas(workload: KubeObject, replicas: number): KubeObject {
  const spec = workload.spec as Record<string, unknown>;
  if (spec.replicas === replicas) return workload;
  return { ...workload, spec: { ...spec, replicas } };
}

/** The group's HorizontalPodAutoscaler, in the form the API server stores (its defaults made explicit). */
export function horizontalPodAutoscaler(
  input: BuildInput,
  component: GroupComponent,
  group: NodeGroup,
  autoscaling: NodeGroupAutoscaling,
): IHorizontalPodAutoscaler {
  const { rw, operatorVersion } = input;
  const name = componentName(rw.metadata.name, component, group.name);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      namespace: rw.metadata.namespace,
      labels: objectLabels(rw, operatorVersion, { component, group: group.name }),
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: workloadKind(rw, component), name },
      minReplicas: minReplicasOf(autoscaling),
      maxReplicas: autoscaling.maxReplicas,
      metrics: autoscalerMetrics(autoscaling),
      behavior: autoscalerBehavior(autoscaling.behavior),
    },
  };
}

/**
 * The CPU target first (when set), then `metrics` as written. Never empty: validation requires one of the
 * two, and an empty list would make the server substitute its own 80% CPU default.
 */
export function autoscalerMetrics(autoscaling: NodeGroupAutoscaling): IMetricSpec[] {
  const out: IMetricSpec[] = [];
  if (autoscaling.targetCPUUtilizationPercentage !== undefined) {
    out.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCPUUtilizationPercentage } },
    });
  }
  for (const metric of autoscaling.metrics ?? []) out.push(canonicalMetric(metric));
  return out;
}

const METRIC_SOURCES = ['object', 'pods', 'resource', 'external', 'containerResource'] as const;

/** Quantities in the metric targets as the server stores them (`0.5` → `500m`); everything else as written. */
function canonicalMetric(metric: IMetricSpec): IMetricSpec {
  const out: Record<string, unknown> = { ...metric };
  for (const key of METRIC_SOURCES) {
    const source = metric[key] as { target?: IMetricTarget } | undefined;
    if (source?.target === undefined) continue;
    out[key] = { ...source, target: canonicalTarget(source.target) };
  }
  return out as unknown as IMetricSpec;
}

function canonicalTarget(target: IMetricTarget): IMetricTarget {
  const out: IMetricTarget = { ...target };
  if (target.value !== undefined) out.value = canonicalQuantity(target.value as string | number);
  if (target.averageValue !== undefined) out.averageValue = canonicalQuantity(target.averageValue as string | number);
  return out;
}

/**
 * The server fills every unset rule of a present `behavior` with its defaults (k8s pkg/apis/autoscaling/v2
 * defaults.go: scale-up 0 s window, Max, 4 pods or 100% per 15 s; scale-down Max, 100% per 15 s and no
 * window, which the controller takes from its flag). Sending them explicitly keeps desired == stored.
 * An absent `behavior` stays absent: the server adds none then.
 */
export function autoscalerBehavior(behavior: IHorizontalPodAutoscalerBehavior | undefined): IHorizontalPodAutoscalerBehavior | undefined {
  if (behavior === undefined) return undefined;
  return {
    scaleUp: scalingRules(behavior.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    }),
    scaleDown: scalingRules(behavior.scaleDown, {
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    }),
  };
}

function scalingRules(given: IHPAScalingRules | undefined, defaults: IHPAScalingRules): IHPAScalingRules {
  return {
    ...given,
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: given?.policies ?? defaults.policies,
    // Only kept by servers with the HPAConfigurableTolerance gate; a server without it drops the field and
    // Metacontroller re-sends it each sync (a no-op update). The gate is on by default since Kubernetes 1.35.
    tolerance: given?.tolerance === undefined ? undefined : canonicalQuantity(given.tolerance as string | number),
  };
}
