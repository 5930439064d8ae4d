/**
 * State store ("hummock") env: the `RW_STATE_STORE` URL, `RW_DATA_DIRECTORY`, and each backend's
 * credential/endpoint variables, exactly as the risingwave-operator writes them (reference §3.4, §8).
 *
 * Backends are data: one entry per `spec.stateStore` key gives its status name, URL, env and deprecated
 * root, and the entries' order is the precedence, so a new backend is one entry (plus its schema in
 * the api, whose key list `STATE_STORE_BACKENDS` the table is checked against when this module loads).
 */
import { posix } from 'node:path';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import {
  STATE_STORE_BACKENDS,
  type RisingWave,
  type StateStore,
  type StateStoreBackendKey,
  type StateStoreBackendType,
  type StateStoreS3,
} from '../../api/risingwave.js';
import { secretEnv, valueEnv } from './refs.js';

/** Secret key that holds the region of an S3-compatible store whose `region` is empty. */
export const S3_REGION_SECRET_KEY = 'Region';
export const DEFAULT_DATA_DIRECTORY = 'hummock';

interface Backend<K extends StateStoreBackendKey> {
  readonly status: StateStoreBackendType;
  readonly url: (store: NonNullable<StateStore[K]>) => string;
  readonly env: (store: NonNullable<StateStore[K]>) => IEnvVar[];
  /** The deprecated per-backend `root`, which prefixes the data directory. */
  readonly root?: (store: NonNullable<StateStore[K]>) => string | undefined;
}

/** A backend with the `spec.stateStore` key it reads. */
type Entry = { [K in StateStoreBackendKey]: Backend<K> & { readonly key: K } }[StateStoreBackendKey];

function backend<K extends StateStoreBackendKey>(key: K, b: Backend<K>): Entry {
  return { key, ...b } as Entry;
}

/** The table itself, or a throw at load when it misses a key of the schema or names one twice. */
function everyKeyOnce(entries: readonly Entry[]): readonly Entry[] {
  const keys = entries.map((e) => e.key);
  const missing = STATE_STORE_BACKENDS.filter((k) => !keys.includes(k));
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (missing.length > 0 || repeated.length > 0) {
    throw new Error(`state-store backend table: missing ${missing.join(', ') || 'none'}, repeated ${repeated.join(', ') || 'none'}`);
  }
  return entries;
}

/** `RW_S3_ENDPOINT`: placeholders become env references, and https:// is assumed when no scheme is given. */
export function s3CompatibleEndpoint(endpoint: string): string {
  const interpreted = endpoint
    .trim()
    .replaceAll('${REGION}', '$(AWS_REGION)')
    .replaceAll('${BUCKET}', '$(AWS_S3_BUCKET)');
  return /^https?:\/\//.test(interpreted) ? interpreted : `https://${interpreted}`;
}

function forcePathStyleEnv(s3: StateStoreS3): IEnvVar[] {
  return s3.forcePathStyle === true ? [valueEnv('RW_IS_FORCE_PATH_STYLE', 'true')] : [];
}

function s3Env(s3: StateStoreS3): IEnvVar[] {
  const creds = s3.credentials;
  const accessKey = creds.accessKeyRef ?? 'AccessKeyID';
  const secretKey = creds.secretAccessKeyRef ?? 'SecretAccessKey';
  const keyPair = [
    secretEnv('AWS_ACCESS_KEY_ID', creds.secretName, accessKey),
    secretEnv('AWS_SECRET_ACCESS_KEY', creds.secretName, secretKey),
  ];
  if (!s3.endpoint) {
    return [
      valueEnv('AWS_REGION', s3.region),
      valueEnv('AWS_S3_BUCKET', s3.bucket),
      ...(creds.useServiceAccount === true ? [] : keyPair),
      ...forcePathStyleEnv(s3),
    ];
  }
  // S3-compatible stores always authenticate with the key pair, and must not fall back to the EC2
  // metadata service for the region.
  return [
    valueEnv('AWS_EC2_METADATA_DISABLED', 'true'),
    valueEnv('AWS_S3_BUCKET', s3.bucket),
    s3.region
      ? valueEnv('AWS_REGION', s3.region)
      : secretEnv('AWS_REGION', creds.secretName, S3_REGION_SECRET_KEY),
    ...keyPair,
    valueEnv('RW_S3_ENDPOINT', s3CompatibleEndpoint(s3.endpoint)),
    ...forcePathStyleEnv(s3),
  ];
}

/**
 * Every backend, in the operator's `hummockConnectionStr` order: the precedence when (invalidly) several are
 * set — validation refuses such a spec, but the status and env of a spec stored without the hook's
 * validation must still pick the operator's one.
 */
const BACKENDS: readonly Entry[] = everyKeyOnce([
  backend('memory', {
    status: 'Memory',
    url: () => 'hummock+memory',
    env: () => [],
  }),
  backend('s3', {
    status: 'S3',
    url: (s3) => `hummock+s3://${s3.bucket}`,
    env: s3Env,
  }),
  backend('minio', {
    status: 'MinIO',
    // The endpoint goes into the URL verbatim; credentials come from the env defined beside it.
    url: (m) => `hummock+minio://$(MINIO_USERNAME):$(MINIO_PASSWORD)@${m.endpoint}/${m.bucket}`,
    env: (m) => [
      valueEnv('MINIO_ENDPOINT', m.endpoint),
      valueEnv('MINIO_BUCKET', m.bucket),
      secretEnv('MINIO_USERNAME', m.credentials.secretName, m.credentials.usernameKeyRef ?? 'username'),
      secretEnv('MINIO_PASSWORD', m.credentials.secretName, m.credentials.passwordKeyRef ?? 'password'),
    ],
  }),
  backend('gcs', {
    status: 'GCS',
    url: (g) => `hummock+gcs://${g.bucket}`,
    env: (g) =>
      g.credentials?.useWorkloadIdentity === true
        ? []
        : [
            secretEnv(
              'GOOGLE_APPLICATION_CREDENTIALS',
              g.credentials?.secretName,
              g.credentials?.serviceAccountCredentialsKeyRef ?? 'ServiceAccountCredentials',
            ),
          ],
    root: (g) => g.root,
  }),
  backend('aliyunOSS', {
    status: 'AliyunOSS',
    url: (o) => `hummock+oss://${o.bucket}`,
    env: (o) => [
      valueEnv('OSS_REGION', o.region),
      secretEnv('OSS_ACCESS_KEY_ID', o.credentials.secretName, o.credentials.accessKeyIDRef ?? 'AccessKeyIDRef'),
      secretEnv(
        'OSS_ACCESS_KEY_SECRET',
        o.credentials.secretName,
        o.credentials.accessKeySecretRef ?? 'AccessKeySecretRef',
      ),
      valueEnv(
        'OSS_ENDPOINT',
        o.internalEndpoint
          ? 'https://oss-$(OSS_REGION)-internal.aliyuncs.com'
          : 'https://oss-$(OSS_REGION).aliyuncs.com',
      ),
    ],
    root: (o) => o.root,
  }),
  backend('azureBlob', {
    status: 'AzureBlob',
    url: (a) => `hummock+azblob://${a.container}`,
    env: (a) => [
      valueEnv('AZBLOB_ENDPOINT', a.endpoint),
      ...(a.credentials.useServiceAccount === true
        ? []
        : [
            secretEnv('AZBLOB_ACCOUNT_NAME', a.credentials.secretName, a.credentials.accountNameRef ?? 'AccountName'),
            secretEnv('AZBLOB_ACCOUNT_KEY', a.credentials.secretName, a.credentials.accountKeyRef ?? 'AccountKey'),
          ]),
    ],
    root: (a) => a.root,
  }),
  backend('hdfs', {
    status: 'HDFS',
    url: (h) => `hummock+hdfs://${h.nameNode}`,
    env: () => [],
    root: (h) => h.root,
  }),
  backend('webhdfs', {
    status: 'WebHDFS',
    url: (h) => `hummock+webhdfs://${h.nameNode}`,
    env: () => [],
    root: (h) => h.root,
  }),
  backend('localDisk', {
    status: 'LocalDisk',
    url: (l) => `hummock+fs://${l.root}`,
    env: () => [],
  }),
  backend('huaweiCloudOBS', {
    status: 'HuaweiCloudOBS',
    url: (o) => `hummock+obs://${o.bucket}`,
    env: (o) => [
      valueEnv('OBS_REGION', o.region),
      valueEnv('OBS_ENDPOINT', 'https://obs.$(OBS_REGION).myhuaweicloud.com'),
      secretEnv('OBS_ACCESS_KEY_ID', o.credentials.secretName, o.credentials.accessKeyIDRef ?? 'AccessKeyIDRef'),
      secretEnv(
        'OBS_SECRET_ACCESS_KEY',
        o.credentials.secretName,
        o.credentials.accessKeySecretRef ?? 'AccessKeySecretRef',
      ),
    ],
  }),
]);

/** The configured backend and its spec, or undefined when none is set. */
type Selected = {
  [K in StateStoreBackendKey]: { key: K; backend: Backend<K>; store: NonNullable<StateStore[K]> };
}[StateStoreBackendKey];

function selectBackend(stateStore: StateStore | undefined): Selected | undefined {
  if (!stateStore) return undefined;
  for (const backend of BACKENDS) {
    const store = stateStore[backend.key];
    // `memory: false` means "not memory", as `ptr.Deref(memory, false)` does in the operator.
    if (store === undefined || store === false) continue;
    return { key: backend.key, backend, store } as Selected;
  }
  return undefined;
}

function selectOrThrow(rw: RisingWave): Selected {
  const selected = selectBackend(rw.spec.stateStore);
  if (!selected) throw new Error('spec.stateStore: no state store backend is configured');
  return selected;
}

/** `status.stateStore.backend`: which backend the spec configures (S3-compatible stores report S3). */
export function stateStoreBackendName(rw: RisingWave): StateStoreBackendType {
  return selectBackend(rw.spec.stateStore)?.backend.status ?? 'Unknown';
}

/** `RW_STATE_STORE`. Throws when no backend is configured (validation refuses such a spec first). */
export function stateStoreUrl(rw: RisingWave): string {
  const { backend, store } = selectOrThrow(rw);
  return (backend.url as (s: unknown) => string)(store);
}

/** Go's `path.Join`: empty elements are skipped, the result is cleaned, all-empty gives "". */
export function goPathJoin(...elements: string[]): string {
  const parts = elements.filter((e) => e !== '');
  if (parts.length === 0) return '';
  const normalized = posix.normalize(parts.join('/'));
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** The deprecated `root` of the configured backend (azure/oss/gcs/hdfs/webhdfs only), or "". */
export function deprecatedStateStoreRoot(rw: RisingWave): string {
  const selected = selectBackend(rw.spec.stateStore);
  const root = selected?.backend.root as ((s: unknown) => string | undefined) | undefined;
  return (root && root(selected!.store)) ?? '';
}

/**
 * `RW_DATA_DIRECTORY`: the root recorded in `status.internal.stateStoreRootPath` (set once, so a later
 * spec edit cannot move the data), else the deprecated `root`, joined with `dataDirectory`.
 */
export function dataDirectory(rw: RisingWave): string {
  const root = rw.status?.internal?.stateStoreRootPath || deprecatedStateStoreRoot(rw);
  return goPathJoin(root, rw.spec.stateStore?.dataDirectory ?? DEFAULT_DATA_DIRECTORY);
}

/**
 * The state-store env of a RisingWave container. Every component that touches the object store gets the
 * backend's credential/endpoint variables; `includeStoreUrl` adds `RW_STATE_STORE` and
 * `RW_DATA_DIRECTORY`, which only meta and standalone take. Order is not meaningful (see `sortEnv`).
 */
export function stateStoreEnv(rw: RisingWave, opts: { includeStoreUrl: boolean }): IEnvVar[] {
  const { backend, store } = selectOrThrow(rw);
  const env = (backend.env as (s: unknown) => IEnvVar[])(store);
  if (!opts.includeStoreUrl) return env;
  return [valueEnv('RW_STATE_STORE', stateStoreUrl(rw)), valueEnv('RW_DATA_DIRECTORY', dataDirectory(rw)), ...env];
}
