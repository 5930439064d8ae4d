import fc from 'fast-check';

/**
 * Random RisingWave specs, valid and near-valid, over every store, component, node-group field,
 * upgrade strategy and image-tag form. "Near-valid" cases (two stores, a bad group name, a reserved
 * env var, a path the webhook refuses, ...) check that both sides refuse the same inputs.
 */

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

const repository = fc.constantFrom('risingwavelabs/risingwave', 'ghcr.io/risingwavelabs/risingwave', 'localhost:5000/rw/risingwave', 'registry.example.com:443/risingwave');
const tag = fc.constantFrom('v2.1.0', 'v2.5.0', 'v1.7.0', 'v1.10.1', 'v2.0.3', 'nightly-20240801', 'latest', '');

export const image = fc.oneof(
  fc.tuple(repository, tag).map(([r, t]) => (t ? `${r}:${t}` : r)),
  fc.tuple(repository, tag, hex(64)).map(([r, t, d]) => `${r}${t ? `:${t}` : ''}@sha256:${d}`),
);

const secret = fc.constantFrom('creds', 'rw-secret');
const userPass = fc.record({ secretName: secret, usernameKeyRef: fc.constantFrom('user', 'username'), passwordKeyRef: fc.constantFrom('pass', 'password') }, { requiredKeys: ['secretName'] });
const options = fc.option(fc.dictionary(fc.constantFrom('sslmode', 'connect_timeout'), fc.constantFrom('disable', '10')), { nil: undefined });

const metaStores = {
  memory: fc.constant(true),
  etcd: fc.record({ endpoint: fc.constantFrom('etcd:2388', 'http://etcd:2379'), credentials: userPass }, { requiredKeys: ['endpoint'] }),
  sqlite: fc.record({ path: fc.constantFrom('/data/meta.db', '/risingwave/meta.db') }),
  mysql: fc.record({ host: fc.constant('mysql'), port: fc.constantFrom(3306, 3307), database: fc.constant('rw'), options, credentials: userPass }, { requiredKeys: ['host', 'database', 'credentials'] }),
  postgresql: fc.record({ host: fc.constant('pg'), port: fc.constantFrom(5432, 6543), database: fc.constant('rw'), options, credentials: userPass }, { requiredKeys: ['host', 'database', 'credentials'] }),
};

const s3Credentials = fc.oneof(fc.record({ secretName: secret, accessKeyRef: fc.constant('AK'), secretAccessKeyRef: fc.constant('SK') }, { requiredKeys: ['secretName'] }), fc.constant({ useServiceAccount: true }), fc.constant({}));
const stateStores = {
  memory: fc.constant(true),
  localDisk: fc.record({ root: fc.constantFrom('/data', '/mnt/rw') }),
  minio: fc.record({ endpoint: fc.constantFrom('minio:9000', 'http://minio:9000'), bucket: fc.constant('hummock'), credentials: userPass }),
  s3: fc.record(
    {
      bucket: fc.constant('bkt'),
      region: fc.constantFrom('us-east-1', 'eu-west-1'),
      endpoint: fc.constantFrom('s3.${REGION}.amazonaws.com', 'https://${BUCKET}.cos.example.com', 'http://minio:9000'),
      forcePathStyle: fc.boolean(),
      credentials: s3Credentials,
    },
    { requiredKeys: ['bucket', 'credentials'] },
  ),
  gcs: fc.record({ bucket: fc.constant('bkt'), root: fc.constant('legacy-root'), credentials: fc.oneof(fc.constant({ useWorkloadIdentity: true }), fc.record({ secretName: secret })) }, { requiredKeys: ['bucket'] }),
  aliyunOSS: fc.record({ bucket: fc.constant('bkt'), region: fc.constant('cn-hangzhou'), internalEndpoint: fc.boolean(), root: fc.constant('oss-root'), credentials: fc.record({ secretName: secret }) }, { requiredKeys: ['bucket', 'region', 'internalEndpoint', 'credentials'] }),
  azureBlob: fc.record({ container: fc.constant('c'), endpoint: fc.constantFrom('https://acct.blob.core.windows.net', 'acct.blob.core.windows.net'), root: fc.constant('az-root'), credentials: fc.oneof(fc.record({ secretName: secret }), fc.constant({ useServiceAccount: true })) }, { requiredKeys: ['container', 'endpoint', 'credentials'] }),
  hdfs: fc.record({ nameNode: fc.constant('hdfs://nn:9000'), root: fc.constant('hdfs-root') }, { requiredKeys: ['nameNode'] }),
  webhdfs: fc.record({ nameNode: fc.constant('nn:9870'), root: fc.constant('w-root') }, { requiredKeys: ['nameNode'] }),
  huaweiCloudOBS: fc.record({ bucket: fc.constant('bkt'), region: fc.constant('cn-north-4'), credentials: fc.record({ secretName: secret }) }),
};

/** One backend (mostly), none, or two (refused by the webhook). */
function store<T extends Record<string, fc.Arbitrary<unknown>>>(backends: T): fc.Arbitrary<Record<string, unknown> | undefined> {
  const names = Object.keys(backends);
  const one = fc.constantFrom(...names).chain((n) => backends[n]!.map((v) => ({ [n]: v })));
  return fc.oneof({ weight: 12, arbitrary: one }, { weight: 1, arbitrary: fc.constant(undefined) });
}

// Trailing '/' and surrounding spaces are valid: the operator's mutating webhook trims them.
const dataDirectory = fc.constantFrom(undefined, 'hummock', 'a/b_c-1', 'hummock/', ' trimmed/ ', ' spaced ');

const quantityCpu = fc.constantFrom('500m', '1', '2', '3500m');
const quantityMem = fc.constantFrom('512Mi', '1Gi', '4Gi', '1500M');
// Requests never above limits here; the breakers below try that.
const resources = fc.oneof(
  fc.record({ limits: fc.record({ cpu: quantityCpu, memory: quantityMem }, { requiredKeys: [] }) }),
  fc.record({ requests: fc.record({ cpu: quantityCpu, memory: quantityMem }, { requiredKeys: [] }) }),
  fc.constant({ limits: { cpu: '4', memory: '8Gi' }, requests: { cpu: '500m', memory: '1Gi' } }),
);
const envVar = fc.record({ name: fc.constantFrom('MY_VAR', 'RW_RESOURCE_GROUP', 'RUST_LOG', 'RW_CONFIG_PATH'), value: fc.constantFrom('x', '$(POD_IP):1') });
const podSpec = fc.record(
  {
    image,
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent'),
    env: fc.uniqueArray(envVar, { selector: (e) => e.name, maxLength: 3 }),
    resources,
    nodeSelector: fc.constant({ 'kubernetes.io/os': 'linux' }),
    tolerations: fc.constant([{ key: 'dedicated', operator: 'Equal', value: 'rw', effect: 'NoSchedule' }]),
    serviceAccountName: fc.constant('rw-sa'),
    terminationGracePeriodSeconds: fc.constantFrom(0, 30),
    // A mount needs its volume (the API server refuses the pod template otherwise); `volumes` alone is fine.
    extraVolume: fc.constantFrom('volume', 'volume and mount'),
    priorityClassName: fc.constant('high'),
  },
  { requiredKeys: [] },
).map(withExtraVolume);
function withExtraVolume(spec: Record<string, unknown>): Record<string, unknown> {
  const { extraVolume, ...rest } = spec;
  if (extraVolume === undefined) return rest;
  return {
    ...rest,
    volumes: [{ name: 'extra', emptyDir: {} }],
    ...(extraVolume === 'volume and mount' ? { volumeMounts: [{ name: 'extra', mountPath: '/extra' }] } : {}),
  };
}

const templateMetadata = fc.record(
  { labels: fc.constant({ team: 'data' }), annotations: fc.constant({ 'example.com/a': 'b' }) },
  { requiredKeys: [] },
);
const intOrString = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('25%', '50%', '1'));
const upgradeStrategy = fc.oneof(
  fc.record({ type: fc.constant('RollingUpdate'), rollingUpdate: fc.record({ maxUnavailable: intOrString, partition: intOrString, maxSurge: intOrString }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  fc.constant({ type: 'Recreate' }),
  fc.constant({}),
);
const claimTemplate = fc.record({
  metadata: fc.record({ name: fc.constantFrom('data', 'cache') }),
  spec: fc.constant({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } }),
});
const groupName = fc.constantFrom('', '', 'g1', 'spot', 'a.b');
const nodeGroup = (maxReplicas: number) => fc.record(
  {
    name: groupName,
    replicas: fc.integer({ min: 0, max: maxReplicas }),
    restartAt: fc.constantFrom('2026-01-02T03:04:05Z', '2026-01-02T03:04:05+02:00'),
    configuration: fc.constantFrom({ configMap: { name: 'group-cfg', key: 'rw.toml' } }, { secret: { name: 'group-secret' } }),
    upgradeStrategy,
    minReadySeconds: fc.integer({ min: 0, max: 30 }),
    progressDeadlineSeconds: fc.constantFrom(60, 600),
    volumeClaimTemplates: fc.array(claimTemplate, { minLength: 1, maxLength: 1 }),
    persistentVolumeClaimRetentionPolicy: fc.record({ whenDeleted: fc.constantFrom('Retain', 'Delete'), whenScaled: fc.constantFrom('Retain', 'Delete') }, { requiredKeys: [] }),
    template: fc.record({ metadata: templateMetadata, spec: podSpec }, { requiredKeys: [] }),
  },
  { requiredKeys: ['name'] },
);
const component = (maxGroups: number, maxReplicas: number) => fc.record(
  {
    logLevel: fc.constantFrom('INFO', 'DEBUG', 'warn'),
    disallowPrintStackTraces: fc.boolean(),
    nodeGroups: fc.uniqueArray(nodeGroup(maxReplicas), { selector: (g) => g.name, minLength: 1, maxLength: maxGroups }),
  },
  { requiredKeys: ['nodeGroups'] },
);
const standalone = fc.record(
  {
    logLevel: fc.constantFrom('INFO', 'DEBUG'),
    disallowPrintStackTraces: fc.boolean(),
    restartAt: fc.constant('2026-01-02T03:04:05Z'),
    replicas: fc.integer({ min: 0, max: 1 }),
    upgradeStrategy,
    minReadySeconds: fc.integer({ min: 0, max: 30 }),
    volumeClaimTemplates: fc.array(claimTemplate, { minLength: 1, maxLength: 1 }),
    template: fc.record({ metadata: templateMetadata, spec: podSpec }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const serviceMetadata = fc.record({ labels: fc.constant({ mesh: 'on' }), annotations: fc.constant({ 'example.com/lb': 'internal' }) }, { requiredKeys: [] });

const spec = fc.record(
  {
    image,
    enableStandaloneMode: fc.boolean(),
    enableEmbeddedServingMode: fc.boolean(),
    enableFrontendStatefulSet: fc.boolean(),
    enableFullKubernetesAddr: fc.boolean(),
    enableAdvertisingWithIP: fc.boolean(),
    enableWebhookListener: fc.boolean(),
    enableDefaultServiceMonitor: fc.boolean(),
    enableOpenKruise: fc.constant(false),
    frontendServiceType: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
    standaloneMode: fc.constantFrom(0, 1, 2),
    additionalFrontendServiceMetadata: serviceMetadata,
    additionalMetaServiceMetadata: serviceMetadata,
    metaStore: store(metaStores),
    stateStore: fc.tuple(store(stateStores), dataDirectory).map(([s, d]) => (d === undefined ? s : { ...(s ?? {}), dataDirectory: d })),
    configuration: fc.constantFrom({ configMap: { name: 'cfg', key: 'risingwave.toml' } }, { secret: { name: 'cfg-secret' } }),
    tls: fc.constant({ secretName: 'tls' }),
    licenseKey: fc.record({ secretName: fc.constant('license'), secretKey: fc.constant('key'), passAsFile: fc.boolean() }, { requiredKeys: ['secretName'] }),
    secretStore: fc.constantFrom({ privateKey: { value: '0123456789abcdef0123456789abcdef' } }, { privateKey: { secretRef: { name: 'pk', key: 'k' } } }),
    // One meta replica at most: a memory meta store allows no more (a breaker tries two).
    components: fc.record({ meta: component(1, 1), frontend: component(2, 3), compute: component(2, 3), compactor: component(2, 3), standalone }, { requiredKeys: [] }),
  },
  { requiredKeys: ['image'] },
);

// Breakers write deep into a generated spec; its shape is the generator's, so loose typing is honest here.
type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function firstGroup(s: Spec): Spec {
  s.components ??= {};
  s.components.compute ??= { nodeGroups: [{ name: '' }] };
  return s.components.compute.nodeGroups[0];
}

/** One way each to make a valid spec invalid, for the webhook's and the schema's checks. */
const BREAKERS: Array<(s: Spec) => void> = [
  (s) => (s.image = 'Not A Valid/Image'),
  (s) => (s.stateStore = { memory: true, localDisk: { root: '/data' } }),
  (s) => (s.metaStore = { memory: true, sqlite: { path: '/m.db' } }),
  (s) => (s.stateStore = { ...(s.stateStore ?? {}), dataDirectory: 'x//y' }),
  (s) => (s.stateStore = { ...(s.stateStore ?? {}), dataDirectory: '/abs' }),
  (s) => (s.stateStore = { ...(s.stateStore ?? {}), dataDirectory: 'bad dir' }),
  (s) => (s.stateStore = { dataDirectory: 'hummock' }),
  (s) => (firstGroup(s).name = 'Bad_Name'),
  (s) => (firstGroup(s).template = { spec: { env: [{ name: 'POD_IP', value: 'x' }] } }),
  (s) => (firstGroup(s).template = { spec: { env: [{ name: 'JAVA_OPTS', value: 'x' }] } }),
  (s) => (firstGroup(s).template = { metadata: { labels: { 'risingwave/x': 'y' } } }),
  (s) => (s.additionalFrontendServiceMetadata = { labels: { 'risingwave/name': 'x' } }),
  (s) => (firstGroup(s).upgradeStrategy = { type: 'InPlaceIfPossible' }),
  (s) => (firstGroup(s).upgradeStrategy = { type: 'Recreate', rollingUpdate: { maxUnavailable: 1 } }),
  (s) => (firstGroup(s).upgradeStrategy = { rollingUpdate: { partition: 'ab%' } }),
  (s) => (firstGroup(s).template = { spec: { resources: { limits: { cpu: '1' }, requests: { cpu: '2' } } } }),
  (s) => (s.enableOpenKruise = true),
  (s) => (s.configuration = { configMap: { name: '' } }),
  (s) => (s.secretStore = { privateKey: { value: '0123456789abcdef0123456789abcdef', secretRef: { name: 'pk', key: 'k' } } }),
  (s) => {
    s.metaStore = { memory: true };
    s.enableStandaloneMode = false;
    s.components = { ...(s.components ?? {}), meta: { nodeGroups: [{ name: '', replicas: 2 }] } };
  },
  (s) => (s.stateStore = { s3: { bucket: 'b', region: 'r', endpoint: 'http://x', credentials: { useServiceAccount: true } } }),
  (s) => (s.stateStore = { gcs: { bucket: 'b', credentials: {} } }),
  (s) => (s.frontendServiceType = 'ExternalName'),
  (s) => (firstGroup(s).replicas = -1),
];

export const risingWave = fc.record({
  spec,
  labels: fc.option(fc.constantFrom({ 'team.example.com/owner': 'a' }, { 'other.io/x': 'y' }), { nil: undefined }),
  inherit: fc.option(fc.constantFrom('team.example.com', 'team.example.com,other.io', 'risingwave'), { nil: undefined }),
  // About one case in five is near-valid: exactly one breaker applied to an otherwise valid spec.
  breaker: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(BREAKERS.length - 1) }),
});

/** `count` RisingWaves from `seed`, named rw-<i> so failures point at one. */
export function corpus(seed: number, count: number): Record<string, unknown>[] {
  return fc.sample(risingWave, { seed, numRuns: count }).map(({ spec, labels, inherit, breaker }, i) => ({
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: {
      name: `rw-${i}`,
      namespace: 'default',
      ...(labels ? { labels } : {}),
      ...(inherit ? { annotations: { 'risingwave.risingwavelabs.com/inherit-label-prefix': inherit } } : {}),
    },
    spec: broken(JSON.parse(JSON.stringify(spec)) as Spec, breaker),
  }));
}

function broken(s: Spec, breaker: number): Spec {
  if (breaker >= 0) BREAKERS[breaker]!(s);
  return s;
}
