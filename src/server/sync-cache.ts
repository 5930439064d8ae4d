/**
 * Answers to sync bodies seen before. Metacontroller resyncs every parent periodically and, while nothing
 * changed, sends a byte-identical body each time; the core is a pure function of that body (and the
 * process's options), so the answer can be reused — unless the sync read the clock (a condition changed
 * or a rollout deadline was measured: the answer then depends on the time) or failed. Keyed by the body
 * text itself, so a hit costs a string compare instead of JSON.parse, validation and the whole workflow.
 *
 * Bounded by bytes (keys and answers), least recently used first out; bodies past `maxEntryBytes` are
 * never kept (a thousand-group parent's 10 MB body would evict everyone else).
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
  get(body: string): CachedSync | undefined;
  set(body: string, entry: CachedSync): void;
  readonly size: number;
  readonly bytes: number;
}

export function createSyncCache(maxBytes = 32 * 2 ** 20, maxEntryBytes = 2 * 2 ** 20): SyncCache {
  const entries = new Map<string, CachedSync>();
  let bytes = 0;
  const cost = (body: string, e: CachedSync) => 2 * (body.length + e.json.length);
  return {
    get(body) {
      const e = entries.get(body);
      if (e !== undefined) {
        // Refresh the position: Map iteration order is insertion order, so the first key is the oldest.
        entries.delete(body);
        entries.set(body, e);
      }
      return e;
    },
    set(body, e) {
      const c = cost(body, e);
      if (c > maxEntryBytes || entries.has(body)) return;
      entries.set(body, e);
      bytes += c;
      for (const [k, old] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(k);
        bytes -= cost(k, old);
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
