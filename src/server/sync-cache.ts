/**
 * Answers to sync bodies seen before. Metacontroller resyncs every parent periodically and, while nothing
 * changed, sends a byte-identical body each time; the core is a pure function of that body (and the
 * process's options), so the answer can be reused — unless the sync read the clock (a condition changed
 * or a rollout deadline was measured: the answer then depends on the time) or failed.
 *
 * Keyed by the body's signature from the body parser (src/server/sync-body.ts): its text with every piece
 * the parser remembers replaced by that piece's number, a few hundred characters for a typical body, and
 * equal only for equal bodies. It replaced a SHA-256 of the body, ~30 µs for 44 KiB on every request, hit
 * or miss; the bodies themselves are never kept (tens of MiB of request text in the old generation made
 * major GCs show on every request). A body the parser left to JSON.parse has no signature and is not cached.
 *
 * One answer per parent, its latest: every change to a parent or a child bumps a resourceVersion, so a
 * parent's earlier bodies never come back. Keeping them filled the cache with answers that could not hit,
 * each promoted to the old generation and evicted later (with a unique body per sync, GC took ~18% of
 * the hook's CPU, and throughput was 20% lower than with no cache at all).
 *
 * Bounded by bytes (answers and keys plus a fixed cost per entry), least recently used first out; answers
 * past `maxEntryBytes` are never kept (a thousand-group parent's answer would evict everyone else).
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
  /** `key` is the body's signature: the parser computes it once for the lookup and the store. */
  get(key: string): CachedSync | undefined;
  set(key: string, entry: CachedSync): void;
  readonly size: number;
  readonly bytes: number;
}

/** What an entry costs besides its key's and answer's characters: the map's slot and the entry object. */
const ENTRY_BYTES = 128;

export function createSyncCache(maxBytes = 32 * 2 ** 20, maxEntryBytes = 2 * 2 ** 20): SyncCache {
  const entries = new Map<string, CachedSync>();
  /** The key of each parent's answer, by parent uid. */
  const keyOfParent = new Map<string, string>();
  let bytes = 0;
  const cost = (key: string, e: CachedSync) => ENTRY_BYTES + 2 * (key.length + e.json.length);
  const remove = (key: string) => {
    const e = entries.get(key);
    if (e === undefined) return;
    entries.delete(key);
    bytes -= cost(key, e);
    if (e.uid !== undefined && keyOfParent.get(e.uid) === key) keyOfParent.delete(e.uid);
  };
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
      const c = cost(key, e);
      if (c > maxEntryBytes || entries.has(key)) return;
      if (e.uid !== undefined) {
        const previous = keyOfParent.get(e.uid);
        if (previous !== undefined) remove(previous);
        keyOfParent.set(e.uid, key);
      }
      entries.set(key, e);
      bytes += c;
      for (const k of entries.keys()) {
        if (bytes <= maxBytes) break;
        remove(k);
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
