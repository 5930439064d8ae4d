import { carryOver } from './carry-over.js';
import type { DesiredChildren } from './desired.js';
import { childId, type KubeObject } from './kube-object.js';
import type { ObservedIndex } from './observed.js';
import { canonicalize } from './canonical.js';

export interface AssembledChildren {
  /** The complete desired set, sorted by `Kind.apiVersion/name`, canonical. */
  readonly children: KubeObject[];
  /** Ids of observed children returned unchanged because nobody decided about them. */
  readonly carriedOver: string[];
  /** Ids of observed children left out on purpose. */
  readonly removed: string[];
}

/**
 * The nothing-lost rule in one place: every observed child is in the answer, as the reaction put it or
 * carried over, unless a reaction removed it on purpose. New children follow.
 */
export function assembleChildren(observed: ObservedIndex, desired: DesiredChildren): AssembledChildren {
  const byId = new Map<string, KubeObject>();
  const carriedOver: string[] = [];
  const removed: string[] = [];
  for (const { obj } of observed.all()) {
    const id = childId(obj);
    if (desired.isRemoved(id)) {
      removed.push(id);
      continue;
    }
    const put = desired.getPut(id);
    if (put) {
      byId.set(id, put);
    } else {
      byId.set(id, carryOver(obj));
      carriedOver.push(id);
    }
  }
  for (const obj of desired.putObjects()) byId.set(childId(obj), obj);
  const children = [...byId.keys()].sort().map((id) => canonicalize(byId.get(id)!));
  return { children, carriedOver, removed };
}

/** Every observed child carried over: the answer when the hook must not change anything. */
export function carryOverAll(observed: ObservedIndex): KubeObject[] {
  return observed
    .all()
    .map(({ obj }) => ({ id: childId(obj), obj: carryOver(obj) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ obj }) => canonicalize(obj));
}
