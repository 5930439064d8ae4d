import { LABEL_COMPONENT, LABEL_GENERATION, LABEL_GROUP, NO_SYNC } from '../../builders/labels.js';
import type { DesiredChildren } from '../../kube/desired.js';
import { groupKeyOf, type KubeObject } from '../../kube/kube-object.js';
import type { ObservedIndex } from '../../kube/observed.js';
import { lastAppliedOf, sameAsLastApplied, sameJson } from '../../kube/last-applied.js';
import { rolloutBlocker } from './rollout.js';
import { CONFIGMAP_KEY, SERVICE_KEY, WORKLOAD_KEYS } from '../../kube/child-keys.js';

/** Child types whose absence keeps a RisingWave from Running (the Go operator's Collect* checks). */
export const REQUIRED_GROUP_KEYS = [CONFIGMAP_KEY, SERVICE_KEY, ...WORKLOAD_KEYS] as const;

/** How far the observed children are from what this sync desires. */
export interface Readiness {
  /** `Kind name` of required children this sync puts that are not observed (sorted). */
  readonly missing: readonly string[];
  /** `Kind name` of StatefulSets this sync deletes to recreate (sorted). */
  readonly recreating: readonly string[];
  /** `component` or `component/group` of workloads not rolled out with the desired template (sorted). */
  readonly pending: readonly string[];
}

export function isReady(r: Readiness): boolean {
  return r.missing.length === 0 && r.recreating.length === 0 && r.pending.length === 0;
}

/**
 * Compare the desired children of this sync with the observed ones. A workload is done when it exists,
 * was built from the current RisingWave generation (its `risingwave/generation` label), carries the spec
 * the hook now desires (its last-applied spec equals the desired spec, so a change Metacontroller has not
 * applied yet is not mistaken for done), and is rolled out (rollout.ts).
 */
export function readiness(generation: number, observed: ObservedIndex, desired: DesiredChildren): Readiness {
  const required = new Set<string>(REQUIRED_GROUP_KEYS);
  const workloadKeys = new Set<string>(WORKLOAD_KEYS);
  const missing: string[] = [];
  const pending = new Set<string>();
  for (const want of desired.putObjects()) {
    const key = groupKeyOf(want);
    if (!required.has(key)) continue;
    const have = observed.get(key, want.metadata.name);
    if (!have) {
      missing.push(`${want.kind} ${want.metadata.name}`);
      continue;
    }
    if (!workloadKeys.has(key)) continue;
    if (!isCurrent(have, want, generation) || rolloutBlocker(have) !== undefined) pending.add(groupLabel(want));
  }
  const recreating = desired
    .removalList()
    .filter((r) => r.recreate)
    .map((r) => r.id)
    .map((id) => {
      const { kind, name } = parseId(id);
      return `${kind} ${name}`;
    });
  return { missing: missing.sort(), recreating: recreating.sort(), pending: [...pending].sort() };
}

/** Built from `generation` (or never re-synced) and carrying the spec the hook now desires. */
export function isCurrent(have: KubeObject, want: KubeObject, generation: number): boolean {
  const label = have.metadata.labels?.[LABEL_GENERATION];
  if (label !== NO_SYNC) {
    const built = label === undefined || !/^\d+$/.test(label) ? -1 : Number(label);
    if (built < generation) return false;
  }
  if (sameAsLastApplied(have, want) === true) return true;
  const applied = lastAppliedOf(have);
  return applied === undefined || sameJson(applied.spec ?? null, want.spec ?? null);
}

/** `compute` for the default group, `compute/<group>` for a named one; the object name without labels. */
export function groupLabel(workload: KubeObject): string {
  const component = workload.metadata.labels?.[LABEL_COMPONENT];
  if (component === undefined) return workload.metadata.name;
  const group = workload.metadata.labels?.[LABEL_GROUP] ?? '';
  return group === '' ? component : `${component}/${group}`;
}

function parseId(id: string): { kind: string; name: string } {
  const dot = id.indexOf('.');
  const slash = id.lastIndexOf('/');
  return { kind: id.slice(0, dot), name: id.slice(slash + 1) };
}
