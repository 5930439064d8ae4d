import { describe, expect, it } from 'vitest';
import { CONTINUE, exit, If, Join, Nop, requeue, Sequential } from '../../src/workflow/index.js';
import { leaf, newCtx, type Ctx } from './helpers.js';

describe('If and Nop', () => {
  it('If(true, r) is r itself', () => {
    const r = leaf('r', exit('x'));
    expect(If(true, r)).toBe(r);
  });

  it('If(false, r) is Nop', () => {
    expect(If(false, leaf('r', exit('x')))).toBe(Nop);
  });

  it('Nop continues and is named Nop', async () => {
    expect(Nop.reactionName).toBe('Nop');
    expect(await Nop({})).toEqual(CONTINUE);
  });

  it.each([
    [true, ['a', 'r', 'b'], requeue(2)],
    [false, ['a', 'b'], requeue(2)],
  ] as const)('If(%s, r) inside a Sequential runs %j', async (cond, ran, expected) => {
    const seq = Sequential<Ctx>('s', leaf('a', CONTINUE), If(cond, leaf('r', CONTINUE)), leaf('b', requeue(2)));
    const ctx = newCtx();
    expect(await seq(ctx)).toEqual(expected);
    expect(ctx.log).toEqual(ran);
  });

  it('Nop counts as a continuing child in a Join: it prevents an all-exit', async () => {
    expect(await Join<Ctx>('j', leaf('a', exit('x')), If(false, leaf('r', CONTINUE)))(newCtx())).toEqual(CONTINUE);
  });
});
