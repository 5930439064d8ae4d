import { childId, type KubeObject } from './kube-object.js';
import { canonicalJson } from './canonical.js';

export interface Removal {
  readonly id: string;
  readonly reason: string;
  /** Deleted only so that the next sync can create it again (immutable fields changed). */
  readonly recreate?: boolean;
}

/**
 * The decisions of one sync. A reaction either puts a desired object (create or update) or removes an
 * observed one on purpose. Anything nobody decided about is carried over unchanged (see carry-over.ts):
 * leaving a child alone is the default, never deleting it.
 */
export class DesiredChildren {
  private readonly puts = new Map<string, KubeObject>();
  private readonly removals = new Map<string, Removal>();
  /** putObjects() until the next put or take-back: status reactions ask for it several times a sync. */
  private sorted: KubeObject[] | undefined;

  /** Declare the desired state of a child. Two different desired states for one child is a bug. */
  put(obj: KubeObject): void {
    const id = childId(obj);
    const previous = this.puts.get(id);
    if (previous && canonicalJson(previous) !== canonicalJson(obj)) {
      throw new Error(`two reactions want different contents for ${id}`);
    }
    if (this.removals.has(id)) throw new Error(`${id} is both put and removed in one sync`);
    this.puts.set(id, obj);
    this.sorted = undefined;
  }

  /** Drop an observed child on purpose (group removed, component switched form, immutable-field recreate). */
  remove(obj: { apiVersion: string; kind: string; metadata: { name: string } }, reason: string): void {
    const id = childId(obj);
    if (this.puts.has(id)) throw new Error(`${id} is both put and removed in one sync`);
    this.removals.set(id, { id, reason });
  }

  /**
   * Take back a put and delete the observed object instead, so that the next sync (which finds it absent)
   * creates it from scratch: the way to change fields the API server will not update in place. Only for
   * an object that is observed; the next sync's put is then an ordinary create, so this cannot repeat.
   */
  recreate(obj: { apiVersion: string; kind: string; metadata: { name: string } }, reason: string): void {
    const id = childId(obj);
    this.puts.delete(id);
    this.sorted = undefined;
    this.removals.set(id, { id, reason, recreate: true });
  }

  getPut(id: string): KubeObject | undefined {
    return this.puts.get(id);
  }

  isRemoved(id: string): boolean {
    return this.removals.has(id);
  }

  /** Put objects, sorted by id. A fresh array each call; the objects are the ones put. */
  putObjects(): KubeObject[] {
    this.sorted ??= [...this.puts.keys()].sort().map((id) => this.puts.get(id)!);
    return [...this.sorted];
  }

  removalList(): Removal[] {
    return [...this.removals.keys()].sort().map((id) => this.removals.get(id)!);
  }

  /** Forget every decision: used when the sync must fall back to carrying everything over. */
  clear(): void {
    this.puts.clear();
    this.removals.clear();
    this.sorted = undefined;
  }
}
