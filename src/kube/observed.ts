import { groupKeyOf, type GroupKey, type KubeObject } from './kube-object.js';

/**
 * The observed children of one sync, indexed by `Kind.apiVersion` and then by the object's own name.
 *
 * Metacontroller keys inner maps by `name` (hook v1) or `namespace/name` (hook v2); we ignore the key
 * and use the object's metadata, so both versions index the same way. Likewise an object is indexed under
 * the group its own kind and apiVersion name, not the map it came in: Metacontroller never mixes them, but
 * an object listed under another group would otherwise be found (and removed) as a child it is not.
 */
export class ObservedIndex {
  private readonly groups = new Map<GroupKey, Map<string, KubeObject>>();
  /** The outer keys of the request: the child types the CompositeController registered, empty or not. */
  private readonly registered = new Set<GroupKey>();
  /** `list` and `all` answers: the index does not change once built, and reactions ask for them repeatedly. */
  private readonly sorted = new Map<GroupKey, readonly KubeObject[]>();
  private everything: readonly { key: GroupKey; obj: KubeObject }[] | undefined;

  static from(children: Record<string, Record<string, KubeObject> | null | undefined> | undefined): ObservedIndex {
    const index = new ObservedIndex();
    for (const key of Object.keys(children ?? {}).sort()) {
      index.registered.add(key);
      if (!index.groups.has(key)) index.groups.set(key, new Map());
      const inner = children?.[key] ?? {};
      for (const innerKey of Object.keys(inner).sort()) {
        const obj = inner[innerKey];
        if (!obj?.metadata?.name) continue;
        const own = groupKeyOf(obj);
        let byName = index.groups.get(own);
        if (byName === undefined) index.groups.set(own, (byName = new Map()));
        byName.set(obj.metadata.name, obj);
      }
    }
    return index;
  }

  /** Whether the CompositeController registered this child type (Metacontroller sends every rule's key). */
  hasGroup(key: GroupKey): boolean {
    return this.registered.has(key);
  }

  get(key: GroupKey, name: string): KubeObject | undefined {
    return this.groups.get(key)?.get(name);
  }

  /** Objects of one type, sorted by name. */
  list(key: GroupKey): readonly KubeObject[] {
    let objs = this.sorted.get(key);
    if (objs === undefined) {
      const byName = this.groups.get(key);
      objs = byName === undefined ? [] : [...byName.keys()].sort().map((n) => byName.get(n)!);
      this.sorted.set(key, objs);
    }
    return objs;
  }

  /** Objects of one type whose labels include every given label, sorted by name. */
  select(key: GroupKey, labels: Record<string, string>): KubeObject[] {
    const wanted = Object.entries(labels);
    return this.list(key).filter((o) => wanted.every(([k, v]) => o.metadata.labels?.[k] === v));
  }

  groupKeys(): GroupKey[] {
    return [...this.groups.keys()].sort();
  }

  /** Every observed object, in a stable order (group key, then name). */
  all(): readonly { key: GroupKey; obj: KubeObject }[] {
    return (this.everything ??= this.groupKeys().flatMap((key) => this.list(key).map((obj) => ({ key, obj }))));
  }

  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.size;
    return n;
  }
}
