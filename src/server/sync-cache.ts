import { hash } from 'node:crypto';

/**
 * Answers to sync bodies seen before. Metacontroller resyncs every parent periodically and, while nothing
 * changed, sends a byte-identical body each time; the core is a pure function of that body (and the
 * process's options), so the answer can be reused — unless the sync read the clock (a condition changed
 * or a rollout deadline was measured: the answer then depends on the time) or failed.
 *
 * Keyed by the SHA-256 of the body (~30 µs for 44 KiB, the same as SHA-1 on this hardware) and nothing
 * else: a collision is not a practical concern at 2^-128, and not keeping the bodies matters. Holding
 * tens of MiB of request text kept every body alive into the old generation, and the major GCs that
 * cost showed on every request, hit or miss. Not keyed by the text either: V8 hashes a string longer than
 * 16 KiB by its length alone, so every same-sized body landed in one bucket.
 *
 * Bounded by bytes (answers plus a fixed cost per key), least recently used first out; answers past
 * `maxEntryBytes` are never kept (a thousand-group parent's answer would evict everyone else).
 */
export interface CachedSync {
  /** For the log line: `namespace/name`, uid and generation of the parent. */
  readonly parent: string;
  readonly uid: string | undefined;
  readonly generation: number | undefined;
  readonly json: string;
  readonly outcome: string;
  readonly reason: string;
  readonly children: number;
  readonly childrenByKind: ReadonlyMap<string, number>;
  readonly carriedOver: number;
  readonly removed: readonly string[];
}

export interface SyncCache {
  /** `key` is `syncCacheKey(body)`: the parser computes it once for the lookup and the store. */
  get(key: string): CachedSync | undefined;
  set(key: string, entry: CachedSync): void;
  readonly size: number;
  readonly bytes: number;
}

export function syncCacheKey(body: string): string {
  return hash('sha256', body, 'base64');
}

/** What a key costs besides its answer: the 44-character digest and the map's slot. */
const KEY_BYTES = 128;

export function createSyncCache(maxBytes = 32 * 2 ** 20, maxEntryBytes = 2 * 2 ** 20): SyncCache {
  const entries = new Map<string, CachedSync>();
  let bytes = 0;
  const cost = (e: CachedSync) => KEY_BYTES + 2 * e.json.length;
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      // Refresh the position: Map iteration order is insertion order, so the first key is the oldest.
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    set(key, e) {
      const c = cost(e);
      if (c > maxEntryBytes || entries.has(key)) return;
      entries.set(key, e);
      bytes += c;
      for (const [k, old] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(k);
        bytes -= cost(old);
      }
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
