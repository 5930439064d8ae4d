import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';
import { Value } from '@sinclair/typebox/value';
import { buildCrd, generateCrdYaml } from '../../src/crd/generate.js';
import { RisingWaveSchema, isRFC3339 } from '../../src/api/risingwave.js';
import { KUBERNETES_SCHEMA_KEYWORDS } from '../../src/api/metacontroller.js';
import { prepareRisingWave } from '../../src/api/prepare.js';

const CRD_FILE = new URL('../../crds/risingwave.risingwavelabs.com_risingwaves.yaml', import.meta.url);
type Node = Record<string, any>;

const crd = buildCrd() as Node;
const version = crd.spec.versions[0];
const root: Node = version.schema.openAPIV3Schema;

describe('committed CRD', () => {
  it('is what the generator produces (UPDATE_CRD=1 rewrites it)', () => {
    const generated = generateCrdYaml();
    if (process.env.UPDATE_CRD === '1') writeFileSync(CRD_FILE, generated);
    expect(readFileSync(CRD_FILE, 'utf8')).toBe(generated);
  });

  it('generation is deterministic', () => {
    expect(generateCrdYaml()).toBe(generateCrdYaml());
  });

  it('parses back to the built object', () => {
    expect(parse(generateCrdYaml())).toEqual(crd);
  });

  it('fits the 256 KiB last-applied annotation, so client-side apply works', () => {
    expect(Buffer.byteLength(generateCrdYaml())).toBeLessThan(262144);
    expect(Buffer.byteLength(JSON.stringify(crd))).toBeLessThan(262144);
  });
});

describe('CRD identity (Go operator parity)', () => {
  it('names, scope, version and subresources', () => {
    expect(crd.metadata).toEqual({ name: 'risingwaves.risingwave.risingwavelabs.com' });
    expect(crd.spec.group).toBe('risingwave.risingwavelabs.com');
    expect(crd.spec.names).toEqual({
      kind: 'RisingWave',
      listKind: 'RisingWaveList',
      plural: 'risingwaves',
      singular: 'risingwave',
      shortNames: ['rw'],
      categories: ['all', 'streaming'],
    });
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
    expect(Object.keys(version.subresources)).toEqual(['status']);
  });

  it('printer columns', () => {
    expect(version.additionalPrinterColumns).toEqual([
      { name: 'META STORE', type: 'string', jsonPath: '.status.metaStore.backend' },
      { name: 'STATE STORE', type: 'string', jsonPath: '.status.stateStore.backend' },
      { name: 'VERSION', type: 'string', jsonPath: '.status.version' },
      { name: 'RUNNING', type: 'string', jsonPath: '.status.conditions[?(@.type=="Running")].status' },
      { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Structural lint: the API server's rules for CRD schemas (ecosystem.md §3.1), checked on every node.
// ---------------------------------------------------------------------------------------------------------

const FORBIDDEN = ['$ref', 'definitions', 'dependencies', 'deprecated', 'discriminator', 'id', 'patternProperties', 'readOnly', 'writeOnly', 'xml', 'const', '$id', '$schema', 'allOf', 'oneOf', 'not'];
const INT_OR_STRING_ANY_OF = [{ type: 'integer' }, { type: 'string' }];

function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child as Node, `${path}.${name}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`, visit);
}

function lint(schema: Node): string[] {
  const problems: string[] = [];
  walk(schema, '', (node, path) => {
    const at = path || '<root>';
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
    if (!node.type && !intOrString && !preserve) problems.push(`${at}: no type`);
    for (const key of FORBIDDEN) if (key in node) problems.push(`${at}: forbidden ${key}`);
    if (node.uniqueItems === true) problems.push(`${at}: uniqueItems`);
    if (node.additionalProperties === false) problems.push(`${at}: additionalProperties: false`);
    if (node.additionalProperties !== undefined && node.properties !== undefined) {
      problems.push(`${at}: additionalProperties with properties`);
    }
    if (node.anyOf !== undefined && !(intOrString && JSON.stringify(node.anyOf) === JSON.stringify(INT_OR_STRING_ANY_OF))) {
      problems.push(`${at}: anyOf other than int-or-string`);
    }
    if (intOrString && (node.type !== undefined || node.anyOf === undefined)) problems.push(`${at}: malformed int-or-string`);
    if (node.type === 'array' && !node.items) problems.push(`${at}: array without items`);
    if (node['x-kubernetes-list-type'] === 'map') {
      const keys: string[] = node['x-kubernetes-list-map-keys'] ?? [];
      if (keys.length === 0) problems.push(`${at}: list-map without keys`);
      for (const key of keys) {
        const keyNode = node.items?.properties?.[key];
        const requiredOrDefaulted = node.items?.required?.includes(key) || keyNode?.default !== undefined;
        if (!keyNode || !requiredOrDefaulted) problems.push(`${at}: list-map key ${key} must be required or defaulted`);
      }
    }
    for (const required of node.required ?? []) {
      if (!node.properties?.[required]) problems.push(`${at}: required ${required} is not a property`);
    }
    if (node.default !== undefined && node.type && typeOf(node.default) !== node.type && !(node.type === 'number' && typeOf(node.default) === 'integer')) {
      problems.push(`${at}: default ${JSON.stringify(node.default)} is not a ${node.type}`);
    }
    if (node.enum !== undefined && node.default !== undefined && !node.enum.includes(node.default)) {
      problems.push(`${at}: default not in enum`);
    }
  });
  return problems;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

describe('structural schema', () => {
  it('every node follows the structural rules', () => {
    expect(lint(root)).toEqual([]);
  });

  it('the lint catches what it looks for', () => {
    const bad = {
      type: 'object',
      properties: {
        a: {},
        b: { type: 'object', additionalProperties: false },
        c: { type: 'string', anyOf: [{ type: 'string' }] },
        d: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: { type: 'string' } },
        e: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'] },
        f: { type: 'string', $ref: '#/x' },
      },
    };
    expect(lint(bad)).toEqual([
      '.a: no type',
      '.b: additionalProperties: false',
      '.c: anyOf other than int-or-string',
      '.d: additionalProperties with properties',
      '.e: list-map key k must be required or defaulted',
      '.f: forbidden $ref',
    ]);
  });

  it('the root restricts nothing in metadata and only allowed keywords (status subresource)', () => {
    expect(root.properties.metadata).toEqual({ type: 'object' });
    const allowedAtRoot = ['description', 'type', 'properties', 'required'];
    expect(Object.keys(root).filter((k) => !allowedAtRoot.includes(k))).toEqual([]);
    expect(root.required).toEqual(['spec']);
  });

  it('status declares every field the hook writes', () => {
    const status = root.properties.status;
    expect(Object.keys(status.properties).sort()).toEqual(
      ['componentReplicas', 'conditions', 'internal', 'metaStore', 'observedGeneration', 'scaleViews', 'stateStore', 'version'].sort(),
    );
    expect(status.properties.observedGeneration).toEqual({ type: 'integer', format: 'int64' });
    const conditions = status.properties.conditions;
    expect(conditions['x-kubernetes-list-type']).toBe('map');
    expect(conditions['x-kubernetes-list-map-keys']).toEqual(['type']);
    expect(Object.keys(conditions.items.properties).sort()).toEqual(['lastTransitionTime', 'message', 'reason', 'status', 'type']);
    expect(conditions.items.properties.lastTransitionTime).toEqual({ type: 'string', format: 'date-time' });
    const component = status.properties.componentReplicas.properties;
    expect(Object.keys(component).sort()).toEqual(['compactor', 'compute', 'frontend', 'meta', 'standalone']);
    expect(Object.keys(component.compute.properties.groups.items.properties).sort()).toEqual(['autoscaling', 'exists', 'name', 'running', 'target']);
    const autoscaling = component.compute.properties.groups.items.properties.autoscaling;
    expect(Object.keys(autoscaling.properties).sort()).toEqual(['currentReplicas', 'desiredReplicas', 'maxReplicas', 'minReplicas']);
    expect(autoscaling.required.sort()).toEqual(['maxReplicas', 'minReplicas']);
  });

  it('node groups are a list-map keyed by a defaulted name, bounded for the CEL cost estimate', () => {
    for (const c of ['meta', 'frontend', 'compute', 'compactor']) {
      const groups = root.properties.spec.properties.components.properties[c].properties.nodeGroups;
      expect(groups['x-kubernetes-list-type']).toBe('map');
      expect(groups['x-kubernetes-list-map-keys']).toEqual(['name']);
      expect(groups.maxItems).toBeGreaterThanOrEqual(1000);
      expect(groups.items.properties.name).toMatchObject({ type: 'string', default: '', maxLength: 253 });
      expect(groups.items.properties.name.pattern).toBe('^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$');
    }
  });

  it('embedded Kubernetes types are kept verbatim, not re-declared', () => {
    const pod = root.properties.spec.properties.components.properties.compute.properties.nodeGroups.items.properties.template.properties.spec.properties;
    expect(pod.affinity).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(pod.env).toEqual({ type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    expect(pod.imagePullPolicy).toEqual({ type: 'string', enum: ['Always', 'Never', 'IfNotPresent'] });
  });

  it('int-or-string fields keep their defaults', () => {
    const rolling = root.properties.spec.properties.components.properties.compute.properties.nodeGroups.items.properties.upgradeStrategy.properties.rollingUpdate.properties;
    expect(rolling.maxUnavailable).toEqual({ default: '25%', 'x-kubernetes-int-or-string': true, anyOf: INT_OR_STRING_ANY_OF });
    expect(rolling.partition.default).toBe(0);
    expect(rolling.maxSurge.default).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// CEL rules: each webhook rule that CEL can express sits on the right node.
// ---------------------------------------------------------------------------------------------------------

function rulesByPath(schema: Node): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  walk(schema, '', (node, path) => {
    for (const v of node['x-kubernetes-validations'] ?? []) rules.set(path, [...(rules.get(path) ?? []), v.rule]);
  });
  return rules;
}

describe('CEL rules', () => {
  const rules = rulesByPath(root);
  const at = (path: string) => rules.get(path) ?? [];
  const groupPaths = ['meta', 'frontend', 'compute', 'compactor'].map((c) => `.spec.components.${c}.nodeGroups[]`);

  it('exactly one meta-store backend, immutable', () => {
    expect(at('.spec.metaStore')).toEqual([
      '((has(self.memory) && self.memory) ? 1 : 0) + (has(self.etcd) ? 1 : 0) + (has(self.sqlite) ? 1 : 0) + (has(self.mysql) ? 1 : 0) + (has(self.postgresql) ? 1 : 0) == 1',
      'self == oldSelf',
    ]);
  });

  it('exactly one state-store backend over all ten, immutable', () => {
    const [count, immutable] = at('.spec.stateStore');
    for (const key of ['localDisk', 'minio', 's3', 'gcs', 'aliyunOSS', 'azureBlob', 'hdfs', 'webhdfs', 'huaweiCloudOBS']) {
      expect(count).toContain(`(has(self.${key}) ? 1 : 0)`);
    }
    expect(count).toContain('((has(self.memory) && self.memory) ? 1 : 0)');
    expect(count).toMatch(/ == 1$/);
    expect(immutable).toBe('self == oldSelf');
  });

  it('spec-level: memory meta replicas, store removal, private key set once', () => {
    const spec = at('.spec');
    expect(spec).toHaveLength(4);
    expect(spec[0]).toContain(
      'self.components.meta.nodeGroups.map(g, has(g.autoscaling) ? g.autoscaling.maxReplicas : (has(g.replicas) ? g.replicas : 0)).sum() <= 1',
    );
    expect(spec[1]).toBe('!has(oldSelf.metaStore) || has(self.metaStore)');
    expect(spec[2]).toBe('!has(oldSelf.stateStore) || has(self.stateStore)');
    expect(spec[3]).toContain('self.secretStore.privateKey == oldSelf.secretStore.privateKey');
  });

  it('no risingwave/ label prefix on every user label map, each bounded', () => {
    const labelPaths = [
      '.spec.additionalFrontendServiceMetadata.labels',
      '.spec.additionalMetaServiceMetadata.labels',
      '.spec.components.standalone.template.metadata.labels',
      ...groupPaths.map((g) => `${g}.template.metadata.labels`),
    ];
    for (const path of labelPaths) expect(at(path), path).toEqual(["self.all(k, !k.startsWith('risingwave/'))"]);
    const labelRules = [...rules.entries()].filter(([, r]) => r.some((x) => x.includes('risingwave/'))).map(([p]) => p);
    expect(labelRules.sort()).toEqual(labelPaths.sort());
  });

  it('autoscaling: bounds in order and some metric, on every node group', () => {
    for (const path of groupPaths.map((p) => `${p}.autoscaling`)) {
      expect(at(path), path).toEqual([
        '!has(self.minReplicas) || self.minReplicas <= self.maxReplicas',
        'has(self.targetCPUUtilizationPercentage) || (has(self.metrics) && self.metrics.size() > 0)',
      ]);
    }
  });

  it('Recreate carries no rollingUpdate, on every upgrade strategy', () => {
    for (const path of [...groupPaths, '.spec.components.standalone'].map((p) => `${p}.upgradeStrategy`)) {
      expect(at(path), path).toEqual(["!(has(self.type) && self.type == 'Recreate' && has(self.rollingUpdate))"]);
    }
  });

  it('state-store credentials', () => {
    expect(at('.spec.stateStore.s3')).toEqual([
      "!has(self.endpoint) || (has(self.credentials.secretName) && self.credentials.secretName != '')",
      "has(self.endpoint) || (has(self.credentials.secretName) && self.credentials.secretName != '') || (has(self.credentials.useServiceAccount) && self.credentials.useServiceAccount)",
    ]);
    expect(at('.spec.stateStore.gcs')).toEqual([
      "has(self.credentials) && ((has(self.credentials.secretName) && self.credentials.secretName != '') || (has(self.credentials.useWorkloadIdentity) && self.credentials.useWorkloadIdentity))",
    ]);
    expect(at('.spec.stateStore.azureBlob')).toEqual([
      "(has(self.credentials.secretName) && self.credentials.secretName != '') || (has(self.credentials.useServiceAccount) && self.credentials.useServiceAccount)",
    ]);
  });

  it('dataDirectory shape, bounded', () => {
    expect(at('.spec.stateStore.dataDirectory')).toEqual(["!self.matches('^\\\\s*/') && !self.matches('//+[^/\\\\s]')"]);
    expect(root.properties.spec.properties.stateStore.properties.dataDirectory.maxLength).toBe(800);
  });

  it('secret store: value xor secretRef', () => {
    expect(at('.spec.secretStore.privateKey')).toEqual(['has(self.value) != has(self.secretRef)']);
  });

  it('every rule has a message', () => {
    walk(root, '', (node, path) => {
      for (const v of node['x-kubernetes-validations'] ?? []) expect(v.message, `${path}: ${v.rule}`).toBeTruthy();
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The TypeBox schema and the CRD schema accept the same objects.
// ---------------------------------------------------------------------------------------------------------

const formats = { 'date-time': isRFC3339, int32: true, int64: true } as const;
const ajv = new Ajv({ keywords: KUBERNETES_SCHEMA_KEYWORDS, formats, allErrors: true });
const checkTypeBox = ajv.compile(RisingWaveSchema);
const checkCrd = new Ajv({ keywords: KUBERNETES_SCHEMA_KEYWORDS, formats, allErrors: true }).compile(root);

const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);
function exampleRisingWaves(): Array<[string, unknown]> {
  if (!existsSync(EXAMPLES_DIR)) return [];
  const files = (readdirSync(EXAMPLES_DIR, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8'))
      .map((doc) => doc.toJS())
      .filter((obj) => obj?.kind === 'RisingWave')
      .map((obj, i) => [`${file}#${i}`, obj] as [string, unknown]),
  );
}

const serverDefaults = JSON.parse(readFileSync(new URL('../api/fixtures/server-defaults.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: unknown; server: unknown }
>;
const asParent = (spec: unknown) => ({ apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', kind: 'RisingWave', metadata: { name: 'x' }, spec });

describe('schemas agree (TypeBox Value.Check, Ajv on TypeBox, Ajv on the CRD)', () => {
  const examples = exampleRisingWaves();

  // Examples may omit required-but-defaulted fields, as users do: judge them the way the API server does.
  it.skipIf(examples.length === 0).each(examples)('example %s is valid once defaulted, and the hook accepts it', (_file, object) => {
    const { rw, problems } = prepareRisingWave(object);
    expect(problems).toEqual([]);
    expect(Value.Errors(RisingWaveSchema, rw).First()).toBeUndefined();
    expect(checkTypeBox(rw), JSON.stringify(checkTypeBox.errors)).toBe(true);
    expect(checkCrd(rw), JSON.stringify(checkCrd.errors)).toBe(true);
  });

  // Inputs may omit required-but-defaulted fields (mysql.port, s3.region, standalone.replicas): the API server
  // defaults before it validates, so the defaulted form is the one every schema must accept.
  it.each(Object.entries(serverDefaults))('API-server-accepted case %s is valid once defaulted', (_name, { input, server }) => {
    for (const spec of [server, prepareRisingWave(asParent(input)).rw.spec]) {
      expect(Value.Check(RisingWaveSchema, asParent(spec))).toBe(true);
      expect(checkTypeBox(asParent(spec)), JSON.stringify(checkTypeBox.errors)).toBe(true);
      expect(checkCrd(asParent(spec)), JSON.stringify(checkCrd.errors)).toBe(true);
    }
  });

  it.each([
    ['a bad enum', { image: 'x', frontendServiceType: 'Ingress' }],
    ['a negative replica count', { image: 'x', components: { compute: { nodeGroups: [{ replicas: -1 }] } } }],
    ['a boolean int-or-string', { image: 'x', components: { compute: { nodeGroups: [{ upgradeStrategy: { rollingUpdate: { partition: true } } }] } } }],
    ['a missing image', {}],
    ['a bad restartAt', { image: 'x', components: { compute: { nodeGroups: [{ restartAt: 'yesterday' }] } } }],
    ['a non-string label', { image: 'x', additionalMetaServiceMetadata: { labels: { a: 1 } } }],
    ['a standalone replica count of 2', { image: 'x', components: { standalone: { replicas: 2 } } }],
  ])('all three reject %s', (_what, spec) => {
    expect(Value.Check(RisingWaveSchema, asParent(spec))).toBe(false);
    expect(checkTypeBox(asParent(spec))).toBe(false);
    expect(checkCrd(asParent(spec))).toBe(false);
  });
});
