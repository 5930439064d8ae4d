import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { prepareRisingWave } from '../../src/api/prepare.js';
import { applyDefaults } from '../../src/api/defaults.js';
import { MetaStoreSchema, StateStoreSchema } from '../../src/api/risingwave.js';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/server-defaults.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: Record<string, unknown>; server: Record<string, unknown> }
>;

const parent = (spec: unknown) => ({
  apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
  kind: 'RisingWave',
  metadata: { name: 'rw', namespace: 'ns', generation: 2 },
  spec,
});

describe('prepareRisingWave defaults exactly as the API server does', () => {
  it.each(Object.entries(fixtures))('%s', (_name, { input, server }) => {
    const { rw, problems } = prepareRisingWave(parent(input));
    expect(problems).toEqual([]);
    expect(rw.spec).toEqual(server);
  });

  it('the recorded cases exercise every default the CRD declares', () => {
    const crd = parse(readFileSync(new URL('../../crds/risingwave.risingwavelabs.com_risingwaves.yaml', import.meta.url), 'utf8'));
    const specSchema = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    const defaulted = defaultPaths(specSchema, []);
    expect(defaulted.length).toBeGreaterThan(20);
    const uncovered = defaulted.filter((path) => !Object.values(fixtures).some(({ server }) => reaches(server, path)));
    expect(uncovered).toEqual([]);
  });
});

/** Paths (`[]` = any list item, `{}` = any map value) of every schema node carrying a default. */
function defaultPaths(node: Record<string, any>, path: string[]): string[][] {
  const found: string[][] = 'default' in node ? [path] : [];
  for (const [key, child] of Object.entries(node.properties ?? {})) found.push(...defaultPaths(child as any, [...path, key]));
  if (node.items) found.push(...defaultPaths(node.items, [...path, '[]']));
  if (typeof node.additionalProperties === 'object') found.push(...defaultPaths(node.additionalProperties, [...path, '{}']));
  return found;
}

function reaches(value: unknown, path: string[]): boolean {
  if (path.length === 0) return value !== undefined;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '[]') return Array.isArray(value) && value.some((item) => reaches(item, rest));
  if (typeof value !== 'object' || value === null) return false;
  if (head === '{}') return Object.values(value).some((v) => reaches(v, rest));
  return reaches((value as Record<string, unknown>)[head], rest);
}

describe('prepareRisingWave', () => {
  it('does not modify its input', () => {
    const input = parent({ image: 'rw:v1', components: { compute: { nodeGroups: [{ upgradeStrategy: {} }] } } });
    const before = structuredClone(input);
    prepareRisingWave(input);
    expect(input).toEqual(before);
  });

  it('never merges an object default into a present object', () => {
    const { rw } = prepareRisingWave(parent({ image: 'rw:v1', stateStore: { hdfs: { nameNode: 'n' } } }));
    expect(rw.spec.stateStore).toEqual({ hdfs: { nameNode: 'n' }, dataDirectory: 'hummock' });
    expect(rw.spec.metaStore).toEqual({ memory: true });
  });

  it('creates no optional object that has no default', () => {
    const { rw } = prepareRisingWave(parent({ image: 'rw:v1', components: { compute: { nodeGroups: [{}] } } }));
    expect(rw.spec.components?.compute?.nodeGroups).toEqual([{ name: '' }]);
    expect(rw.spec.components?.frontend).toBeUndefined();
    expect(rw.spec.licenseKey).toBeUndefined();
    expect(rw.spec.configuration).toBeUndefined();
  });

  it('treats null as absent, as the API server prunes it', () => {
    const { rw, problems } = prepareRisingWave(parent({ image: 'rw:v1', metaStore: null, enableWebhookListener: null, tls: null }));
    expect(problems).toEqual([]);
    expect(rw.spec.metaStore).toEqual({ memory: true });
    expect(rw.spec.enableWebhookListener).toBe(true);
    expect('tls' in rw.spec).toBe(false);
  });

  it('keeps explicit values over defaults', () => {
    const { rw } = prepareRisingWave(
      parent({
        image: 'rw:v1',
        enableWebhookListener: false,
        frontendServiceType: 'LoadBalancer',
        components: { compute: { logLevel: 'debug', nodeGroups: [{ upgradeStrategy: { type: 'Recreate' } }] } },
      }),
    );
    expect(rw.spec.enableWebhookListener).toBe(false);
    expect(rw.spec.frontendServiceType).toBe('LoadBalancer');
    expect(rw.spec.components?.compute?.logLevel).toBe('debug');
    expect(rw.spec.components?.compute?.nodeGroups?.[0]?.upgradeStrategy).toEqual({ type: 'Recreate' });
  });

  it.each([
    ['a number', 5, ['RisingWave: must be an object', 'spec: required', 'spec.image: Expected required property']],
    ['null', null, ['RisingWave: must be an object', 'spec: required', 'spec.image: Expected required property']],
    ['an array', [], ['RisingWave: must be an object', 'spec: required', 'spec.image: Expected required property']],
  ])('reports a parent that is %s', (_what, raw, problems) => {
    const result = prepareRisingWave(raw);
    expect(result.problems).toEqual(problems);
    expect(result.rw.spec.image).toBe('');
    expect(result.rw.spec.metaStore).toEqual({ memory: true });
    expect(result.rw.metadata.name).toBe('');
  });

  it.each([
    ['a string', 'x', ['spec: must be an object', 'spec.image: Expected required property']],
    ['an array', [1], ['spec: must be an object', 'spec.image: Expected required property']],
    ['absent', undefined, ['spec: required', 'spec.image: Expected required property']],
  ])('reports a spec that is %s', (_what, spec, problems) => {
    expect(prepareRisingWave(parent(spec)).problems).toEqual(problems);
  });

  it('keeps a well-formed status and drops a malformed one', () => {
    const status = { observedGeneration: 1, conditions: [{ type: 'Running', status: 'True' }] };
    expect(prepareRisingWave({ ...parent({ image: 'rw:v1' }), status }).rw.status).toEqual(status);
    expect(prepareRisingWave({ ...parent({ image: 'rw:v1' }), status: { observedGeneration: 'x' } }).rw.status).toBeUndefined();
  });

  it('caps a cascade of schema errors', () => {
    const groups = Array.from({ length: 30 }, (_, i) => ({ name: `g${i}`, replicas: 'x' }));
    const problems = prepareRisingWave(parent({ image: 'rw:v1', components: { compute: { nodeGroups: groups } } })).problems;
    expect(problems).toHaveLength(21);
    expect(problems[0]).toBe('spec.components.compute.nodeGroups[0].replicas: Expected integer');
    expect(problems[20]).toBe('spec: 10 more schema violations not shown');
  });

  it('never throws, is idempotent and leaves its input alone, whatever the spec', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue({ maxDepth: 4 }), (spec, extra) => {
        const raw = parent(typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? { ...spec, extra } : spec);
        const before = structuredClone(raw);
        const first = prepareRisingWave(raw);
        expect(raw).toEqual(before);
        expect(prepareRisingWave(first.rw).rw).toEqual(first.rw);
      }),
      { numRuns: 300 },
    );
  });
});

describe('applyDefaults', () => {
  it('fills nested defaults inside an applied default', () => {
    expect(applyDefaults(StateStoreSchema, undefined)).toEqual({ memory: true, dataDirectory: 'hummock' });
    expect(applyDefaults(MetaStoreSchema, undefined)).toEqual({ memory: true });
  });
});

describe("the operator's mutating webhook, applied by the hook", () => {
  it('trims white space and then every trailing slash from dataDirectory, as strings.TrimRight(strings.TrimSpace(d), "/")', () => {
    const dir = (d: string) => (prepareRisingWave({ spec: { image: 'rw:v2.1.0', stateStore: { memory: true, dataDirectory: d } } }).rw.spec.stateStore as { dataDirectory: string }).dataDirectory;
    expect(dir('hummock/')).toBe('hummock');
    expect(dir(' \t a/b// \n')).toBe('a/b');
    expect(dir('a/ ')).toBe('a');
    // Slashes before the white space stay: TrimSpace runs first, then TrimRight sees "a/ /b".
    expect(dir('a/ /b')).toBe('a/ /b');
    // Go's TrimSpace leaves U+FEFF (not a space to Go), unlike JavaScript's trim().
    expect(dir('\uFEFFa')).toBe('\uFEFFa');
    expect(dir('\u00A0a\u3000')).toBe('a');
  });

  it('leaves the parent it was given untouched and a spec without a state store alone', () => {
    const raw = { spec: { image: 'rw:v2.1.0', stateStore: { memory: true, dataDirectory: 'x/' } } };
    prepareRisingWave(raw);
    expect(raw.spec.stateStore.dataDirectory).toBe('x/');
    expect(prepareRisingWave({ spec: { image: 'rw:v2.1.0' } }).rw.spec.stateStore).toEqual({ memory: true, dataDirectory: 'hummock' });
  });
});
