import { describe, expect, it } from 'vitest';
import { CONTINUE, exit, failure, requeue, Sequential, type Outcome } from '../../src/workflow/index.js';
import { leaf, newCtx, thrower } from './helpers.js';

const err = failure('b', 'broken');

describe('Sequential', () => {
  // [case, outcomes of children a, b, c…, expected outcome, children that ran]
  it.each<[string, Outcome[], Outcome, string[]]>([
    ['no children', [], CONTINUE, []],
    ['one continue', [CONTINUE], CONTINUE, ['a']],
    ['all continue', [CONTINUE, CONTINUE, CONTINUE], CONTINUE, ['a', 'b', 'c']],
    ['exit stops', [CONTINUE, exit('gate closed'), CONTINUE], exit('gate closed'), ['a', 'b']],
    ['exit without reason stops', [exit(), CONTINUE], exit(), ['a']],
    ['requeue stops', [CONTINUE, requeue(5), CONTINUE], requeue(5), ['a', 'b']],
    ['error stops', [CONTINUE, err, CONTINUE], err, ['a', 'b']],
    ['first stop wins: exit before error', [exit('first'), err], exit('first'), ['a']],
    ['first stop wins: requeue before exit', [requeue(3), exit('later')], requeue(3), ['a']],
    ['first stop wins: error before requeue', [err, requeue(1)], err, ['a']],
    ['stop in last child', [CONTINUE, CONTINUE, requeue(9)], requeue(9), ['a', 'b', 'c']],
  ])('%s', async (_case, outcomes, expected, ran) => {
    const names = ['a', 'b', 'c', 'd'];
    const seq = Sequential('s', ...outcomes.map((o, i) => leaf(names[i]!, o)));
    const ctx = newCtx();
    expect(await seq(ctx)).toEqual(expected);
    expect(ctx.log).toEqual(ran);
  });

  it('returns the stopping child outcome as is (errors already name the leaf)', async () => {
    const inner = Sequential('inner', leaf('x', CONTINUE), leaf('y', failure('y', 'nope')));
    const outer = Sequential('outer', leaf('a', CONTINUE), inner, leaf('z', CONTINUE));
    const ctx = newCtx();
    expect(await outer(ctx)).toEqual(failure('y', 'nope'));
    expect(ctx.log).toEqual(['a', 'x', 'y']);
  });

  it('turns a throwing child into an error naming that child and stops', async () => {
    const seq = Sequential('s', leaf('a', CONTINUE), thrower('b', new Error('kaput')), leaf('c', CONTINUE));
    const ctx = newCtx();
    expect(await seq(ctx)).toEqual(failure('b', 'kaput'));
    expect(ctx.log).toEqual(['a', 'b']);
  });

  it('is named Sequential(name) and exposes its children', () => {
    const a = leaf('a', CONTINUE);
    const seq = Sequential('gates', a);
    expect(seq.reactionName).toBe('Sequential(gates)');
    expect(seq.children).toEqual([a]);
    expect(seq.parallel).toBeUndefined();
  });

  it('can run again with a fresh context and gives the same answer', async () => {
    const seq = Sequential('s', leaf('a', CONTINUE), leaf('b', requeue(2)));
    const [c1, c2] = [newCtx(), newCtx()];
    expect(await seq(c1)).toEqual(await seq(c2));
    expect(c1.log).toEqual(c2.log);
  });
});
