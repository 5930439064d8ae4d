import { describe, expect, it } from 'vitest';
import { isStackOverflow } from '../../src/server/json-depth.js';

const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('isStackOverflow', () => {
  it('recognises the RangeError of a recursive walk too deep for the stack', () => {
    // JSON.parse is iterative: the body parses, and the first recursive walk overflows.
    const deep = nested(200_000);
    let thrown: unknown;
    try {
      JSON.stringify(deep);
    } catch (err) {
      thrown = err;
    }
    expect(isStackOverflow(thrown)).toBe(true);
  });

  it.each([
    ['another RangeError', new RangeError('Invalid array length')],
    ['a TypeError', new TypeError('x is not a function')],
    ['a thrown string', 'Maximum call stack size exceeded'],
    ['nothing', undefined],
  ])('is false for %s', (_, err) => {
    expect(isStackOverflow(err)).toBe(false);
  });
});
