import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { prepareRisingWaveShared } from '../../src/api/prepare.js';
import { PieceMemo } from '../../src/cache/pieces.js';
import { createSharedValues, SHARED_VALUES_MAX_BYTES, SHARED_VERSIONS_MAX_BYTES } from '../../src/cache/shared-values.js';
import { createSyncBodyParser } from '../../src/server/sync-body.js';

/**
 * Every cache that shares work between syncs is bounded by bytes, keys included (issue #14 item 3): parents
 * and children whose keys are huge must not keep more alive than the bound. Measured as retained heap after
 * a full collection, so a string kept outside the costed entries (a key, a slice of a whole body) shows.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;

function retainedMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / MiB;
}

const fixtureParent = (JSON.parse(readFileSync(new URL('../fixtures/new-v2.request.json', import.meta.url), 'utf8')) as { parent: Record<string, any> }).parent;

describe('caches bounded by bytes, keys included', () => {
  it('prepared parents: 300 parents with 0.9 MB uids keep no more than the bound alive', () => {
    const parents = createSharedValues();
    const before = retainedMiB();
    for (let i = 0; i < 300; i++) {
      const parent = structuredClone(fixtureParent);
      parent.metadata.uid = `${String(i).padStart(4, '0')}${'u'.repeat(900_000)}`;
      parent.metadata.resourceVersion = String(i);
      prepareRisingWaveShared(parent, parents);
    }
    const grown = retainedMiB() - before;
    const { values, versions } = parents.bytes;
    expect(values).toBeLessThanOrEqual(SHARED_VALUES_MAX_BYTES);
    expect(versions).toBeLessThanOrEqual(SHARED_VERSIONS_MAX_BYTES);
    // The costed bound is 16 MiB of UTF-16; one-byte strings take half that, the frozen objects a little more.
    expect(grown).toBeLessThan(32);
  });

  it('parsed request pieces: 200 children under 200 KB keys keep no more than the bound alive', () => {
    const parser = createSyncBodyParser(new PieceMemo(true, MiB));
    const before = retainedMiB();
    for (let i = 0; i < 200; i++) {
      const key = `${String(i).padStart(4, '0')}${'k'.repeat(200_000)}`;
      parser.parse(JSON.stringify({ parent: { metadata: { name: 'rw' } }, children: { 'G.v1': { [key]: { a: 1 } } }, finalizing: false }));
    }
    const grown = retainedMiB() - before;
    expect(parser.bytes).toBeLessThanOrEqual(MiB);
    expect(grown).toBeLessThan(8);
  });
});
