import { failure, type Outcome } from './outcome.js';
import type { Reaction } from './reaction.js';
import { isThenable, type MaybePromise } from './maybe.js';

/**
 * Run one reaction and always get an Outcome back: a throw (or a rejected promise, or a value that is
 * not an Outcome) becomes an `error` naming that reaction. Every composite and decorator calls its
 * children through this, so an error always names the innermost reaction that failed, and no promise
 * in the engine ever rejects — which is what lets a timed-out child settle late without an unhandled
 * rejection.
 *
 * A synchronous answer (or throw) is checked and returned synchronously; only a thenable makes the
 * result a promise, which then always resolves.
 */
export function invoke<C>(r: Reaction<C>, ctx: C, signal?: AbortSignal): MaybePromise<Outcome> {
  const name = r.reactionName;
  let answer: unknown;
  try {
    answer = r(ctx, signal);
    // Inside the try: a `then` getter that throws is the reaction's failure too.
    if (!isThenable(answer)) return checked(name, answer);
  } catch (e) {
    return failure(name, messageOf(e));
  }
  // Promise.resolve adopts foreign thenables as `await` did, including one whose `then` throws.
  return Promise.resolve(answer).then(
    (o) => checked(name, o),
    (e) => failure(name, messageOf(e)),
  );
}

/** The message of anything thrown, without stack traces (they would make status non-deterministic). */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

/**
 * The outcome of a composite whose signal aborted before it could start its next child. Only a
 * Timeout aborts, and it has already answered by then, so this value is never seen by a caller; it
 * exists so the late composite still returns something well-formed.
 */
export function aborted(name: string, signal: AbortSignal): Outcome {
  return failure(name, `aborted: ${messageOf(signal.reason)}`);
}

// Plain JavaScript callers (or a forgotten `return`) can hand back anything; merging garbage would
// turn into a confusing TypeError far from its cause, so it is reported against the reaction instead.
// Never throws (a hostile value's getters or toString may): it also runs in a promise callback, where
// a throw would become the rejection invoke promises never to produce.
function checked(name: string, o: unknown): Outcome {
  try {
    if (isOutcome(o)) return o;
    return failure(name, `returned an invalid outcome: ${describeValue(o)}`);
  } catch (e) {
    return failure(name, messageOf(e));
  }
}

function isOutcome(o: unknown): o is Outcome {
  if (typeof o !== 'object' || o === null) return false;
  const v = o as Record<string, unknown>;
  switch (v.kind) {
    case 'continue':
      return true;
    case 'exit':
      return v.reason === undefined || typeof v.reason === 'string';
    case 'requeue':
      return typeof v.afterSeconds === 'number' && v.afterSeconds > 0 && Number.isFinite(v.afterSeconds);
    case 'error':
      return Array.isArray(v.errors) && v.errors.length > 0 && v.errors.every(isReactionError);
    default:
      return false;
  }
}

function isReactionError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const v = e as Record<string, unknown>;
  return typeof v.reaction === 'string' && typeof v.message === 'string';
}

function describeValue(o: unknown): string {
  try {
    return JSON.stringify(o) ?? String(o);
  } catch {
    return String(o);
  }
}
