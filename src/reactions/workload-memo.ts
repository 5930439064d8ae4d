import { hash } from 'node:crypto';
import type { BuildInput } from '../builders/plan.js';
import type { GroupComponent } from '../builders/names.js';
import type { NodeGroup } from '../api/risingwave.js';
import { groupWorkload } from '../builders/workloads.js';
import type { BuildMemo } from '../cache/builds.js';
import { exactJson } from '../kube/exact-json.js';
import type { KubeObject } from '../kube/kube-object.js';

/**
 * What a built child depends on, for the build memo (src/cache/builds.ts): canonical node-group workloads
 * and the other children built from the builders' input alone are reused while that input is unchanged.
 *
 * `groupWorkload` is a pure function of the defaulted RisingWave's metadata (name, namespace, generation,
 * labels, annotations, ...), its spec, `status.internal` (the state store root), the operator version and
 * the related ConfigMaps/Secrets (config hashes). Between two resyncs of a settled parent none of these
 * change (what changes is the children's status and resourceVersion), so the pod templates, env lists and
 * canonical forms of a sync are the previous sync's. Everything that reads the observed children (removals,
 * immutable-field recreates, readiness, status) still runs on every sync: only the build is shared.
 *
 * The key covers the whole defaulted metadata except what the API server bumps on every write and no
 * builder reads (resourceVersion, managedFields), so a builder that starts reading another field is still
 * correct.
 */

/** `index` is the group's position among the component's expected groups (names are unique once valid). */
export function memoGroupWorkload(memo: BuildMemo, input: BuildInput, component: GroupComponent, group: NodeGroup, index: number): KubeObject {
  const key = memo.enabled ? `${inputKey(memo, input)}\u0000${component}\u0000${index}\u0000${group.name}` : '';
  return memo.built(groupWorkload, key, () => groupWorkload(input, component, group));
}

/** Any child that is a pure function of the builders' input, keyed by the builder function itself. */
export function memoBuilt(memo: BuildMemo, input: BuildInput, build: (input: BuildInput) => object): KubeObject {
  return memo.built(build, memo.enabled ? inputKey(memo, input) : '', () => build(input));
}

/**
 * Per defaulted RisingWave (shared between syncs of an unchanged parent, see prepareRisingWaveShared): its
 * key, for the operator version and related objects (by their digest, so that this holds no large text) it
 * was computed with.
 */
function inputKey(memo: BuildMemo, input: BuildInput): string {
  const related = relatedText(memo, input);
  const maxUnavailable = input.maxUnavailableStatefulSet;
  return memo.keyOf(input.rw, [input.operatorVersion, maxUnavailable, related], () => {
    const { resourceVersion: _rv, managedFields: _mf, ...metadata } = input.rw.metadata as Record<string, unknown>;
    // Exact: -0 and 0 (or a non-finite number and null, which the server refuses anyway) give different keys.
    const text = exactJson([metadata, input.rw.spec, input.rw.status?.internal ?? null, input.operatorVersion, maxUnavailable, related]);
    // The digest keeps the map's keys short: V8 hashes strings past 16 KiB by their length alone.
    return hash('sha256', text, 'base64');
  });
}

const NO_SALT: readonly unknown[] = [];

/** A digest of the related objects of this sync (one index per sync, so remembered by identity). */
function relatedText(memo: BuildMemo, input: BuildInput): string {
  const index = input.related;
  if (index === undefined) return 'null';
  return memo.keyOf(index, NO_SALT, () => hash('sha256', exactJson(index.all().map(({ key, obj }) => [key, obj])), 'base64'));
}
