import type { RisingWaveContext } from './context.js';
import type { BuildInput } from '../builders/plan.js';
import { canonicalize } from '../kube/canonical.js';
import type { KubeObject } from '../kube/kube-object.js';
import { componentName, type GroupComponent } from '../builders/names.js';
import { expectedGroups, frontendIsStatefulSet, isStandalone, workloadKind } from '../builders/plan.js';
import { workloadRemovals } from '../builders/reconcile.js';
import { storesStatefulSetMaxUnavailable } from '../builders/workloads.js';
import { memoBuilt, memoGroupWorkload } from './workload-memo.js';
import { activeAutoscaling, autoscaledReplicas, autoscalersRegistered, withReplicas } from '../builders/autoscaler.js';
import type { NodeGroup } from '../api/risingwave.js';
import { STATEFULSET_KEY } from '../kube/child-keys.js';

/** The builders' input, taken from the sync context. */
export function buildInput(ctx: RisingWaveContext): BuildInput {
  const stored = storesStatefulSetMaxUnavailable(ctx.observed.list(STATEFULSET_KEY));
  return {
    rw: ctx.rw,
    operatorVersion: ctx.options.operatorVersion,
    maxUnavailableStatefulSet: stored ?? ctx.options.maxUnavailableStatefulSet,
    related: ctx.related,
  };
}

/** Put a typed child in its canonical form (builders may leave optional fields undefined). */
export function put(ctx: RisingWaveContext, obj: { apiVersion: string; kind: string; metadata?: unknown }): void {
  ctx.desired.put(canonicalize(obj) as unknown as KubeObject);
}

/**
 * Put a child that `build` makes from the builders' input alone (nothing observed): built and canonicalised
 * once while the input is unchanged, in the sync's build memo keyed by `build` itself
 * (src/reactions/workload-memo.ts).
 */
export function putBuilt(ctx: RisingWaveContext, build: (input: BuildInput) => { apiVersion: string; kind: string; metadata?: unknown }): KubeObject {
  const input = buildInput(ctx);
  const built = memoBuilt(ctx.caches.builds, input, build);
  ctx.desired.put(built);
  return built;
}

/** Remove an observed child, if there is one by that name. */
export function removeIfObserved(ctx: RisingWaveContext, groupKey: string, name: string, reason: string): void {
  const obj = ctx.observed.get(groupKey, name);
  if (obj) ctx.desired.remove(obj, reason);
}


/**
 * Put the workload of every node group of a component, and remove the component's observed workloads
 * that are not expected: groups dropped from the spec, the frontend's other form after a switch, and all
 * of them in standalone mode.
 */
export function syncNodeGroups(ctx: RisingWaveContext, component: GroupComponent): void {
  const input = buildInput(ctx);
  const { rw } = ctx;
  const n = rw.metadata.name;
  const groups = expectedGroups(rw, component);
  const kind = workloadKind(rw, component);
  const registered = autoscalersRegistered(ctx.observed);
  groups.forEach((g, i) => ctx.desired.put(groupWorkload(ctx, input, component, g, i, registered)));
  const names = new Set(groups.map((g) => componentName(n, component, g.name)));
  const none = new Set<string>();
  const standalone = isStandalone(rw);
  const otherForm =
    component === 'frontend'
      ? frontendIsStatefulSet(rw)
        ? 'the frontend runs as StatefulSets (enableFrontendStatefulSet)'
        : 'the frontend runs as Deployments (enableFrontendStatefulSet is off)'
      : `${component} never runs as this kind`;
  const whyStandalone = 'standalone mode is enabled: node groups are not deployed';
  const removals = workloadRemovals(ctx.observed, n, component, {
    StatefulSet: kind === 'StatefulSet' ? names : none,
    Deployment: kind === 'Deployment' ? names : none,
    whyNone: {
      StatefulSet: standalone ? whyStandalone : kind === 'StatefulSet' ? undefined : otherForm,
      Deployment: standalone ? whyStandalone : kind === 'Deployment' ? undefined : otherForm,
    },
  });
  for (const r of removals) ctx.desired.remove(r.obj, r.reason);
}

/** A group's workload; an autoscaled group's replica count is the autoscaler's (src/builders/autoscaler.ts). */
function groupWorkload(ctx: RisingWaveContext, input: BuildInput, component: GroupComponent, group: NodeGroup, index: number, registered: boolean): KubeObject {
  const built = memoGroupWorkload(ctx.caches.builds, input, component, group, index);
  const autoscaling = activeAutoscaling(group, registered);
  if (autoscaling === undefined) return built;
  return withReplicas(built, autoscaledReplicas(ctx.observed, built, group, autoscaling));
}
