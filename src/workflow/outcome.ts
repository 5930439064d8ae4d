/**
 * What a reaction tells the workflow after it ran.
 *
 * - `continue`: done here, go on.
 * - `exit`: stop this branch; nothing is wrong (a gate that is closed, a rollout still waiting).
 * - `requeue`: ask Metacontroller to call again after `afterSeconds` (maps to `resyncAfterSeconds`).
 * - `error`: something failed; every failure is kept so the status can name them all.
 */
export type Outcome = Continue | Exit | Requeue | Failure;

export interface Continue {
  readonly kind: 'continue';
}
export interface Exit {
  readonly kind: 'exit';
  readonly reason?: string;
}
export interface Requeue {
  readonly kind: 'requeue';
  readonly afterSeconds: number;
}
export interface Failure {
  readonly kind: 'error';
  readonly errors: readonly ReactionError[];
}

export interface ReactionError {
  /** Name of the reaction that failed (or timed out). */
  readonly reaction: string;
  readonly message: string;
}

export const CONTINUE: Continue = Object.freeze({ kind: 'continue' });

export function exit(reason?: string): Exit {
  return reason === undefined ? { kind: 'exit' } : { kind: 'exit', reason };
}

export function requeue(afterSeconds: number): Requeue {
  if (!(afterSeconds > 0) || !Number.isFinite(afterSeconds)) {
    throw new RangeError(`requeue delay must be a positive finite number of seconds, got ${afterSeconds}`);
  }
  return { kind: 'requeue', afterSeconds };
}

export function failure(reaction: string, message: string): Failure {
  return { kind: 'error', errors: [{ reaction, message }] };
}

export function isContinue(o: Outcome): o is Continue {
  return o.kind === 'continue';
}
