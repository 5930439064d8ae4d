import { hash } from 'node:crypto';

/**
 * Answers to sync bodies seen before. Metacontroller resyncs every parent periodically and, while nothing
 * changed, sends a byte-identical body each time; the core is a pure function of that body (and the
 * process's options), so the answer can be reused — unless the sync read the clock (a condition changed
 * or a rollout deadline was measured: the answer then depends on the time) or failed. Keyed by a SHA-1 of
 * the body (~40 µs for 44 KiB), and a hit is confirmed by comparing the body itself: a hit costs that
 * instead of JSON.parse, validation and the whole workflow. Not keyed by the text: V8 hashes a string
 * longer than 16 KiB by its length alone, so every same-sized body (each resync of one parent) landed in
 * one bucket and each lookup compared the body against all of them (~1 ms per request at 44 KiB).
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
  /** `key` is `syncCacheKey(body)`, passed when the caller already has it (the parser computes it once). */
  get(body: string, key?: string): CachedSync | undefined;
  set(body: string, entry: CachedSync, key?: string): void;
  readonly size: number;
  readonly bytes: number;
}

export function syncCacheKey(body: string): string {
  return hash('sha1', body, 'base64');
}

interface Slot {
  readonly body: string;
  readonly entry: CachedSync;
}

export function createSyncCache(maxBytes = 32 * 2 ** 20, maxEntryBytes = 2 * 2 ** 20): SyncCache {
  const slots = new Map<string, Slot>();
  let bytes = 0;
  const cost = (body: string, e: CachedSync) => 2 * (body.length + e.json.length);
  return {
    get(body, key = syncCacheKey(body)) {
      const slot = slots.get(key);
      if (slot === undefined || slot.body !== body) return undefined;
      // Refresh the position: Map iteration order is insertion order, so the first key is the oldest.
      slots.delete(key);
      slots.set(key, slot);
      return slot.entry;
    },
    set(body, e, key = syncCacheKey(body)) {
      const c = cost(body, e);
      if (c > maxEntryBytes || slots.has(key)) return;
      slots.set(key, { body, entry: e });
      bytes += c;
      for (const [k, old] of slots) {
        if (bytes <= maxBytes) break;
        slots.delete(k);
        bytes -= cost(old.body, old.entry);
      }
    },
    get size() {
      return slots.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
