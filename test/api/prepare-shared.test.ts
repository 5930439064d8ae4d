import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { prepareRisingWave, prepareRisingWaveShared as prepareShared } from '../../src/api/prepare.js';
import { createSharedValues } from '../../src/cache/shared-values.js';

const parent = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(new URL('../fixtures/typical-v2.request.json', import.meta.url), 'utf8')) as { parent: Record<string, unknown> }).parent;

const parents = createSharedValues();
const prepareRisingWaveShared = (raw: unknown) => prepareShared(raw, parents);

describe('prepareRisingWaveShared', () => {
  it('is prepareRisingWave, shared and frozen for an unchanged parent', () => {
    const a = prepareRisingWaveShared(parent());
    const b = prepareRisingWaveShared(parent());
    expect(b).toBe(a);
    expect(a).toEqual(prepareRisingWave(parent()));
    expect(Object.isFrozen(a.rw.spec)).toBe(true);
    expect(() => ((a.rw.metadata as { name: string }).name = 'x')).toThrow(TypeError);
  });

  it('prepares a changed parent afresh', () => {
    const a = prepareRisingWaveShared(parent());
    const changed = parent();
    (changed.spec as Record<string, unknown>).image = 'risingwavelabs/risingwave:v9.9.9';
    const b = prepareRisingWaveShared(changed);
    expect(b).not.toBe(a);
    expect(b.rw.spec.image).toBe('risingwavelabs/risingwave:v9.9.9');
    expect(b).toEqual(prepareRisingWave(changed));
  });

  it('shares nothing through a disabled cache, and still freezes', () => {
    const off = createSharedValues(false);
    const a = prepareShared(parent(), off);
    const b = prepareShared(parent(), off);
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect(Object.isFrozen(a.rw.spec)).toBe(true);
  });

  describe('a parent at a version seen before is compared, not trusted', () => {
    const versioned = (resourceVersion: string, image?: string, reorder = false) => {
      const p = parent();
      p.metadata = { ...(p.metadata as Record<string, unknown>), uid: 'u-1', resourceVersion };
      if (image !== undefined) (p.spec as Record<string, unknown>).image = image;
      if (!reorder) return p;
      const { spec, ...rest } = p;
      return { spec, ...rest };
    };
    it.each([
      ['the same content', undefined, false, true],
      ['another image at the same version (a replay, a test)', 'risingwavelabs/risingwave:v0.0.1', false, false],
      ['the same values with keys in another order', undefined, true, false],
    ])('%s', (_, image, reorder, shared) => {
      const a = prepareRisingWaveShared(versioned('77'));
      const b = prepareRisingWaveShared(versioned('77', image, reorder));
      expect(b === a).toBe(shared);
      expect(b).toEqual(prepareRisingWave(versioned('77', image, reorder)));
    });
  });
});
