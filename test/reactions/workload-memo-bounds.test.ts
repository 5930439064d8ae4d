import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { createCaches, type SyncCaches } from '../../src/cache/caches.js';
import { runSync } from '../../src/controller/sync.js';
import { BUILD_MEMO_MAX_BYTES } from '../../src/cache/builds.js';
import { fixedClock } from '../../src/kube/time.js';

const clock = fixedClock('2026-11-01T10:05:00Z');

/** typical-v2 with a pod annotation of `size` characters in every node group, distinct per `tag`. */
function request(tag: string, size: number): SyncRequest {
  const r = JSON.parse(readFileSync(new URL('../fixtures/typical-v2.request.json', import.meta.url), 'utf8')) as SyncRequest;
  const spec = r.parent.spec as { components: Record<string, { nodeGroups: Record<string, unknown>[] }> };
  for (const c of Object.values(spec.components)) for (const g of c.nodeGroups) g.template = { metadata: { annotations: { big: tag + 'z'.repeat(size) } } };
  return r;
}

const computeSts = async (r: SyncRequest, caches: SyncCaches) => (await runSync(r, { clock, caches })).response.children.find((c) => c.kind === 'StatefulSet' && c.metadata.name === 'risingwave-compute');

/**
 * Found by the fuzz suite (test/fuzz): the memo was bounded by number alone, so 300 parents with a 1 MiB
 * pod annotation in each group kept 2.4 GiB of workloads alive.
 */
describe('the workload memo is bounded by size', () => {
  it('ordinary workloads are shared between syncs', async () => {
    const caches = createCaches({ enabled: true });
    expect(await computeSts(request('a', 10), caches)).toBe(await computeSts(request('a', 10), caches));
  });

  it('a workload of more than 512 KiB of JSON is built for its own sync only', async () => {
    const caches = createCaches({ enabled: true });
    expect(await computeSts(request('a', 2 ** 19), caches)).not.toBe(await computeSts(request('a', 2 ** 19), caches));
  });

  it('past 16 MiB together, the oldest workloads go', async () => {
    const caches = createCaches({ enabled: true });
    const first = await computeSts(request('first', 10), caches);
    // Four node-group workloads of ~256 KiB per parent: 20 parents are 20 MiB.
    for (let i = 0; i < 20; i++) await runSync(request(String(i), 2 ** 18), { clock, caches });
    expect(caches.builds.bytes).toBeLessThanOrEqual(BUILD_MEMO_MAX_BYTES);
    expect(await computeSts(request('first', 10), caches)).not.toBe(first);
    const last = await computeSts(request('19', 2 ** 18), caches);
    expect(await computeSts(request('19', 2 ** 18), caches)).toBe(last);
  }, 60_000);
});
