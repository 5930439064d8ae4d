import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isQuantity, parseQuantity, QuantityError } from '../../src/kube/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['+3', 3],
    ['-3', -3],
    ['100m', 0.1],
    ['1500m', 1.5],
    ['250u', 0.00025],
    ['7n', 7e-9],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['2T', 2e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['1Mi', 1048576],
    ['1.5Gi', 1610612736],
    ['4Gi', 4294967296],
    ['1Ti', 1099511627776],
    ['1Pi', 1125899906842624],
    ['1Ei', 1152921504606846976],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-1', 0.1],
    ['12e+2', 1200],
    ['0.1', 0.1],
  ] as const)('%s = %d', (input, expected) => {
    expect(parseQuantity(input)).toBe(expected);
    expect(isQuantity(input)).toBe(true);
  });

  it('passes finite numbers through', () => {
    expect(parseQuantity(3)).toBe(3);
    expect(parseQuantity(0.5)).toBe(0.5);
  });

  it.each(['', ' 1', '1 ', '1Kb', 'Gi', '1ki', '1.2.3', '--1', '1e', '0x10', 'lots', '1mi', '.', '1e1.5'])(
    'rejects %j',
    (input) => {
      expect(() => parseQuantity(input)).toThrow(QuantityError);
      expect(() => parseQuantity(input)).toThrow(`invalid quantity ${JSON.stringify(input)}`);
      expect(isQuantity(input)).toBe(false);
    },
  );

  it('rejects non-finite numbers', () => {
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
    expect(() => parseQuantity(Number.POSITIVE_INFINITY)).toThrow(QuantityError);
  });

  it('equal quantities written differently parse to the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => {
        expect(parseQuantity(`${n}m`)).toBe(n / 1000);
        expect(parseQuantity(`${n}e-3`)).toBe(n / 1000);
        expect(parseQuantity(`${n}Ki`)).toBe(n * 1024);
        expect(parseQuantity(`${n}k`)).toBe(n * 1000);
      }),
    );
  });
});
