import { rfc3339, type Clock } from './time.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/**
 * Conditions of one sync, starting from the parent's previous ones.
 *
 * `lastTransitionTime` is copied from the previous condition unless the status value changes, so two syncs
 * of the same observed state produce byte-identical status (no hot loop). The clock is read only on a
 * real transition.
 */
export class ConditionBook {
  private readonly previous = new Map<string, Condition>();
  private readonly current = new Map<string, Condition>();

  constructor(previous: readonly unknown[] | undefined, private readonly clock: Clock) {
    for (const raw of previous ?? []) {
      const c = normalise(raw);
      if (c) {
        this.previous.set(c.type, c);
        this.current.set(c.type, c);
      }
    }
  }

  set(type: string, status: ConditionStatus, reason: string, message: string): void {
    const before = this.previous.get(type);
    const lastTransitionTime =
      before && before.status === status && before.lastTransitionTime
        ? before.lastTransitionTime
        : rfc3339(this.clock.now());
    this.current.set(type, { type, status, lastTransitionTime, reason, message });
  }

  remove(type: string): void {
    this.current.delete(type);
  }

  get(type: string): Condition | undefined {
    return this.current.get(type);
  }

  /** The condition as the parent's stored status had it when this sync began. */
  before(type: string): Condition | undefined {
    return this.previous.get(type);
  }

  isTrue(type: string): boolean {
    return this.current.get(type)?.status === 'True';
  }

  wasTrue(type: string): boolean {
    return this.previous.get(type)?.status === 'True';
  }

  /** Sorted by type, for a stable status. */
  list(): Condition[] {
    return [...this.current.keys()].sort().map((t) => this.current.get(t)!);
  }
}

function normalise(raw: unknown): Condition | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  if (typeof c.type !== 'string' || !c.type) return undefined;
  const status: ConditionStatus = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
  return {
    type: c.type,
    status,
    lastTransitionTime: typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : '',
    reason: typeof c.reason === 'string' ? c.reason : '',
    message: typeof c.message === 'string' ? c.message : '',
  };
}
