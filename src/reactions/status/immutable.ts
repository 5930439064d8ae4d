import { canonicalJson } from '../../kube/canonical.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { lastAppliedOf, sameAsLastApplied } from '../../kube/last-applied.js';
import { recordOr } from '../../kube/records.js';

export { lastAppliedOf };

/**
 * StatefulSet spec fields the API server refuses to change in place ("updates to statefulset spec for
 * fields other than … are forbidden"), with the value the server stores when the field is left out.
 */
export const STATEFULSET_IMMUTABLE_FIELDS = [
  { field: 'volumeClaimTemplates', absent: [] as unknown },
  { field: 'serviceName', absent: '' as unknown },
  { field: 'selector', absent: undefined as unknown },
  { field: 'podManagementPolicy', absent: 'OrderedReady' as unknown },
] as const;

export type ImmutableField = (typeof STATEFULSET_IMMUTABLE_FIELDS)[number]['field'];

/**
 * The immutable StatefulSet fields the desired object would change, or [] when an in-place update can work.
 *
 * The comparison is against what the hook last applied (the `last-applied-configuration` annotation), never
 * against the live object, whose server-filled defaults would otherwise look like a change on every sync.
 * A field counts as changed only if it also differs from the live value: a desired value the server already
 * holds (e.g. an explicit default that the last-applied copy left out) is accepted by the server as is.
 * Without a readable annotation nothing is known, so nothing fires: the update is tried, as the Go operator
 * does before its delete-and-recreate.
 */
export function immutableFieldChanges(observed: KubeObject, desired: KubeObject): ImmutableField[] {
  if (sameAsLastApplied(observed, desired) === true) return [];
  const lastApplied = lastAppliedOf(observed);
  if (!lastApplied) return [];
  const was = recordOr(lastApplied.spec);
  const want = recordOr(desired.spec);
  const live = recordOr(observed.spec);
  const changed: ImmutableField[] = [];
  for (const { field, absent } of STATEFULSET_IMMUTABLE_FIELDS) {
    const before = was[field] ?? absent;
    const after = want[field] ?? absent;
    if (canonicalJson(normalise(before)) === canonicalJson(normalise(after))) continue;
    if (after !== undefined && isContainedIn(normalise(after), normalise(live[field] ?? absent))) continue;
    changed.push(field);
  }
  return changed;
}

/** An empty list and a missing one are the same stored value. */
function normalise(v: unknown): unknown {
  return Array.isArray(v) && v.length === 0 ? [] : v;
}

/**
 * Every value `want` sets is present in `have` (objects: each key, recursively; lists: same length, item by
 * item; scalars: equal). Extra keys in `have` are server defaults and do not count.
 */
export function isContainedIn(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => isContainedIn(w, have[i]));
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    const h = have as Record<string, unknown>;
    return Object.entries(want as Record<string, unknown>).every(([k, v]) => v === undefined || v === null || isContainedIn(v, h[k]));
  }
  return want === have;
}

