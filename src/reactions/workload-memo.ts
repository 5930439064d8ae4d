import { hash } from 'node:crypto';
import type { BuildInput } from '../builders/plan.js';
import type { GroupComponent } from '../builders/names.js';
import type { NodeGroup } from '../api/risingwave.js';
import { groupWorkload } from '../builders/workloads.js';
import { canonicalize } from '../kube/canonical.js';
import { BoundedLru } from '../cache/bounded-lru.js';
import { deepFreeze } from '../kube/deep-freeze.js';
import { exactJson } from '../kube/exact-json.js';
import type { KubeObject } from '../kube/kube-object.js';
import { json } from '../kube/last-applied.js';

/**
 * Canonical node-group workloads of earlier syncs, reused while their inputs are unchanged.
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
 * correct. Cached objects are deep-frozen: they are shared between syncs, and a reaction that mutated one
 * would throw instead of corrupting later answers.
 */
/**
 * Costed in bytes, two per character of the key and of the cached workload's JSON (the objects and the text
 * `json` memoises for them take about three times that). Bounded by number alone, 300 parents with a 1 MiB
 * pod annotation in each group kept 2.4 GiB alive (found by the fuzz suite); the hook's pod is limited to
 * 512 MiB. 32 MiB (16 Mi characters) holds the workloads of several parents of 100 node groups per component.
 */
export const WORKLOAD_MEMO_MAX_BYTES = 32 * 2 ** 20;
const entries = new BoundedLru<string, KubeObject>({ maxCost: WORKLOAD_MEMO_MAX_BYTES, maxEntries: 4096 });
/** Besides the strings: the map slot and the entry objects. */
const ENTRY_OVERHEAD_BYTES = 256;
/** A workload this large is built for its own sync only: it would push out hundreds of ordinary ones. */
const MAX_ENTRY_CHARS = 512 * 2 ** 10;
/**
 * Per defaulted RisingWave (shared between syncs of an unchanged parent, see prepareRisingWaveShared): its
 * key, for the operator version and related objects (by their digest, so that this holds no large text) it
 * was computed with.
 */
const inputKeys = new WeakMap<object, { operatorVersion: string; maxUnavailable: boolean; related: string; key: string }>();

/** `index` is the group's position among the component's expected groups (names are unique once valid). */
export function memoGroupWorkload(input: BuildInput, component: GroupComponent, group: NodeGroup, index: number): KubeObject {
  return memoize(input, groupWorkload, `${component}\u0000${index}\u0000${group.name}`, () => groupWorkload(input, component, group));
}

/**
 * Any child that is a pure function of the builders' input (the Services, the ServiceMonitor, the standalone
 * StatefulSet), canonical and deep-frozen, shared like the node-group workloads. Keyed by the builder
 * function itself: two builders can never share an entry, whatever they are called.
 */
export function memoBuilt(input: BuildInput, build: (input: BuildInput) => object): KubeObject {
  return memoize(input, build, '', () => build(input));
}

/** A number per builder function, for the key (functions cannot be part of a string key themselves). */
const builderIds = new WeakMap<object, number>();
let lastBuilderId = 0;
function builderId(build: object): number {
  let id = builderIds.get(build);
  if (id === undefined) {
    id = ++lastBuilderId;
    builderIds.set(build, id);
  }
  return id;
}

/** `args` names the builder's arguments besides `input`; it never contains NUL, which separates the parts. */
function memoize(input: BuildInput, builder: object, args: string, build: () => object): KubeObject {
  const key = `${inputKey(input)}\u0000${builderId(builder)}\u0000${args}`;
  // peek: a hit leaves the eviction order as it is (the oldest built goes first).
  const cached = entries.peek(key);
  if (cached !== undefined) return cached;
  const built = deepFreeze(canonicalize(build()) as unknown as KubeObject);
  // The response serialises it with `json` anyway (src/server/response.ts): measuring costs nothing extra.
  const chars = json(built).length;
  if (chars <= MAX_ENTRY_CHARS) entries.set(key, built, ENTRY_OVERHEAD_BYTES + 2 * (key.length + chars));
  return built;
}

function inputKey(input: BuildInput): string {
  const related = relatedText(input);
  const known = inputKeys.get(input.rw);
  const maxUnavailable = input.maxUnavailableStatefulSet;
  if (known !== undefined && known.operatorVersion === input.operatorVersion && known.maxUnavailable === maxUnavailable && known.related === related) return known.key;
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = input.rw.metadata as Record<string, unknown>;
  // Exact: -0 and 0 (or a non-finite number and null, which the server refuses anyway) give different keys.
  const text = exactJson([metadata, input.rw.spec, input.rw.status?.internal ?? null, input.operatorVersion, maxUnavailable, related]);
  // The digest keeps the map's keys short: V8 hashes strings past 16 KiB by their length alone.
  const key = hash('sha256', text, 'base64');
  inputKeys.set(input.rw, { operatorVersion: input.operatorVersion, maxUnavailable, related, key });
  return key;
}

/** A digest of the related objects of this sync (one index per sync, so memoised by identity). */
const relatedTexts = new WeakMap<object, string>();
function relatedText(input: BuildInput): string {
  if (input.related === undefined) return 'null';
  let text = relatedTexts.get(input.related);
  if (text === undefined) {
    text = hash('sha256', exactJson(input.related.all().map(({ key, obj }) => [key, obj])), 'base64');
    relatedTexts.set(input.related, text);
  }
  return text;
}

/** For tests: forget every cached workload. */
export function clearWorkloadMemo(): void {
  entries.clear();
}

/** What the cached workloads hold, in bytes as they are costed. */
export function workloadMemoBytes(): number {
  return entries.cost;
}
