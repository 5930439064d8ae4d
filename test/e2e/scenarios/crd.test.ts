// The RisingWave CRD as the API server stores and enforces it: Established with the names, short name,
// categories and printer columns of crds/, and every CEL/schema rule rejecting its bad object through
// `kubectl apply` with the expected message (nothing stored), including the immutability of the stores on
// update.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, useCluster } from '../support.js';
import { CRD_FILE, deleteNamespace, getRw, rwRef, smallRisingWave, type Obj } from './harness.js';

const cluster = useCluster();
let ns = '';

beforeAll(async () => {
  ns = await createNamespace(cluster(), 'crd');
});

afterAll(async () => {
  await deleteNamespace(cluster(), ns);
});

const CRD_NAME = 'risingwaves.risingwave.risingwavelabs.com';

describe('the RisingWave CRD as stored', () => {
  it('is Established with the names, short name and categories of crds/', async () => {
    const file = parseYaml(readFileSync(CRD_FILE, 'utf8')) as Obj;
    const stored = await cluster().kube.get<Obj>({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions', name: CRD_NAME });
    const cond = (t: string) => (stored.status.conditions as Obj[]).find((c) => c.type === t);
    expect(cond('Established')).toMatchObject({ status: 'True' });
    expect(cond('NamesAccepted')).toMatchObject({ status: 'True' });
    expect(stored.spec.names).toEqual(file.spec.names);
    expect(stored.status.acceptedNames).toEqual({
      kind: 'RisingWave',
      listKind: 'RisingWaveList',
      plural: 'risingwaves',
      singular: 'risingwave',
      shortNames: ['rw'],
      categories: ['all', 'streaming'],
    });
    expect(stored.spec.versions.map((v: Obj) => [v.name, v.served, v.storage, v.subresources])).toEqual([['v1alpha1', true, true, { status: {} }]]);
    // The whole stored schema is the file's: nothing the server refused or rewrote.
    expect(stored.spec.versions[0].schema).toEqual(file.spec.versions[0].schema);
  });

  it('stores the printer columns META STORE, STATE STORE, VERSION, RUNNING, AGE', async () => {
    const stored = await cluster().kube.get<Obj>({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions', name: CRD_NAME });
    expect(stored.spec.versions[0].additionalPrinterColumns).toEqual([
      { name: 'META STORE', type: 'string', jsonPath: '.status.metaStore.backend' },
      { name: 'STATE STORE', type: 'string', jsonPath: '.status.stateStore.backend' },
      { name: 'VERSION', type: 'string', jsonPath: '.status.version' },
      { name: 'RUNNING', type: 'string', jsonPath: '.status.conditions[?(@.type=="Running")].status' },
      { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
  });

  it('is served under the short name and categories', async () => {
    const c = cluster();
    const resources = await c.kubectl(['api-resources', '--api-group=risingwave.risingwavelabs.com', '--no-headers']);
    expect(resources.trim().split(/\s+/)).toEqual(['risingwaves', 'rw', 'risingwave.risingwavelabs.com/v1alpha1', 'true', 'RisingWave']);
    await c.kubectl(['apply', '-f', '-'], JSON.stringify(smallRisingWave('served', ns)));
    for (const what of ['rw', 'streaming', 'risingwaves.risingwave.risingwavelabs.com']) {
      expect(await c.kubectl(['get', what, '-n', ns, '-o', 'name']), what).toBe('risingwave.risingwave.risingwavelabs.com/served\n');
    }
    await c.kubectl(['delete', 'rw', 'served', '-n', ns]);
  });
});

type Mutation = (spec: Obj) => void;
const minio = { endpoint: 'minio:9000', bucket: 'b', credentials: { secretName: 'minio-credentials' } };
const group = (name: string, extra: Obj = {}) => ({ name, replicas: 1, ...extra });

/** [case, mutation of a valid spec, field path, message] */
const BAD: Array<[string, Mutation, string, string]> = [
  [
    'two state stores',
    (s) => (s.stateStore = { memory: true, minio }),
    'spec.stateStore',
    'exactly one state store backend must be set (memory, localDisk, minio, s3, gcs, aliyunOSS, azureBlob, hdfs, webhdfs, huaweiCloudOBS)',
  ],
  [
    'two meta stores',
    (s) => (s.metaStore = { memory: true, etcd: { endpoint: 'etcd:2379' } }),
    'spec.metaStore',
    'exactly one meta store backend must be set (memory, etcd, sqlite, mysql, postgresql)',
  ],
  [
    '`risingwave/` label prefix on a pod template',
    (s) => (s.components.compute.nodeGroups[0].template.metadata = { labels: { 'risingwave/component': 'x' } }),
    'spec.components.compute.nodeGroups[0].template.metadata.labels',
    'labels must not use the reserved prefix "risingwave/"',
  ],
  [
    '`risingwave/` label prefix on the frontend Service metadata',
    (s) => (s.additionalFrontendServiceMetadata = { labels: { 'risingwave/name': 'x' } }),
    'spec.additionalFrontendServiceMetadata.labels',
    'labels must not use the reserved prefix "risingwave/"',
  ],
  [
    'bad group name',
    (s) => s.components.compute.nodeGroups.push(group('Bad_Name')),
    'spec.components.compute.nodeGroups[1].name',
    `in body should match '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
  ],
  [
    'duplicate group names',
    (s) => s.components.compute.nodeGroups.push(group('a'), group('a')),
    'spec.components.compute.nodeGroups[2]',
    'Duplicate value: {"name":"a"}',
  ],
  [
    'Recreate with rollingUpdate',
    (s) => (s.components.compute.nodeGroups[0].upgradeStrategy = { type: 'Recreate', rollingUpdate: { maxUnavailable: 1 } }),
    'spec.components.compute.nodeGroups[0].upgradeStrategy.rollingUpdate',
    'rollingUpdate must not be set when type is Recreate',
  ],
  [
    'memory meta store with 2 meta replicas',
    (s) => (s.components.meta.nodeGroups[0].replicas = 2),
    'spec.components.meta.nodeGroups',
    'the memory meta store allows at most 1 meta replica in total',
  ],
  [
    'memory meta store with 2 meta groups of 1',
    (s) => s.components.meta.nodeGroups.push(group('second')),
    'spec.components.meta.nodeGroups',
    'the memory meta store allows at most 1 meta replica in total',
  ],
  [
    'secret store value and secretRef both',
    (s) => (s.secretStore = { privateKey: { value: '0123456789abcdef0123456789abcdef', secretRef: { name: 'k', key: 'k' } } }),
    'spec.secretStore.privateKey',
    'exactly one of value and secretRef must be set',
  ],
  [
    'S3 endpoint without secretName',
    (s) => (s.stateStore = { s3: { bucket: 'b', region: 'auto', endpoint: 'https://s3.example.com', credentials: { useServiceAccount: true } } }),
    'spec.stateStore.s3.credentials.secretName',
    'credentials.secretName is required when an S3-compatible endpoint is set',
  ],
  [
    'dataDirectory with //',
    (s) => (s.stateStore = { dataDirectory: 'a//b', minio }),
    'spec.stateStore.dataDirectory',
    "dataDirectory must not start with '/' nor contain '//' (trailing '/' and white space are trimmed)",
  ],
];

/** `kubectl apply` that must fail; returns kubectl's error text. */
async function applyRejected(obj: Obj): Promise<string> {
  try {
    await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(obj));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`kubectl apply accepted ${obj.metadata.name}`);
}

describe('CEL and schema rules reject their bad object', () => {
  it('the valid base object and each valid variant are accepted (server-side dry run)', async () => {
    // Proves the rejections below are caused by the mutation alone.
    await cluster().kubectl(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(smallRisingWave('base', ns)));
    const okVariants: Mutation[] = [
      (s) => (s.stateStore = { minio }),
      (s) => s.components.compute.nodeGroups.push(group('a'), group('b.c-d')),
      (s) => (s.components.compute.nodeGroups[0].upgradeStrategy = { type: 'Recreate' }),
      (s) => (s.secretStore = { privateKey: { value: '0123456789abcdef0123456789abcdef' } }),
      (s) => (s.stateStore = { s3: { bucket: 'b', region: 'auto', endpoint: 'https://s3.example.com', credentials: { secretName: 's3' } } }),
      (s) => (s.stateStore = { dataDirectory: 'a/b', minio }),
    ];
    for (const m of okVariants) {
      const rw = smallRisingWave('variant', ns);
      m(rw.spec);
      await cluster().kubectl(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(rw));
    }
  });

  it.each(BAD)('%s', async (_case, mutate, field, message) => {
    const name = `bad-${BAD.findIndex((b) => b[0] === _case)}`;
    const rw = smallRisingWave(name, ns);
    mutate(rw.spec);
    const err = await applyRejected(rw);
    expect(err).toContain(`The RisingWave "${name}" is invalid`);
    const line = err.split('\n').find((l) => l.includes(message));
    expect(line, `error names "${message}":\n${err}`).toBeDefined();
    expect(line).toContain(`is invalid: ${field}: `);
    // One error only: the mutation broke exactly this rule (kubectl lists several as "* ..." lines).
    expect(err).not.toMatch(/^\* /m);
    expect(await cluster().kube.getOrUndefined(rwRef(ns, name))).toBeUndefined();
  });
});

describe('immutable fields on update', () => {
  const NAME = 'immutable';
  beforeAll(async () => {
    const rw = smallRisingWave(NAME, ns);
    rw.spec.secretStore = { privateKey: { value: '0123456789abcdef0123456789abcdef' } };
    await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(rw));
  });

  const updates: Array<[string, Mutation, string]> = [
    ['changing the state store', (s) => (s.stateStore = { minio }), 'stateStore is immutable'],
    ['changing the state store data directory', (s) => (s.stateStore = { memory: true, dataDirectory: 'elsewhere' }), 'stateStore is immutable'],
    ['changing the meta store', (s) => (s.metaStore = { etcd: { endpoint: 'etcd:2379' } }), 'metaStore is immutable'],
    ['changing the secret store private key', (s) => (s.secretStore = { privateKey: { value: 'ffffffffffffffffffffffffffffffff' } }), 'secretStore.privateKey cannot be changed or removed once set'],
    ['removing the secret store private key', (s) => delete s.secretStore, 'secretStore.privateKey cannot be changed or removed once set'],
  ];

  it.each(updates)('refuses %s (kubectl apply), and stores nothing', async (_case, mutate, message) => {
    const before = await getRw(cluster().kube, ns, NAME);
    const rw = smallRisingWave(NAME, ns);
    rw.spec.secretStore = { privateKey: { value: '0123456789abcdef0123456789abcdef' } };
    mutate(rw.spec);
    const err = await applyRejected(rw);
    expect(err).toContain(message);
    const after = await getRw(cluster().kube, ns, NAME);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec).toEqual(before.spec);
  });

  it('accepts an update that keeps the stores (the rules are not blanket refusals)', async () => {
    const rw = smallRisingWave(NAME, ns);
    rw.spec.secretStore = { privateKey: { value: '0123456789abcdef0123456789abcdef' } };
    rw.spec.image = 'risingwavelabs/risingwave:v2.5.0';
    await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(rw));
    const after = await getRw(cluster().kube, ns, NAME);
    expect(after.metadata.generation).toBe(2);
    expect(after.spec.image).toBe('risingwavelabs/risingwave:v2.5.0');
    expect(after.spec.stateStore).toEqual({ memory: true, dataDirectory: 'hummock' });
  });
});
