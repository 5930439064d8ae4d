import type { ComponentReplicaStatus, ComponentReplicas, GroupAutoscalingStatus, GroupReplicaStatus, RisingWave } from '../../api/risingwave.js';
import { LABEL_COMPONENT, LABEL_GROUP, LABEL_NAME } from '../../builders/labels.js';
import { GROUP_COMPONENTS, type WorkloadComponent } from '../../builders/names.js';
import { expectedGroups, isStandalone } from '../../builders/plan.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { readyReplicas } from './rollout.js';
import { WORKLOAD_KEYS } from '../../kube/child-keys.js';

/** Workload kinds whose `status.readyReplicas` the status reports. */

/** An autoscaled group as status shows it: the replica count its autoscaler owns, and the autoscaler. */
export interface AutoscaledGroup {
  readonly target: number;
  readonly autoscaling: GroupAutoscalingStatus;
}

/** Autoscaled groups by `<component>/<group name>`. */
export type AutoscaledGroups = ReadonlyMap<string, AutoscaledGroup>;

export const autoscaledGroupKey = (component: WorkloadComponent, group: string): string => `${component}/${group}`;

/**
 * `status.componentReplicas` (reference §2), from the spec and the workloads that exist once this sync's
 * response is applied — observed workloads minus those the response deletes.
 *
 * - target: the sum of the spec groups' replicas; running: the sum of readyReplicas of the workloads found.
 * - groups, sorted by name: every spec group (exists = a workload is there; running 0 when not); a workload
 *   whose group is not in the spec (kept because nobody removed it) is listed as `<group>(-)`, target 0.
 *   A workload this response deletes is not listed: the status is written after the deletion, and listing
 *   it would describe an object that is already gone (and drop out one sync later anyway).
 * - standalone mode reports only `standalone`: target = its replicas (1 when unset), one group named "".
 * - an autoscaled group's target is the count its HorizontalPodAutoscaler owns (what the hook sends as the
 *   workload's replicas), not the spec's, and the group carries an `autoscaling` summary.
 */
export function componentReplicas(rw: RisingWave, workloads: readonly KubeObject[], autoscaled: AutoscaledGroups = new Map()): ComponentReplicas {
  const mine = workloads.filter((w) => w.metadata.labels?.[LABEL_NAME] === rw.metadata.name);
  const byComponent = (c: WorkloadComponent) => mine.filter((w) => w.metadata.labels?.[LABEL_COMPONENT] === c);
  if (isStandalone(rw)) {
    const target = rw.spec.components?.standalone?.replicas ?? 1;
    const found = byComponent('standalone');
    const running = sum(found.map(readyReplicas));
    return { standalone: { target, running, groups: [{ name: '', target, running, exists: found.length > 0 }] } };
  }
  const out: ComponentReplicas = {};
  for (const c of GROUP_COMPONENTS) {
    const spec = expectedGroups(rw, c).map((g) => {
      const a = autoscaled.get(autoscaledGroupKey(c, g.name));
      return a === undefined ? { name: g.name, target: g.replicas ?? 0 } : { name: g.name, target: a.target, autoscaling: a.autoscaling };
    });
    out[c] = groupReplicas(spec, byComponent(c));
  }
  return out;
}

function groupReplicas(spec: { name: string; target: number; autoscaling?: GroupAutoscalingStatus }[], found: KubeObject[]): ComponentReplicaStatus {
  const byGroup = new Map<string, KubeObject[]>();
  for (const w of found) {
    const g = w.metadata.labels?.[LABEL_GROUP] ?? '';
    byGroup.set(g, [...(byGroup.get(g) ?? []), w]);
  }
  const groups: GroupReplicaStatus[] = [];
  const inSpec = new Set<string>();
  for (const { name, target, autoscaling } of spec) {
    if (inSpec.has(name)) continue;
    inSpec.add(name);
    const ws = byGroup.get(name) ?? [];
    const group: GroupReplicaStatus = { name, target, running: sum(ws.map(readyReplicas)), exists: ws.length > 0 };
    if (autoscaling !== undefined) group.autoscaling = autoscaling;
    groups.push(group);
  }
  for (const [name, ws] of byGroup) {
    if (inSpec.has(name)) continue;
    groups.push({ name: `${name}(-)`, target: 0, running: sum(ws.map(readyReplicas)), exists: true });
  }
  groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const status: ComponentReplicaStatus = {
    target: sum(groups.map((g) => g.target ?? 0)),
    running: sum(groups.map((g) => g.running ?? 0)),
  };
  if (groups.length > 0) status.groups = groups;
  return status;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
