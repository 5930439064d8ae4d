import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalQuantity, quantityNanos as parseQuantity } from '../../src/kube/quantity.js';

// Expected values are what apimachinery's Quantity.String() gives (and so what the API server stores).
const CASES: [string | number, string][] = [
  ['1000m', '1'],
  ['1', '1'],
  [2, '2'],
  ['0.5', '500m'],
  ['1.5', '1500m'],
  ['100m', '100m'],
  ['1500m', '1500m'],
  ['0', '0'],
  ['0m', '0'],
  ['0Gi', '0'],
  ['1Gi', '1Gi'],
  ['1024Mi', '1Gi'],
  ['2048Mi', '2Gi'],
  ['1.5Gi', '1536Mi'],
  ['512Mi', '512Mi'],
  ['0.5Ki', '512'],
  ['1Ki', '1Ki'],
  ['1000Mi', '1000Mi'],
  ['2000000000', '2G'],
  ['1000', '1k'],
  ['1200', '1200'],
  ['1G', '1G'],
  ['1000M', '1G'],
  ['1e3', '1e3'],
  ['12e2', '1200'],
  ['1E6', '1e6'],
  ['0.1', '100m'],
  ['0.0001', '100u'],
  ['1n', '1n'],
  ['0.0000000001', '1n'],
  ['+5', '5'],
  ['-1', '-1'],
  ['8000m', '8'],
  ['16Gi', '16Gi'],
];

describe('canonicalQuantity', () => {
  it.each(CASES)('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it('keeps text that is not a quantity', () => {
    expect(canonicalQuantity('lots')).toBe('lots');
    expect(parseQuantity('1.2.3')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
  });

  it('is idempotent and value-preserving for any decimal or binary quantity', () => {
    const suffix = fc.constantFrom('', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'Ti');
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 999 }), suffix, (whole, frac, s) => {
        const text = `${whole}.${String(frac).padStart(3, '0')}${s}`;
        const once = canonicalQuantity(text);
        expect(canonicalQuantity(once)).toBe(once);
        expect(parseQuantity(once)!.nanos).toBe(parseQuantity(text)!.nanos);
      }),
    );
  });
});
