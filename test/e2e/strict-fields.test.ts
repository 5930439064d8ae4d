/**
 * `render`'s unknown-field check against the real API server: for each manifest, `kubectl create
 * --dry-run=server --validate=strict` refuses exactly the fields risingWaveUnknownFields names (same paths,
 * same order-insensitive set), and accepts what it accepts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { risingWaveUnknownFields } from '../../src/crd/unknown-fields.js';
import { useCluster } from './support.js';

const CRD_FILE = fileURLToPath(new URL('../../crds/risingwave.risingwavelabs.com_risingwaves.yaml', import.meta.url));
const cluster = useCluster();

type Obj = Record<string, any>;
const base = (): Obj => ({
  apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
  kind: 'RisingWave',
  metadata: { name: 'strict', namespace: 'default' },
  spec: { image: 'risingwavelabs/risingwave:v2.1.0', metaStore: { memory: true }, stateStore: { memory: true } },
});

const CASES: Array<[string, (rw: Obj) => void]> = [
  ['nothing unknown', () => {}],
  ['a spec typo', (rw) => (rw.spec.stateStor = {})],
  ['replica in a node group, and a root field', (rw) => ((rw.spec.components = { compute: { nodeGroups: [{ name: '', replica: 1 }] } }), (rw.extra = 1))],
  ['metadata', (rw) => (rw.metadata.label = {})],
  ['preserved embedded objects next to a typo', (rw) => (rw.spec.components = { meta: { nodeGroups: [{ template: { spec: { affinity: { x: 1 }, env: [{ name: 'a', y: 1 }], affinty: {} } } }] } })],
  ['a map of typed values', (rw) => (rw.spec.additionalFrontendServiceMetadata = { labels: { a: 'b' }, annotation: {} })],
];

/** The field paths in kube-apiserver's strict decoding error (`unknown field "spec.x"`), sorted. */
function refusedPaths(out: string): string[] {
  // The message carries kubectl's stderr twice (execFile's text, then stderr): count each path once.
  return [...new Set([...out.matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1]!))].sort();
}

describe('unknown fields: render and kube-apiserver name the same paths', () => {
  beforeAll(async () => {
    await cluster().kubectl(['apply', '--server-side', '--force-conflicts', '-f', CRD_FILE]);
    await cluster().kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/risingwaves.risingwave.risingwavelabs.com']);
  }, 90_000);

  it.each(CASES)('%s', async (_name, edit) => {
    const rw = base();
    edit(rw);
    const ours = [...risingWaveUnknownFields(rw)].sort();
    let out = '';
    try {
      await cluster().kubectl(['create', '--dry-run=server', '--validate=strict', '-o', 'name', '-f', '-'], JSON.stringify(rw));
    } catch (err) {
      out = (err as Error).message;
    }
    expect(refusedPaths(out), out).toEqual(ours);
    if (ours.length > 0) expect(out).toContain('strict decoding error');
    else expect(out).toBe('');
  });
});
