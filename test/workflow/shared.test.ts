import { describe, expect, it } from 'vitest';
import {
  CONTINUE,
  exit,
  failure,
  Join,
  Parallel,
  reaction,
  requeue,
  Sequential,
  Shared,
  type Outcome,
  type Reaction,
} from '../../src/workflow/index.js';
import { deferred, leaf, newCtx, scripted, type Ctx } from './helpers.js';

/** Records the exact outcome object `r` handed to this caller. */
function probe(name: string, r: Reaction<Ctx>, got: Outcome[]): Reaction<Ctx> {
  return reaction<Ctx>(name, async (ctx, signal) => {
    const o = await r(ctx, signal);
    got.push(o);
    return o;
  });
}

describe('Shared', () => {
  // [outcome of the shared sub-workflow, expected Join of two branches that both include it]
  it.each<[string, Outcome, Outcome]>([
    ['continue', CONTINUE, CONTINUE],
    ['exit', exit('not yet'), exit('not yet')],
    ['requeue', requeue(7), requeue(7)],
    ['error (listed once)', failure('work', 'broke'), failure('work', 'broke')],
  ])('two branches of one Join, shared %s: runs once, both get the same outcome', async (_c, o, expected) => {
    const work = scripted('work', o);
    const s = Shared(work);
    const got: Outcome[] = [];
    const join = Join<Ctx>(
      'j',
      Sequential('init', leaf('gate-init', CONTINUE), probe('use-init', s, got)),
      Sequential('upgrade', leaf('gate-upgrade', CONTINUE), probe('use-upgrade', s, got)),
    );
    const ctx = newCtx();
    expect(await join(ctx)).toEqual(expected);
    expect(work.calls()).toBe(1);
    expect(got).toHaveLength(2);
    expect(got[0]).toBe(got[1]);
    expect(ctx.log).toEqual(['gate-init', 'work', 'gate-upgrade']);
  });

  it('two Parallel branches: the second caller arrives while the first run is pending and awaits it', async () => {
    const release = deferred<Outcome>();
    let calls = 0;
    const s = Shared(
      reaction<Ctx>('slow', () => {
        calls += 1;
        return release.promise;
      }),
    );
    const ctx = newCtx();
    const first = s(ctx);
    const second = s(ctx);
    await Promise.resolve();
    expect(calls).toBe(1);
    release.resolve(requeue(3));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a).toEqual(requeue(3));
    expect(calls).toBe(1);
  });

  it('inside a Join of Parallel branches the shared run happens once', async () => {
    const work = scripted('work', CONTINUE);
    const s = Shared(work);
    const join = Join('j', Parallel(Sequential('a', s)), Parallel(Sequential('b', s)), Parallel(s));
    expect(await join(newCtx())).toEqual(CONTINUE);
    expect(work.calls()).toBe(1);
  });

  it('a second context runs it again; the first context stays memoised', async () => {
    const work = scripted('work', CONTINUE);
    const s = Shared(work);
    const [c1, c2] = [newCtx(), newCtx()];
    await s(c1);
    await s(c1);
    expect(work.calls()).toBe(1);
    await s(c2);
    expect(work.calls()).toBe(2);
    await s(c1);
    await s(c2);
    expect(work.calls()).toBe(2);
  });

  it('memoises per Shared instance: two Shared wrappers of one reaction run it twice', async () => {
    const work = scripted('work', CONTINUE);
    const [s1, s2] = [Shared(work), Shared(work)];
    const ctx = newCtx();
    await Join('j', s1, s2, s1, s2)(ctx);
    expect(work.calls()).toBe(2);
  });

  it('a throwing shared reaction: thrown once, every caller gets the error naming it', async () => {
    let calls = 0;
    const s = Shared(
      reaction<Ctx>('explodes', () => {
        calls += 1;
        throw new Error('boom');
      }),
    );
    const ctx = newCtx();
    const [a, b] = await Promise.all([s(ctx), s(ctx)]);
    expect(a).toEqual(failure('explodes', 'boom'));
    expect(b).toBe(a);
    expect(calls).toBe(1);
  });

  it('a Sequential that stops before the shared step does not run it', async () => {
    const work = scripted('work', CONTINUE);
    const s = Shared(work);
    const join = Join('j', Sequential('closed', leaf('gate', exit('closed')), s), Sequential('open', s));
    await join(newCtx());
    expect(work.calls()).toBe(1);
  });

  it('is named Shared(child) and inherits the child’s parallel mark', () => {
    const s = Shared(Parallel(leaf('x', CONTINUE)));
    expect(s.reactionName).toBe('Shared(Parallel(x))');
    expect(s.decorator).toBe('Shared');
    expect(s.parallel).toBe(true);
    expect(Shared(leaf('y', CONTINUE)).parallel).toBeUndefined();
  });
});
