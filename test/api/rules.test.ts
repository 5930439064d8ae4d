/**
 * The rule table (src/api/risingwave/rules.ts) against both of its users: every row is in the generated CRD
 * on the node it is about, the CRD has no CEL rule that is not a row, and the hook refuses an example of
 * every row with the row's own message (and accepts the same spec without the violation).
 */
import { describe, expect, it } from 'vitest';
import { prepareRisingWave } from '../../src/api/prepare.js';
import { validateTransition } from '../../src/api/validation.js';
import { META_STORE_BACKENDS, STATE_STORE_BACKENDS, VALIDATIONS, type CelRule, type RisingWaveSpec } from '../../src/api/risingwave.js';
import { RULES, TRANSITION_RULES, type RuleName } from '../../src/api/risingwave/rules.js';
import { buildCrd } from '../../src/crd/generate.js';

type Schema = Record<string, unknown>;

/** Every CEL rule of the CRD's schema, by node path (`spec.components.meta.nodeGroups[].autoscaling`). */
function celByNode(): Map<string, CelRule[]> {
  const crd = buildCrd() as { spec: { versions: { schema: { openAPIV3Schema: Schema } }[] } };
  const out = new Map<string, CelRule[]>();
  const walk = (node: Schema | undefined, path: string): void => {
    if (node === undefined) return;
    const rules = node[VALIDATIONS] as CelRule[] | undefined;
    if (rules) out.set(path, rules);
    for (const [k, child] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) walk(child, path === '' ? k : `${path}.${k}`);
    walk(node.items as Schema | undefined, `${path}[]`);
  };
  for (const version of crd.spec.versions) walk(version.schema.openAPIV3Schema, '');
  return out;
}

/** Where each row must sit, with the row's parameters there (one node per place it is used is enough). */
const PLACES: { [N in RuleName]: [node: string, params: Parameters<(typeof RULES)[N]['cel']>][] } = {
  reservedLabelPrefix: [
    ['spec.additionalFrontendServiceMetadata.labels', []],
    ['spec.additionalMetaServiceMetadata.labels', []],
    ['spec.components.compute.nodeGroups[].template.metadata.labels', []],
    ['spec.components.standalone.template.metadata.labels', []],
  ],
  exactlyOneBackend: [
    ['spec.metaStore', ['meta store', META_STORE_BACKENDS]],
    ['spec.stateStore', ['state store', STATE_STORE_BACKENDS]],
  ],
  s3CompatibleNeedsSecret: [['spec.stateStore.s3', []]],
  awsS3NeedsCredentials: [['spec.stateStore.s3', []]],
  gcsNeedsCredentials: [['spec.stateStore.gcs', []]],
  azureBlobNeedsCredentials: [['spec.stateStore.azureBlob', []]],
  dataDirectoryShape: [['spec.stateStore.dataDirectory', []]],
  privateKeyOneSource: [['spec.secretStore.privateKey', []]],
  recreateWithoutRollingUpdate: [
    ['spec.components.meta.nodeGroups[].upgradeStrategy', []],
    ['spec.components.standalone.upgradeStrategy', []],
  ],
  autoscalingBounds: [['spec.components.compactor.nodeGroups[].autoscaling', []]],
  autoscalingHasMetric: [['spec.components.compactor.nodeGroups[].autoscaling', []]],
  memoryMetaStoreSingleMeta: [['spec', []]],
};

/** The transition rows' CEL rules, where each must sit. */
const TRANSITION_PLACES: [node: string, rule: CelRule][] = [
  ['spec.metaStore', TRANSITION_RULES.storeImmutable.celOnStore('metaStore')],
  ['spec', TRANSITION_RULES.storeImmutable.celOnSpec('metaStore')],
  ['spec.stateStore', TRANSITION_RULES.storeImmutable.celOnStore('stateStore')],
  ['spec', TRANSITION_RULES.storeImmutable.celOnSpec('stateStore')],
  ['spec', TRANSITION_RULES.privateKeySetOnce.cel()],
];

const group = (g: Record<string, unknown>) => ({ components: { compute: { nodeGroups: [{ name: 'g', replicas: 1, ...g }] } } });
const autoscaled = (a: Record<string, unknown>) => group({ autoscaling: { maxReplicas: 3, targetCPUUtilizationPercentage: 50, ...a } });
const secret = { secretName: 's' };

/** Per row: a spec the hook must refuse with the row's message at `path`, and the same spec made right. */
const EXAMPLES: { [N in RuleName]: { bad: Record<string, unknown>; good: Record<string, unknown>; message: string } } = {
  reservedLabelPrefix: {
    bad: { additionalMetaServiceMetadata: { labels: { 'risingwave/x': 'y' } } },
    good: { additionalMetaServiceMetadata: { labels: { x: 'y' } } },
    message: 'spec.additionalMetaServiceMetadata.labels: label "risingwave/x" uses the reserved prefix "risingwave/"',
  },
  exactlyOneBackend: {
    bad: { metaStore: { memory: true, etcd: { endpoint: 'e' } } },
    good: { metaStore: { etcd: { endpoint: 'e' } } },
    message: 'spec.metaStore: exactly one backend must be set, found memory and etcd',
  },
  s3CompatibleNeedsSecret: {
    bad: { stateStore: { s3: { bucket: 'b', endpoint: 'minio.local', credentials: { useServiceAccount: true } } } },
    good: { stateStore: { s3: { bucket: 'b', endpoint: 'minio.local', credentials: secret } } },
    message: 'spec.stateStore.s3.credentials.secretName: required when spec.stateStore.s3.endpoint is set',
  },
  awsS3NeedsCredentials: {
    bad: { stateStore: { s3: { bucket: 'b', credentials: {} } } },
    good: { stateStore: { s3: { bucket: 'b', credentials: { useServiceAccount: true } } } },
    message: 'spec.stateStore.s3.credentials: AWS S3 needs secretName or useServiceAccount: true',
  },
  gcsNeedsCredentials: {
    bad: { stateStore: { gcs: { bucket: 'b' } } },
    good: { stateStore: { gcs: { bucket: 'b', credentials: { useWorkloadIdentity: true } } } },
    message: 'spec.stateStore.gcs.credentials: GCS needs secretName or useWorkloadIdentity: true',
  },
  azureBlobNeedsCredentials: {
    bad: { stateStore: { azureBlob: { container: 'c', endpoint: 'e', credentials: {} } } },
    good: { stateStore: { azureBlob: { container: 'c', endpoint: 'e', credentials: secret } } },
    message: 'spec.stateStore.azureBlob.credentials: Azure Blob needs secretName or useServiceAccount: true',
  },
  dataDirectoryShape: {
    bad: { stateStore: { memory: true, dataDirectory: 'a//b' } },
    good: { stateStore: { memory: true, dataDirectory: 'a/b' } },
    message: "spec.stateStore.dataDirectory: must not contain '//'",
  },
  privateKeyOneSource: {
    bad: { secretStore: { privateKey: { value: '0'.repeat(32), secretRef: { name: 'n', key: 'k' } } } },
    good: { secretStore: { privateKey: { value: '0'.repeat(32) } } },
    message: 'spec.secretStore.privateKey: value and secretRef cannot both be set',
  },
  recreateWithoutRollingUpdate: {
    bad: group({ upgradeStrategy: { type: 'Recreate', rollingUpdate: {} } }),
    good: group({ upgradeStrategy: { type: 'Recreate' } }),
    message: 'spec.components.compute.nodeGroups[0].upgradeStrategy.rollingUpdate: must not be set when type is Recreate',
  },
  autoscalingBounds: {
    bad: autoscaled({ minReplicas: 4 }),
    good: autoscaled({ minReplicas: 3 }),
    message: 'spec.components.compute.nodeGroups[0].autoscaling.minReplicas: 4 is greater than maxReplicas 3',
  },
  autoscalingHasMetric: {
    bad: autoscaled({ targetCPUUtilizationPercentage: undefined }),
    good: autoscaled({}),
    message: 'spec.components.compute.nodeGroups[0].autoscaling: needs targetCPUUtilizationPercentage or at least one entry in metrics',
  },
  memoryMetaStoreSingleMeta: {
    bad: { components: { meta: { nodeGroups: [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 1 }] } } },
    good: { components: { meta: { nodeGroups: [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 0 }] } } },
    message: 'spec.components.meta.nodeGroups: the memory meta store allows at most 1 meta replica in total, found 2',
  },
};

function problemsOf(spec: Record<string, unknown>): string[] {
  return prepareRisingWave({
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name: 'rw', namespace: 'ns' },
    spec: { image: 'risingwavelabs/risingwave:v2.1.0', ...JSON.parse(JSON.stringify(spec)) },
  }).problems;
}

const names = Object.keys(RULES) as RuleName[];

describe('the rule table', () => {
  const crd = celByNode();

  it.each(names)('%s is in the generated CRD on its node', (name) => {
    for (const [node, params] of PLACES[name]) {
      const cel = (RULES[name].cel as (...p: unknown[]) => CelRule)(...params);
      expect(crd.get(node), node).toContainEqual(cel);
    }
  });

  it('places the transition rows on their nodes', () => {
    for (const [node, rule] of TRANSITION_PLACES) expect(crd.get(node), node).toContainEqual(rule);
  });

  it('is every CEL rule of the CRD', () => {
    // Where each row sits is checked above; a rule used on many nodes (label maps, upgrade strategies)
    // is one row, so here only the rules themselves are compared.
    const rows = new Set([
      ...names.flatMap((name) => PLACES[name].map(([, params]) => JSON.stringify((RULES[name].cel as (...p: unknown[]) => CelRule)(...params)))),
      ...TRANSITION_PLACES.map(([, rule]) => JSON.stringify(rule)),
    ]);
    const outside = [...crd].flatMap(([node, rules]) => rules.filter((rule) => !rows.has(JSON.stringify(rule))).map((rule) => `${node}: ${rule.message}`));
    expect(outside).toEqual([]);
  });

  it.each(names)('%s is enforced by the hook with the row\'s message', (name) => {
    const { bad, good, message } = EXAMPLES[name];
    expect(problemsOf(good)).toEqual([]);
    expect(problemsOf(bad)).toEqual([message]);
  });

  it('transition rows are enforced by validateTransition', () => {
    const spec = (s: Record<string, unknown>) => ({ image: 'i', ...s }) as unknown as RisingWaveSpec;
    const key = { privateKey: { value: '0'.repeat(32) } };
    expect(validateTransition(spec({ metaStore: { memory: true } }), spec({}))).toEqual(['spec.metaStore: field is immutable']);
    expect(validateTransition(spec({ stateStore: { memory: true } }), spec({ stateStore: { memory: true } }))).toEqual([]);
    expect(validateTransition(spec({ stateStore: { memory: true } }), spec({ stateStore: { hdfs: { nameNode: 'n' } } }))).toEqual([
      'spec.stateStore: field is immutable',
    ]);
    expect(validateTransition(spec({}), spec({ secretStore: key }))).toEqual([]);
    expect(validateTransition(spec({ secretStore: key }), spec({}))).toEqual(['spec.secretStore.privateKey: cannot be changed or removed once set']);
  });
});
