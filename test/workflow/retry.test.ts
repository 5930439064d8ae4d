import { describe, expect, it } from 'vitest';
import { CONTINUE, exit, failure, Parallel, reaction, requeue, Retry, type Outcome } from '../../src/workflow/index.js';
import { leaf, newCtx, scripted, type Ctx } from './helpers.js';

const e = (n: number): Outcome => failure('r', `attempt ${n}`);

describe('Retry', () => {
  // [case, times, scripted outcomes per attempt (last repeats), expected outcome, expected calls]
  it.each<[string, number, Outcome[], Outcome, number]>([
    ['persistent error, 0 retries', 0, [e(1), e(2)], e(1), 1],
    ['persistent error, 1 retry', 1, [e(1), e(2), e(3)], e(2), 2],
    ['persistent error, 3 retries → last error', 3, [e(1), e(2), e(3), e(4), e(5)], e(4), 4],
    ['success first time', 3, [CONTINUE], CONTINUE, 1],
    ['fails twice then succeeds', 3, [e(1), e(2), CONTINUE], CONTINUE, 3],
    ['fails then succeeds on the last allowed attempt', 2, [e(1), e(2), CONTINUE], CONTINUE, 3],
    ['fails more often than allowed', 1, [e(1), e(2), CONTINUE], e(2), 2],
    ['exit is never retried', 5, [exit('gate')], exit('gate'), 1],
    ['requeue is never retried', 5, [requeue(9)], requeue(9), 1],
    ['error then exit: stops at exit', 5, [e(1), exit('gate'), CONTINUE], exit('gate'), 2],
    ['error then requeue: stops at requeue', 5, [e(1), requeue(2), CONTINUE], requeue(2), 2],
  ])('%s', async (_case, times, script, expected, calls) => {
    const r = scripted('r', ...script);
    expect(await Retry(times, r)(newCtx())).toEqual(expected);
    expect(r.calls()).toBe(calls);
  });

  it.each([0, 1, 4])('retries a throwing child %i times and names it', async (times) => {
    let calls = 0;
    const thrower = reaction<Ctx>('thrower', () => {
      calls += 1;
      throw new Error(`throw ${calls}`);
    });
    expect(await Retry(times, thrower)(newCtx())).toEqual(failure('thrower', `throw ${times + 1}`));
    expect(calls).toBe(times + 1);
  });

  it('runs no retry when the signal is already aborted after a failed attempt', async () => {
    const c = new AbortController();
    const r = reaction<Ctx>('r', () => {
      c.abort(new Error('stop'));
      return failure('r', 'once');
    });
    let calls = 0;
    const counted = reaction<Ctx>('r', (ctx, s) => {
      calls += 1;
      return r(ctx, s);
    });
    expect(await Retry(3, counted)(newCtx(), c.signal)).toEqual(failure('r', 'once'));
    expect(calls).toBe(1);
  });

  it('is named Retry(n, child) and inherits the child’s parallel mark', () => {
    const r = Retry(2, Parallel(leaf('x', CONTINUE)));
    expect(r.reactionName).toBe('Retry(2, Parallel(x))');
    expect(r.decorator).toBe('Retry(2)');
    expect(r.parallel).toBe(true);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s attempts', (times) => {
    expect(() => Retry(times, leaf('x', CONTINUE))).toThrow(RangeError);
  });
});
