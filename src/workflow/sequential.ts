import { CONTINUE, type Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { aborted, invoke } from './invoke.js';

/**
 * Run children in order and stop at the first outcome that is not `continue` (exit, requeue or
 * error), returning it. All continue (or no children) → continue. This is the gate: a child that
 * exits keeps every later child from running.
 */
export function Sequential<C>(name: string, ...children: Reaction<C>[]): Reaction<C> {
  const kids = Object.freeze([...children]);
  const label = `Sequential(${name})`;
  return reaction<C>(
    label,
    async (ctx, signal) => {
      for (const child of kids) {
        if (signal?.aborted) return aborted(label, signal);
        const o: Outcome = await invoke(child, ctx, signal);
        if (o.kind !== 'continue') return o;
      }
      return CONTINUE;
    },
    { children: kids },
  );
}
