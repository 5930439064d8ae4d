import { BoundedLru } from './bounded-lru.js';
import { canonicalize } from '../kube/canonical.js';
import { deepFreeze } from '../kube/deep-freeze.js';
import type { KubeObject } from '../kube/kube-object.js';
import { json } from '../kube/last-applied.js';

/**
 * Children built from the builders' input alone (node-group workloads, Services, the ServiceMonitor, the
 * standalone StatefulSet), canonical and deep-frozen, shared between syncs while that input is unchanged.
 * What the input is, and so the key, is the caller's (src/reactions/workload-memo.ts); this is the
 * mechanism. An entry is keyed by the builder function itself besides the input's key and the builder's
 * other arguments: two builders can never share an entry, whatever they are called.
 *
 * Cached objects are deep-frozen: they are shared between syncs, and a reaction that mutated one would throw
 * instead of corrupting later answers. Disabled, every object is built (and frozen) afresh.
 */
export interface BuildMemo {
  readonly enabled: boolean;
  /**
   * The canonical, frozen object `build` makes. `key` names everything the builder reads (its input and its
   * other arguments); a caller may skip working it out when the memo is disabled, which ignores it.
   */
  built(builder: object, key: string, build: () => object): KubeObject;
  /**
   * `compute()`, remembered per `owner` object for the same `salt` (compared item by item with Object.is):
   * the input key of a defaulted parent, which the parents' cache shares between syncs. Disabled, computed
   * every time.
   */
  keyOf(owner: object, salt: readonly unknown[], compute: () => string): string;
  /** What the cached objects hold, in bytes as they are costed. */
  readonly bytes: number;
}

/**
 * Costed in bytes, two per character of the key and of the cached object's JSON (the objects and the text
 * `json` memoises for them take about three times that). Bounded by number alone, 300 parents with a 1 MiB
 * pod annotation in each group kept 2.4 GiB alive (found by the fuzz suite); the hook's pod is limited to
 * 512 MiB. 32 MiB (16 Mi characters) holds the workloads of several parents of 100 node groups per component.
 */
export const BUILD_MEMO_MAX_BYTES = 32 * 2 ** 20;
const MAX_ENTRIES = 4096;
/** Besides the strings: the map slot and the entry objects. */
const ENTRY_OVERHEAD_BYTES = 256;
/** An object this large is built for its own sync only: it would push out hundreds of ordinary ones. */
const MAX_ENTRY_CHARS = 512 * 2 ** 10;

function fresh(build: () => object): KubeObject {
  return deepFreeze(canonicalize(build()) as unknown as KubeObject);
}

export function createBuildMemo(enabled = true, maxBytes = BUILD_MEMO_MAX_BYTES): BuildMemo {
  if (!enabled) return { enabled, built: (_builder, _key, build) => fresh(build), keyOf: (_owner, _salt, compute) => compute(), bytes: 0 };
  const entries = new BoundedLru<string, KubeObject>({ maxCost: maxBytes, maxEntries: MAX_ENTRIES });
  /** A number per builder function, for the key (a function cannot be part of a string key itself). */
  const builderIds = new WeakMap<object, number>();
  let lastBuilderId = 0;
  const builderId = (builder: object): number => {
    let id = builderIds.get(builder);
    if (id === undefined) {
      id = ++lastBuilderId;
      builderIds.set(builder, id);
    }
    return id;
  };
  const keys = new WeakMap<object, { readonly salt: readonly unknown[]; readonly key: string }>();
  return {
    enabled,
    built(builder, inputKey, build) {
      const key = `${builderId(builder)}\u0000${inputKey}`;
      // peek: a hit leaves the eviction order as it is (the oldest built goes first).
      const cached = entries.peek(key);
      if (cached !== undefined) return cached;
      const built = fresh(build);
      // The response serialises it with `json` anyway (src/server/response.ts): measuring costs nothing extra.
      const chars = json(built).length;
      if (chars <= MAX_ENTRY_CHARS) entries.set(key, built, ENTRY_OVERHEAD_BYTES + 2 * (key.length + chars));
      return built;
    },
    keyOf(owner, salt, compute) {
      const known = keys.get(owner);
      if (known !== undefined && sameItems(known.salt, salt)) return known.key;
      const key = compute();
      keys.set(owner, { salt, key });
      return key;
    },
    get bytes() {
      return entries.cost;
    },
  };
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
