import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareRisingWaveShared as prepareShared } from '../../src/api/prepare.js';
import { createSharedValues } from '../../src/cache/shared-values.js';

const parent = (annotation: string): Record<string, unknown> => {
  const p = (JSON.parse(readFileSync(new URL('../fixtures/new-v2.request.json', import.meta.url), 'utf8')) as { parent: Record<string, any> }).parent;
  p.metadata.annotations = { big: annotation };
  return p;
};

/**
 * Found by the fuzz suite (test/fuzz): the shared parents were bounded by number only, so 256 parents with a
 * 1 MiB annotation kept 275 MiB alive; with BODY_LIMIT's 8 MiB parents it would be 2 GiB.
 */
const parents = createSharedValues();
const prepareRisingWaveShared = (raw: unknown) => prepareShared(raw, parents);

describe('prepareRisingWaveShared is bounded by size', () => {
  it('a parent of more than 1 MiB of JSON is prepared for its own sync, not kept', () => {
    const big = 'x'.repeat(2 ** 20 + 1);
    const a = prepareRisingWaveShared(parent(big));
    expect(prepareRisingWaveShared(parent(big))).not.toBe(a);
  });

  it('parents past 8 MiB together push out the least recently used', () => {
    const half = 'y'.repeat(2 ** 19);
    const first = prepareRisingWaveShared(parent(`0${half}`));
    expect(prepareRisingWaveShared(parent(`0${half}`))).toBe(first);
    for (let i = 1; i <= 16; i++) prepareRisingWaveShared(parent(`${i}${half}`));
    expect(prepareRisingWaveShared(parent(`0${half}`))).not.toBe(first);
    // The most recent are still shared.
    const last = prepareRisingWaveShared(parent(`16${half}`));
    expect(prepareRisingWaveShared(parent(`16${half}`))).toBe(last);
  });
});
