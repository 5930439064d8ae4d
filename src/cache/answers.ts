import { BoundedLru } from './bounded-lru.js';

/**
 * Answers to sync bodies seen before, kept around runSync by src/controller/cached-sync.ts. Metacontroller
 * resyncs every parent periodically and, while nothing changed, sends a byte-identical body each time; the
 * core is a pure function of that body (and the process's options), so the answer can be reused — unless
 * the sync read the clock (a condition changed or a rollout deadline was measured: the answer then depends
 * on the time) or failed.
 *
 * One answer per parent (by uid), with the body it answered: every change to a parent or a child bumps a
 * resourceVersion, so a parent's earlier bodies never come back. A hit is the same text (compared as
 * memory, ~2 µs for 47 KB). Earlier versions kept every answer by a SHA-256 of its body: the hash cost
 * ~30 µs per request, hit or miss, and answers to bodies that could never recur filled the cache, were
 * promoted to the old generation and evicted later (GC took ~18% of the hook's CPU under unique bodies).
 *
 * Bounded by bytes (every string an entry keeps, keys included, plus a fixed cost per entry), least
 * recently used first out; entries past `maxEntryBytes` are never kept (a thousand-group parent's would
 * evict everyone else).
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

export interface AnswerCache {
  readonly enabled: boolean;
  /** The answer to `body` if it is the body last answered for the parent `uid`. */
  get(uid: string, body: string): CachedSync | undefined;
  /** Keeps `entry` as the answer to `body`, replacing the parent's earlier one. */
  set(uid: string, body: string, entry: CachedSync): void;
  readonly size: number;
  readonly bytes: number;
}

interface Entry {
  readonly body: string;
  readonly answer: CachedSync;
}

/** The parent's uid and the body as received: what an answer is kept under. */
export interface AnswerKey {
  readonly uid: string;
  readonly body: string;
}

/** What an entry costs besides its body's and answer's characters: the map's slot and the entry objects. */
const ENTRY_BYTES = 256;

export const ANSWERS_MAX_BYTES = 32 * 2 ** 20;
export const ANSWER_MAX_ENTRY_BYTES = 2 * 2 ** 20;

/** Disabled, nothing is kept and nothing found. */
export function createAnswerCache(enabled = true, maxBytes = ANSWERS_MAX_BYTES, maxEntryBytes = ANSWER_MAX_ENTRY_BYTES): AnswerCache {
  if (!enabled) return { enabled, get: () => undefined, set: () => {}, size: 0, bytes: 0 };
  const byParent = new BoundedLru<string, Entry>({ maxCost: maxBytes });
  return {
    enabled,
    get(uid, body) {
      const e = byParent.peek(uid);
      if (e === undefined || e.body !== body) return undefined;
      byParent.get(uid); // now the most recently used
      return e.answer;
    },
    set(uid, body, answer) {
      byParent.delete(uid);
      // Every string the entry keeps, at two bytes a character: the key, the body, the answer and what the
      // log line repeats from the request (the parent's name, the removed children's names).
      let chars = uid.length + body.length + answer.json.length + answer.parent.length;
      for (const r of answer.removed) chars += r.length;
      const cost = ENTRY_BYTES + 2 * chars;
      if (cost > maxEntryBytes) return;
      byParent.set(uid, { body, answer }, cost);
    },
    get size() {
      return byParent.size;
    },
    get bytes() {
      return byParent.cost;
    },
  };
}
