import { canonicalJson } from './canonical.js';
import { LAST_APPLIED_ANNOTATION, type KubeObject } from './kube-object.js';
import { isRecord } from './records.js';

/**
 * Reading what Metacontroller last applied to a child, cheaply: a large RisingWave has a thousand
 * workloads whose annotations are several KB each, and status looks at each of them twice (readiness and
 * the immutable-field check). Parses and serialisations are memoised per object for the life of the
 * object.
 *
 * These two maps are the only memory outside src/cache/caches.ts, on purpose: they are not caches of
 * earlier syncs but a property of one object (its text, its parsed annotation), kept beside it and gone
 * with it. An object outlives its sync only when a cache of the seam keeps it (the build memo's frozen
 * children, whose text it costs; the body parser's frozen pieces); with every cache off (CACHE=off) no
 * object does, and these memoise within one sync only. Passing them through the context instead would
 * thread a parameter through every status check for no change in what is shared.
 */

const parsed = new WeakMap<KubeObject, KubeObject | null>();
const serialised = new WeakMap<object, string>();

/** The parsed last-applied annotation of an observed child, or undefined when absent or unreadable. */
export function lastAppliedOf(observed: KubeObject): KubeObject | undefined {
  let v = parsed.get(observed);
  if (v === undefined) {
    v = parse(observed.metadata?.annotations?.[LAST_APPLIED_ANNOTATION]);
    parsed.set(observed, v);
  }
  return v ?? undefined;
}

function parse(text: string | undefined): KubeObject | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? (v as KubeObject) : null;
  } catch {
    return null;
  }
}

/**
 * Whether the desired object is exactly what was last applied (true), differs (false), or nothing is
 * known (undefined: no readable annotation). The annotation holds the JSON of the object the hook returned,
 * which the hook emits canonical (sorted keys), as does Go's encoding/json for maps — so the text compare
 * almost always decides; otherwise the parsed objects are compared canonically.
 */
export function sameAsLastApplied(observed: KubeObject, desired: KubeObject): boolean | undefined {
  const text = observed.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text === 'string' && text === json(desired)) return true;
  const applied = lastAppliedOf(observed);
  if (!applied) return undefined;
  return sameJson(applied, desired);
}

/** Whether two JSON values are equal, key order aside. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const ja = json(a);
  const jb = json(b);
  return ja === jb || canonicalJson(a) === canonicalJson(b);
}

/**
 * `JSON.stringify(v)`, memoised per object: the response reuses the text the last-applied compare made of
 * each desired child (and, for workloads shared between syncs, the text of an earlier sync). Only for
 * objects nobody mutates once serialised, as desired children are.
 */
export function json(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  let s = serialised.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    serialised.set(v, s);
  }
  return s;
}
