import { describe, expect, it } from 'vitest';
import {
  CONTINUE,
  exit,
  failure,
  Join,
  Parallel,
  reaction,
  requeue,
  Retry,
  Shared,
  Timeout,
  type Outcome,
  type Reaction,
} from '../../src/workflow/index.js';
import { leaf, newCtx, sleep, timed, type Ctx } from './helpers.js';

const outcomes: Outcome[] = [
  failure('c0', 'zero'),
  requeue(30),
  exit('two'),
  failure('c3', 'three'),
  requeue(4),
  CONTINUE,
];

// Delay permutations (in DELAY_UNIT_MS) for the six children: declared order, reverse, and fixed "random" shuffles,
// so completion order differs from declared order in several ways, reproducibly.
const delayOrders: [string, number[]][] = [
  ['in declared order', [1, 3, 5, 7, 9, 11]],
  ['in reverse order', [11, 9, 7, 5, 3, 1]],
  ['shuffled A', [5, 1, 11, 3, 9, 7]],
  ['shuffled B', [9, 7, 1, 11, 5, 3]],
  ['all at once', [0, 0, 0, 0, 0, 0]],
];

/** Each delay unit in ms: timers only 2 ms apart swapped order on a loaded CI machine. */
const DELAY_UNIT_MS = 15;

/** A child that records when it finishes and its position in declared order. */
function child(i: number, delay: number, finished: number[]): Reaction<Ctx> {
  return reaction<Ctx>(`c${i}`, async () => {
    await sleep(delay * DELAY_UNIT_MS);
    finished.push(i);
    return outcomes[i]!;
  });
}

describe('Parallel inside Join: the merge does not depend on completion order', () => {
  const expected: Outcome = {
    kind: 'error',
    errors: [
      { reaction: 'c0', message: 'zero' },
      { reaction: 'c3', message: 'three' },
    ],
  };

  it.each(delayOrders)('children finishing %s', async (_case, delays) => {
    const finished: number[] = [];
    const join = Join('j', ...delays.map((d, i) => Parallel(child(i, d, finished))));
    expect(await join(newCtx())).toEqual(expected);
    const byDelay = delays.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    if (new Set(delays).size === delays.length) expect(finished).toEqual(byDelay.map(([, i]) => i));
  });

  it.each(delayOrders)('without the errors, requeue is the minimum whatever the order (%s)', async (_c, delays) => {
    const finished: number[] = [];
    const kids = delays.map((d, i) => Parallel(child(i, d, finished))).filter((_, i) => i !== 0 && i !== 3);
    expect(await Join('j', ...kids)(newCtx())).toEqual(requeue(4));
  });

  it('the same children unmarked (sequential) give the identical merge', async () => {
    const finished: number[] = [];
    expect(await Join('j', ...[9, 1, 5, 3, 7, 2].map((d, i) => child(i, d, finished)))(newCtx())).toEqual(expected);
    expect(finished).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('Parallel children overlap; unmarked ones never do', async () => {
    const par = newCtx();
    await Join('p', Parallel(timed('a', CONTINUE, 5)), Parallel(timed('b', CONTINUE, 5)))(par);
    expect(par.log.slice(0, 2)).toEqual(['start:a', 'start:b']);
    const seq = newCtx();
    await Join('s', timed('a', CONTINUE, 5), timed('b', CONTINUE, 5))(seq);
    expect(seq.log).toEqual(['start:a', 'end:a', 'start:b', 'end:b']);
  });

  it('a decorated Parallel child (Timeout, Retry, Shared around it) still runs concurrently', async () => {
    const ctx = newCtx();
    await Join(
      'j',
      Timeout(1000, Parallel(timed('a', CONTINUE, 5))),
      Retry(1, Parallel(timed('b', CONTINUE, 5))),
      Shared(Parallel(timed('c', CONTINUE, 5))),
    )(ctx);
    expect(ctx.log.slice(0, 3)).toEqual(['start:a', 'start:b', 'start:c']);
  });
});

describe('Parallel', () => {
  it.each<[string, Outcome]>([
    ['continue', CONTINUE],
    ['exit', exit('x')],
    ['requeue', requeue(1)],
    ['error', failure('x', 'bad')],
  ])('passes %s through unchanged on its own', async (_c, o) => {
    expect(await Parallel(leaf('x', o))(newCtx())).toEqual(o);
  });

  it('is named Parallel(child) and marked parallel', () => {
    const p = Parallel(leaf('x', CONTINUE));
    expect(p.reactionName).toBe('Parallel(x)');
    expect(p.parallel).toBe(true);
    expect(p.decorator).toBe('Parallel');
  });
});
