import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_RESYNC_SECONDS, rolloutResyncSeconds } from '../../../src/reactions/status/backoff.js';

describe('rollout resync backoff', () => {
  it.each([
    [0, 5],
    [4.9, 5],
    [5, 10],
    [14, 10],
    [15, 20],
    [34, 20],
    [35, 40],
    [74, 40],
    [75, 60],
    [100_000, 60],
    [-3, 5],
    [Number.NaN, 5],
  ])('after %s s waiting → %s s', (elapsed, delay) => {
    expect(rolloutResyncSeconds(elapsed)).toBe(delay);
  });

  it('is monotonic, bounded, and each delay ends no earlier than the next step starts', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rolloutResyncSeconds(lo)).toBeLessThanOrEqual(rolloutResyncSeconds(hi));
        expect(rolloutResyncSeconds(hi)).toBeLessThanOrEqual(MAX_RESYNC_SECONDS);
        // Never waits more than the time already waited plus the first delay: a doubling retry loop.
        expect(rolloutResyncSeconds(lo)).toBeLessThanOrEqual(Math.max(5, lo + 5));
      }),
    );
  });
});
