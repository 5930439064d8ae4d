import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { risingWaveUnknownFields, unknownFields } from '../../src/crd/unknown-fields.js';
import { typeProblem, validateMode } from '../../src/cli/render.js';
import { UsageError } from '../../src/cli/io.js';
import { runPlugin } from '../../src/plugin/main.js';
import { capturedIO, cli, FIXTURE } from './helpers.js';

type Obj = Record<string, any>;

const demo = async (): Promise<Obj> =>
  parseAllDocuments(await readFile(FIXTURE, 'utf8'))
    .map((d) => d.toJS() as Obj)
    .find((o) => o.kind === 'RisingWave')!;

/** [case, edit of the fixture's RisingWave, the unknown field paths the API server would name]. */
const UNKNOWN_FIELD_CASES: Array<[string, (rw: Obj) => void, string[]]> = [
  ['none', () => {}, []],
  ['a typo at spec level', (rw) => ((rw.spec.stateStor = { memory: true }), delete rw.spec.stateStore), ['spec.stateStor']],
  ['replica for replicas, inside a list', (rw) => (rw.spec.components.compute.nodeGroups[0] = { name: '', replica: 1 }), ['spec.components.compute.nodeGroups[0].replica']],
  [
    'every path, in document order',
    (rw) => {
      rw.spec.imag = 'x';
      rw.spec.components.meta.nodeGroups[0].templat = {};
      rw.spec.components.meta.nodeGroups.push({ name: 'b', replicas: 0, upgradeStrategy: { typ: 'Recreate' } });
      rw.top = 1;
    },
    ['spec.components.meta.nodeGroups[0].templat', 'spec.components.meta.nodeGroups[1].upgradeStrategy.typ', 'spec.imag', 'top'],
  ],
  ['metadata is checked against ObjectMeta', (rw) => ((rw.metadata.label = { a: 'b' }), (rw.metadata.labels = { any: 'key' })), ['metadata.label']],
  [
    'embedded core/v1 objects keep what they are given (x-kubernetes-preserve-unknown-fields)',
    (rw) =>
      (rw.spec.components.compute.nodeGroups[0].template = {
        spec: { affinity: { anything: { goes: 1 } }, env: [{ name: 'A', value: 'b', extra: true }], resources: { limits: { cpu: '1' }, x: 1 } },
      }),
    [],
  ],
  [
    '... but a typo next to them is still found',
    (rw) => (rw.spec.components.compute.nodeGroups[0].template = { spec: { affinty: {}, env: [] }, metadat: {} }),
    ['spec.components.compute.nodeGroups[0].template.spec.affinty', 'spec.components.compute.nodeGroups[0].template.metadat'],
  ],
  ['map values: any key, typed values', (rw) => (rw.spec.additionalFrontendServiceMetadata = { labels: { 'a/b': 'c' }, annotation: {} }), ['spec.additionalFrontendServiceMetadata.annotation']],
  ['status is not checked (the status subresource drops it on create)', (rw) => (rw.status = { whatever: true }), []],
];

describe('unknown fields, as the API server\'s strict field validation names them', () => {
  it.each(UNKNOWN_FIELD_CASES)('%s', async (_name, edit, expected) => {
    const rw = await demo();
    edit(rw);
    expect(risingWaveUnknownFields(rw)).toEqual(expected);
  });

  it('walks a structural schema: properties, additionalProperties, items, preserved nodes and leaves', () => {
    const schema = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
        map: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'integer' } } } },
        kept: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: {} } } },
        ios: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        empty: { type: 'object' },
      },
    };
    const value = {
      list: [{ a: 'x' }, { b: 1 }],
      map: { k: { v: 1, w: 2 } },
      kept: { anything: 1, known: { typo: 1 } },
      ios: 3,
      empty: { x: 1 },
    };
    expect(unknownFields(value, schema)).toEqual(['list[1].b', 'map.k.w', 'kept.known.typo', 'empty.x']);
  });
});

/** [case, apiVersion, kind, undefined | 'other' (skipped) | a fragment of the refusal]. */
const TYPE_CASES: Array<[string, unknown, unknown, string | undefined]> = [
  ['the served version', 'risingwave.risingwavelabs.com/v1alpha1', 'RisingWave', undefined],
  ['a version the CRD does not serve', 'risingwave.risingwavelabs.com/v1', 'RisingWave', 'no matches for kind "RisingWave" in version "risingwave.risingwavelabs.com/v1"'],
  ['a kind the group does not have', 'risingwave.risingwavelabs.com/v1alpha1', 'Risingwave', 'no matches for kind "Risingwave"'],
  ['RisingWave of another group', 'example.com/v1alpha1', 'RisingWave', 'no matches for kind "RisingWave" in version "example.com/v1alpha1"'],
  ['no apiVersion', undefined, 'RisingWave', 'apiVersion not set'],
  ['no kind in the group', 'risingwave.risingwavelabs.com/v1alpha1', undefined, 'kind not set'],
  ['another kind entirely', 'v1', 'Secret', 'other'],
];

describe('apiVersion and kind', () => {
  it.each(TYPE_CASES)('%s', (_name, apiVersion, kind, expected) => {
    const problem = typeProblem({ apiVersion, kind });
    if (expected === undefined || expected === 'other') expect(problem).toBe(expected);
    else expect(problem).toContain(expected);
  });
});

describe('--validate', () => {
  it.each([
    [undefined, 'strict'],
    ['strict', 'strict'],
    ['true', 'strict'],
    ['warn', 'warn'],
    ['ignore', 'ignore'],
    ['false', 'ignore'],
  ] as const)('%s -> %s', (given, mode) => expect(validateMode(given)).toBe(mode));

  it('anything else is wrong usage', () => expect(() => validateMode('lenient')).toThrow(UsageError));
});

/** The fixture with `replica` for `replicas` and a `stateStor` typo: what the user wrote. */
const typoManifest = async (): Promise<string> => {
  const rw = await demo();
  rw.spec.stateStor = rw.spec.stateStore;
  delete rw.spec.stateStore;
  rw.spec.components.compute.nodeGroups[0] = { name: '', replica: 1 };
  return stringify(rw);
};

describe('rw-hook render and kubectl risingwave render refuse what the API server refuses', () => {
  const run = {
    'rw-hook': async (args: string[], stdin: string) => cli(['render', ...args, '-f', '-'], { stdin }),
    'kubectl risingwave': async (args: string[], stdin: string) => {
      const { io, stdout, stderr } = capturedIO({ stdin });
      const code = await runPlugin(['render', ...args, '-f', '-'], io);
      return { code, stdout: stdout(), stderr: stderr() };
    },
  };

  for (const [bin, render] of Object.entries(run)) {
    const label = bin === 'rw-hook' ? 'rw-hook render' : 'kubectl-risingwave render';

    it(`${bin}: strict by default: exit 1, every unknown path named, nothing on stdout`, async () => {
      const r = await render([], await typoManifest());
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `${label}: RisingWave demo: strict decoding error: unknown field "spec.components.compute.nodeGroups[0].replica", unknown field "spec.stateStor"\n`,
      );
      expect(r.stderr).toContain('--validate=warn or ignore');
    });

    it(`${bin}: --validate=warn renders and warns; ignore renders silently`, async () => {
      const warn = await render(['--validate=warn'], await typoManifest());
      expect(warn.stderr).toContain('Warning: RisingWave demo: unknown field "spec.components.compute.nodeGroups[0].replica", unknown field "spec.stateStor"\n');
      expect(warn.stdout).toContain('kind: StatefulSet');
      const ignore = await render(['--validate', 'ignore'], await typoManifest());
      expect(ignore.stdout).toBe(warn.stdout);
      expect(ignore.stderr).not.toContain('unknown field');
    });

    it(`${bin}: a wrong apiVersion is refused whatever --validate says`, async () => {
      const rw = await demo();
      rw.apiVersion = 'risingwave.risingwavelabs.com/v1';
      for (const args of [[], ['--validate=ignore']]) {
        const r = await render(args, stringify(rw));
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(`${label}: RisingWave demo: no matches for kind "RisingWave" in version "risingwave.risingwavelabs.com/v1"`);
      }
    });

    it(`${bin}: a bad --validate value is wrong usage (exit 2)`, async () => {
      const r = await render(['--validate=lenient'], await typoManifest());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: invalid value for --validate: "lenient"; must be one of: strict \(or true\), warn, ignore \(or false\)\nSee '.*render --help' for usage\.\n$/);
    });
  }

  it('every example in examples/ renders under strict validation', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = new URL('../../examples/', import.meta.url).pathname;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      const docs = parseAllDocuments(await readFile(dir + f, 'utf8')).map((d) => d.toJS() as Obj);
      for (const rw of docs.filter((d) => d?.kind === 'RisingWave')) expect(risingWaveUnknownFields(rw), f).toEqual([]);
    }
  });
});

describe('rw-hook render -f', () => {
  it('takes the manifest as -f FILE as the plugin does, or as the one argument', async () => {
    const byFlag = await cli(['render', '-f', FIXTURE]);
    const byArg = await cli(['render', FIXTURE]);
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toBe(byArg.stdout);
    expect(byFlag.stdout).toContain('kind: StatefulSet');
  });

  it.each([
    [[], 'error: a manifest is required: -f FILE (or - for stdin)'],
    [['-f', FIXTURE, FIXTURE], `error: expects one manifest, got "${FIXTURE}" "${FIXTURE}"`],
    [['-f'], 'error: flag needs an argument: --filename'],
  ])('%j is wrong usage (exit 2)', async (args, first) => {
    const r = await cli(['render', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(first);
  });
});
