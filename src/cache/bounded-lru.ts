/**
 * A Map kept in least-recently-used order and bounded by a cost (the characters an entry holds) and,
 * optionally, by its number of entries: past either, the oldest entries go first. The caches that share
 * work between syncs (parsed request pieces, prepared parents, built workloads, answers) are each one of
 * these, so that a hook handling large parents stays within its pod's memory limit.
 */
export class BoundedLru<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly cost: number }>();
  private total = 0;

  constructor(
    private readonly limits: {
      readonly maxCost: number;
      readonly maxEntries?: number;
      /** Called for each entry the bounds push out (not for `delete`, nor for a value `set` replaces). */
      readonly onEvict?: (value: V) => void;
    },
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cost of every entry together. */
  get cost(): number {
    return this.total;
  }

  /** The value, made the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Map iteration order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value, leaving the order as it is. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Adds or replaces `key`'s value as the most recently used, then evicts past the bounds. */
  set(key: K, value: V, cost: number): void {
    this.delete(key);
    this.entries.set(key, { value, cost });
    this.total += cost;
    const maxEntries = this.limits.maxEntries ?? Infinity;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= maxEntries && this.total <= this.limits.maxCost) break;
      this.entries.delete(oldest);
      this.total -= entry.cost;
      this.limits.onEvict?.(entry.value);
    }
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.total -= entry.cost;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
