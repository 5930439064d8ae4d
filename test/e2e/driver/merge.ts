/**
 * TEST INSTRUMENT — not product code.
 *
 * A TypeScript re-implementation of Metacontroller's "dynamic apply" (the default
 * `--apply-strategy=dynamic-apply`), used by the e2e sync driver (./sync-driver.ts) to update
 * children exactly the way Metacontroller would. Behaviour follows Metacontroller v4.17
 * `pkg/dynamic/apply/apply.go` and `ApplyUpdate` in `pkg/controller/common/manage_children.go`
 * (see /work/shared/reference/metacontroller.md §3.4):
 *
 * - 3-way merge of (observed, lastApplied, desired), like `kubectl apply`:
 *   - object keys present in lastApplied but absent from desired are removed from observed;
 *   - keys never set by us (server defaults, other controllers) are kept;
 *   - scalars (and type changes from scalar/null) take the desired value;
 *   - a list is merged as a map only if every item of observed, lastApplied and desired is an
 *     object and all share one of `containerPort, port, mountPath, name, uid, ip, path`
 *     (first match in that order); otherwise the desired list replaces it wholesale;
 *   - merged list-maps keep observed order, then append new desired items in desired order.
 * - afterwards ObjectMeta system fields and the whole `status` are reset to observed, and the
 *   `metacontroller.k8s.io/last-applied-configuration` annotation is set to desired's JSON.
 *
 * Known, deliberate difference: Go's reflect.DeepEqual distinguishes int64(1) from float64(1);
 * JavaScript has one number type, so `1` and `1.0` compare equal here.
 * JSON is serialised with sorted object keys, like Go's encoding/json for maps, so the
 * annotation is byte-stable regardless of the hook's key order.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const LAST_APPLIED_ANNOTATION = 'metacontroller.k8s.io/last-applied-configuration';

/** Merge keys Metacontroller guesses for "list maps", highest precedence first. */
export const KNOWN_MERGE_KEYS = ['containerPort', 'port', 'mountPath', 'name', 'uid', 'ip', 'path'] as const;

/** ObjectMeta fields that are read-only and system-populated (reverted to observed after merge). */
export const OBJECT_META_SYSTEM_FIELDS = [
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

export class MergeError extends Error {}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Structural equality of JSON values; object key order is irrelevant. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with object keys sorted recursively (what Go's encoding/json does for maps). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/**
 * Returns the merge key if every item of every given list is an object and all share one of
 * KNOWN_MERGE_KEYS; otherwise ''. Lists that are all empty give '' (replace wholesale).
 */
export function detectListMapKey(...lists: Array<Json[] | undefined | null>): string {
  let common: Set<string> | undefined;
  for (const list of lists) {
    for (const item of list ?? []) {
      if (!isObject(item)) return '';
      if (common === undefined) {
        common = new Set(Object.keys(item));
        continue;
      }
      for (const k of [...common]) if (!(k in item)) common.delete(k);
    }
  }
  if (!common) return '';
  return KNOWN_MERGE_KEYS.find((k) => common!.has(k)) ?? '';
}

function mergeKeyString(v: Json | undefined): string {
  // Go: strings as-is, anything else through fmt "%v" (numbers print without a trailing .0).
  return typeof v === 'string' ? v : String(v);
}

/**
 * 3-way merge: applies the change lastApplied -> desired onto a copy of observed.
 * Never mutates its arguments.
 */
export function merge3(observed: JsonObject, lastApplied: JsonObject | null | undefined, desired: JsonObject): JsonObject {
  return mergeValue('', deepClone(observed), lastApplied ?? null, deepClone(desired)) as JsonObject;
}

function mergeValue(path: string, dest: Json | undefined, last: Json | undefined, des: Json | undefined): Json | undefined {
  if (isObject(dest)) {
    if (last != null && !isObject(last)) throw new MergeError(`lastApplied${path}: expecting object, got ${typeName(last)}`);
    if (des != null && !isObject(des)) throw new MergeError(`desired${path}: expecting object, got ${typeName(des)}`);
    return mergeObject(path, dest, (last ?? null) as JsonObject | null, (des ?? null) as JsonObject | null);
  }
  if (Array.isArray(dest)) {
    if (last != null && !Array.isArray(last)) throw new MergeError(`lastApplied${path}: expecting array, got ${typeName(last)}`);
    if (des != null && !Array.isArray(des)) throw new MergeError(`desired${path}: expecting array, got ${typeName(des)}`);
    return mergeArray(path, dest, (last ?? null) as Json[] | null, (des ?? null) as Json[] | null);
  }
  // Scalar, null or absent in observed: just take the desired value.
  return des;
}

function typeName(v: Json): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function mergeObject(path: string, dest: JsonObject, last: JsonObject | null, des: JsonObject | null): JsonObject {
  // Remove fields that were present in lastApplied but are no longer desired.
  for (const key of Object.keys(last ?? {})) {
    if (!des || !Object.prototype.hasOwnProperty.call(des, key)) delete dest[key];
  }
  // Add/update every desired field.
  for (const [key, desVal] of Object.entries(des ?? {})) {
    const merged = mergeValue(`${path}[${key}]`, dest[key], last?.[key], desVal);
    if (merged === undefined) delete dest[key];
    else dest[key] = merged;
  }
  return dest;
}

function mergeArray(path: string, dest: Json[], last: Json[] | null, des: Json[] | null): Json[] | null {
  const key = detectListMapKey(dest, last, des);
  if (!key) return des; // an ordinary list: replaced wholesale
  const toMap = (list: Json[] | null): JsonObject => {
    const m: JsonObject = {};
    for (const item of list ?? []) m[mergeKeyString((item as JsonObject)[key])] = item;
    return m;
  };
  const destMap = toMap(dest);
  mergeObject(path, destMap, last ? toMap(last) : null, des ? toMap(des) : null);
  const out: Json[] = [];
  const added = new Set<string>();
  for (const item of dest) {
    const k = mergeKeyString((item as JsonObject)[key]);
    if (k in destMap && !added.has(k)) {
      out.push(destMap[k]);
      added.add(k);
    }
  }
  for (const item of des ?? []) {
    const k = mergeKeyString((item as JsonObject)[key]);
    if (!added.has(k)) {
      out.push(destMap[k]);
      added.add(k);
    }
  }
  return out;
}

/** Reads the last-applied annotation of an observed child (null when absent or empty). */
export function getLastApplied(obj: JsonObject): JsonObject | null {
  const raw = (obj.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined;
  const text = raw?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || text === '') return null;
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed)) throw new MergeError(`${LAST_APPLIED_ANNOTATION} is not a JSON object`);
  return parsed;
}

/** Returns a copy of obj with the last-applied annotation set to the canonical JSON of lastApplied. */
export function setLastApplied(obj: JsonObject, lastApplied: JsonObject): JsonObject {
  const out = deepClone(obj);
  const meta = (isObject(out.metadata) ? out.metadata : (out.metadata = {})) as JsonObject;
  const ann = (isObject(meta.annotations) ? meta.annotations : (meta.annotations = {})) as JsonObject;
  ann[LAST_APPLIED_ANNOTATION] = canonicalJson(lastApplied);
  return out;
}

function revertField(target: JsonObject, orig: JsonObject, path: string[]): void {
  let src: Json | undefined = orig;
  for (const p of path) src = isObject(src) ? src[p] : undefined;
  if (src !== undefined) {
    let t: JsonObject = target;
    for (const p of path.slice(0, -1)) {
      if (!isObject(t[p])) t[p] = {};
      t = t[p] as JsonObject;
    }
    t[path[path.length - 1]] = deepClone(src);
  } else {
    let t: Json | undefined = target;
    for (const p of path.slice(0, -1)) t = isObject(t) ? t[p] : undefined;
    if (isObject(t)) delete t[path[path.length - 1]];
  }
}

/**
 * Metacontroller's ApplyUpdate: the full object to PUT for an observed child given the hook's
 * desired child. Compare the result with `deepEqual(result, observed)` to skip no-op updates.
 */
export function applyUpdate(observed: JsonObject, desired: JsonObject): JsonObject {
  const lastApplied = getLastApplied(observed);
  const update = deepClone(desired);
  // Never let the hook's own copy of the annotation leak into the merge.
  const ann = (update.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined;
  if (ann && LAST_APPLIED_ANNOTATION in ann) ann[LAST_APPLIED_ANNOTATION] = '';
  const merged = merge3(observed, lastApplied, update);
  for (const f of OBJECT_META_SYSTEM_FIELDS) revertField(merged, observed, ['metadata', f]);
  revertField(merged, observed, ['status']);
  return setLastApplied(merged, update);
}
