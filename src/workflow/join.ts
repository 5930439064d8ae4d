import { CONTINUE, type Outcome, type ReactionError } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { aborted, invoke } from './invoke.js';
import { andThen, eachInOrder, isThenable, type MaybePromise } from './maybe.js';

/**
 * Run every child whatever the others return, then merge (see mergeOutcomes).
 *
 * Children run in declared order. A run of consecutive children marked `parallel` starts together
 * and is awaited as a batch before the next unmarked child starts, so an unmarked child sees exactly
 * the effects it would see in a fully sequential run; only children that promised independence
 * overlap. Outcomes are merged by declared position, never by completion order, and nothing is
 * shuffled (ctrlkit shuffles; a sync hook must be deterministic).
 *
 * Synchronous while the children answer synchronously: a batch waits only when one of its children
 * returned a promise, and then only for the batch, as before.
 */
export function Join<C>(name: string, ...children: Reaction<C>[]): Reaction<C> {
  const kids = Object.freeze([...children]);
  const label = `Join(${name})`;
  const batches = batchesOf(kids);
  return reaction<C>(
    label,
    (ctx, signal) => {
      const outcomes: Outcome[] = [];
      const collect = (o: Outcome): undefined => {
        outcomes.push(o);
        return undefined;
      };
      const collectAll = (os: readonly Outcome[]): undefined => {
        outcomes.push(...os);
        return undefined;
      };
      const abortedWith = eachInOrder<Outcome>(batches.length, (b) => {
        if (signal?.aborted) return aborted(label, signal);
        const batch = batches[b]!;
        if (batch.length === 1) return andThen(invoke(batch[0]!, ctx, signal), collect);
        // Start the whole batch before waiting for any of it: that is what Parallel asks for.
        const started: MaybePromise<Outcome>[] = batch.map((child) => invoke(child, ctx, signal));
        return started.some(isThenable) ? Promise.all(started).then(collectAll) : collectAll(started as Outcome[]);
      });
      return andThen(abortedWith, (o) => o ?? mergeOutcomes(outcomes));
    },
    { children: kids },
  );
}

/**
 * Merge the outcomes of a Join, given in the children's declared order:
 * - any error → error, with every child's errors in declared order (exact duplicates, as produced by a
 *   Shared reaction reached through two branches, are kept once);
 * - else any requeue → requeue after the smallest delay;
 * - else every outcome is exit (and there is at least one) → the first exit;
 * - else continue. Some children exiting while others continue is continue: exit means "this branch
 *   is done", and the other branches did their work.
 */
export function mergeOutcomes(outcomes: readonly Outcome[]): Outcome {
  const errors: ReactionError[] = [];
  const seen = new Set<string>();
  let soonest: Outcome | undefined;
  for (const o of outcomes) {
    if (o.kind === 'error') {
      for (const e of o.errors) {
        const key = JSON.stringify([e.reaction, e.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        errors.push({ reaction: e.reaction, message: e.message });
      }
    } else if (o.kind === 'requeue' && (soonest?.kind !== 'requeue' || o.afterSeconds < soonest.afterSeconds)) {
      soonest = o;
    }
  }
  if (errors.length > 0) return { kind: 'error', errors };
  if (soonest) return soonest;
  const first = outcomes[0];
  if (first?.kind === 'exit' && outcomes.every((o) => o.kind === 'exit')) return first;
  return CONTINUE;
}

function batchesOf<C>(kids: readonly Reaction<C>[]): Reaction<C>[][] {
  const batches: Reaction<C>[][] = [];
  for (const child of kids) {
    const last = batches.at(-1);
    if (child.parallel && last?.[0]?.parallel) last.push(child);
    else batches.push([child]);
  }
  return batches;
}
