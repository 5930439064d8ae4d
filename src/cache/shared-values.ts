import { hash } from 'node:crypto';
import { BoundedLru } from './bounded-lru.js';
import { deepFreeze, isDeepFrozen } from '../kube/deep-freeze.js';

/**
 * Values computed from a JSON object (as JSON.parse builds them), shared between syncs while that object is
 * unchanged: the defaulted and validated parent (src/api/prepare.ts `prepareRisingWaveShared`). Metacontroller
 * sends the same parent on every resync until something changes. Keyed by a SHA-256 of the object's JSON;
 * a value is deep-frozen (a reaction that wrote to it would throw rather than corrupt the next sync) and used
 * only for the very object it was computed from, by the very function that computed it.
 *
 * Bounded by the objects' JSON size as well as their number: 256 parents carrying a 1 MiB annotation each
 * kept 275 MiB alive (found by the fuzz suite), the body limit allows 8 MiB parents, and the hook's pod is
 * limited to 512 MiB (metacontroller/base/deployment.yaml). A parent of 100 node groups per component is
 * well under the per-entry bound.
 */
export interface SharedValues {
  readonly enabled: boolean;
  /**
   * `compute(raw)`, deep-frozen; the value computed earlier for an object equal to `raw` when there is one.
   * `version` (the parent's `uid/resourceVersion`) names a candidate found without hashing; it is compared,
   * never trusted. Disabled, every call computes.
   */
  shared<T extends object>(raw: Record<string, unknown>, version: string | undefined, compute: (raw: Record<string, unknown>) => T): T;
  /** What the entries hold, in bytes as they are costed. */
  readonly bytes: { readonly values: number; readonly versions: number };
}

const MAX_SHARED = 256;
/** An object this large is computed for its own sync only; it would push out a hundred ordinary ones. */
const MAX_SHARED_ENTRY_CHARS = 2 ** 20;
/** `uid/resourceVersion` as the API server writes them is about 50 characters. */
const MAX_VERSION_CHARS = 256;
/** Besides the strings: the map slot and the entry objects. */
const ENTRY_OVERHEAD_BYTES = 256;
/**
 * By the SHA-256 of the object's JSON. Costed in bytes (two per character): the key, and the JSON counted
 * twice (the computed value and the object as it came; the frozen objects take a few times that), 16 MiB
 * (8 Mi characters) for all shared objects together.
 */
export const SHARED_VALUES_MAX_BYTES = 16 * 2 ** 20;
/**
 * The key of the object last seen at each version, to find its entry without hashing; bounded by bytes,
 * keys included.
 */
export const SHARED_VERSIONS_MAX_BYTES = 256 * 2 ** 10;

interface Entry {
  readonly compute: object;
  readonly value: object;
  raw: unknown;
}

export function createSharedValues(enabled = true): SharedValues {
  if (!enabled) {
    return {
      enabled,
      shared: (raw, _version, compute) => deepFreeze(compute(raw)),
      bytes: { values: 0, versions: 0 },
    };
  }
  const byKey = new BoundedLru<string, Entry>({ maxCost: SHARED_VALUES_MAX_BYTES, maxEntries: MAX_SHARED });
  const byVersion = new BoundedLru<string, string>({ maxCost: SHARED_VERSIONS_MAX_BYTES, maxEntries: MAX_SHARED });
  return {
    enabled,
    shared<T extends object>(raw: Record<string, unknown>, version: string | undefined, compute: (raw: Record<string, unknown>) => T): T {
      const seenKey = version === undefined ? undefined : byVersion.get(version);
      const seen = seenKey === undefined ? undefined : byKey.peek(seenKey);
      if (seen !== undefined && seen.compute === compute && sameValue(raw, seen.raw)) {
        // The body parser shares an unchanged parent between syncs, frozen from its second one on: keeping
        // that object makes the next comparison an identity check instead of a walk.
        if (seen.raw !== raw && isDeepFrozen(raw)) seen.raw = raw;
        byKey.get(seenKey!); // now the most recently used
        return seen.value as T;
      }
      const json = JSON.stringify(raw);
      if (json.length > MAX_SHARED_ENTRY_CHARS) return compute(raw);
      // The digest names a candidate only: JSON.stringify writes -0 as 0 and a non-finite number as null, so
      // two different objects can share it. An entry is used only for the very object it was computed from.
      const key = hash('sha256', json, 'base64');
      const found = byKey.peek(key);
      // The object as it came, frozen, for the comparisons above (the object itself if the body parser
      // already froze it: the next sync of an unchanged parent then compares it by identity); in the cost.
      const entry: Entry =
        found !== undefined && found.compute === compute && sameValue(raw, found.raw)
          ? found
          : { compute, value: deepFreeze(compute(raw)), raw: isDeepFrozen(raw) ? raw : deepFreeze(structuredClone(raw)) };
      byKey.set(key, entry, ENTRY_OVERHEAD_BYTES + 2 * (key.length + 2 * json.length));
      // A version longer than any the API server writes is not indexed (it would only cost memory).
      if (version !== undefined && version.length <= MAX_VERSION_CHARS) byVersion.set(version, key, ENTRY_OVERHEAD_BYTES + 2 * (version.length + key.length));
      return entry.value as T;
    },
    get bytes() {
      return { values: byKey.cost, versions: byVersion.cost };
    },
  };
}

/**
 * The same value as JSON.parse builds them: same keys in the same order, the same numbers (-0 is not 0;
 * a number is never null), the same strings.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    if (a.length !== bs.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], bs[i])) return false;
    return true;
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i] || !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
