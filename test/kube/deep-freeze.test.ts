import { describe, expect, it } from 'vitest';
import { deepFreeze, isDeepFrozen } from '../../src/kube/deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes every object and array under the root and remembers the root', () => {
    const v = { a: { b: [1, { c: 'x' }] }, d: null, e: 'f' };
    expect(deepFreeze(v)).toBe(v);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(Object.isFrozen(v.a.b)).toBe(true);
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
    expect(isDeepFrozen(v)).toBe(true);
    expect(() => {
      'use strict';
      (v.a.b[1] as { c: string }).c = 'y';
    }).toThrow(TypeError);
  });

  it('a shallow Object.freeze is not deep: its insides are frozen when it is reached', () => {
    const inner = { x: 1 };
    const shallow = Object.freeze({ inner });
    expect(isDeepFrozen(shallow)).toBe(false);
    deepFreeze({ shallow });
    expect(Object.isFrozen(inner)).toBe(true);
  });

  it('walks nesting far deeper than the call stack', () => {
    let v: Record<string, unknown> = {};
    const root = v;
    for (let i = 0; i < 200_000; i++) {
      const next = {};
      v.n = next;
      v = next;
    }
    deepFreeze(root);
    expect(Object.isFrozen(v)).toBe(true);
  });

  it('primitives and null pass through and are never deep-frozen objects', () => {
    expect(deepFreeze(null)).toBe(null);
    expect(deepFreeze(5)).toBe(5);
    expect(isDeepFrozen(null)).toBe(false);
    expect(isDeepFrozen('s')).toBe(false);
    expect(isDeepFrozen({})).toBe(false);
  });
});
