import { describe, expect, it } from 'vitest';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { loadExample, render } from '../support/render.js';

/**
 * Every env value of the reference (§3.3–§3.5, §8) for each example, per component. Values are written
 * as `value`, `secret:<name>/<key>` or `field:<path>`.
 */

type EnvMap = Record<string, string>;

function flatten(env: IEnvVar[]): EnvMap {
  const out: EnvMap = {};
  for (const e of env) {
    const ref = e.valueFrom;
    out[e.name] = ref?.secretKeyRef
      ? `secret:${ref.secretKeyRef.name}/${ref.secretKeyRef.key}`
      : ref?.fieldRef
        ? `field:${ref.fieldRef.fieldPath}`
        : (e.value ?? '');
  }
  return out;
}

async function envByWorkload(example: string): Promise<Record<string, EnvMap>> {
  const children = (await render(loadExample(example))).response.children as KubeObject[];
  const out: Record<string, EnvMap> = {};
  for (const c of children) {
    if (c.kind !== 'StatefulSet' && c.kind !== 'Deployment') continue;
    const containers = (c.spec as { template: { spec: { containers: { env: IEnvVar[] }[] } } }).template.spec.containers;
    out[c.metadata.name] = flatten(containers[0]!.env);
  }
  return out;
}

const STATE_STORE_ENV_NAMES = /^(AWS_|MINIO_|GOOGLE_|AZBLOB_|OSS_|OBS_|RW_S3_|RW_IS_FORCE)/;

interface StateStoreCase {
  example: string;
  prefix: string;
  url: string;
  dataDirectory?: string;
  /** Backend env that meta, compute and compactor all get. */
  env: EnvMap;
  absent?: string[];
}

const STATE_STORES: StateStoreCase[] = [
  { example: 'state-store-memory', prefix: 'rw-memory', url: 'hummock+memory', env: {} },
  { example: 'state-store-local-disk', prefix: 'rw-local-disk', url: 'hummock+fs:///data', env: {} },
  {
    example: 'state-store-minio',
    prefix: 'rw-minio',
    url: 'hummock+minio://$(MINIO_USERNAME):$(MINIO_PASSWORD)@minio.risingwave.svc:9000/hummock001',
    env: {
      MINIO_ENDPOINT: 'minio.risingwave.svc:9000',
      MINIO_BUCKET: 'hummock001',
      MINIO_USERNAME: 'secret:minio-credentials/username',
      MINIO_PASSWORD: 'secret:minio-credentials/password',
    },
  },
  {
    example: 'state-store-s3',
    prefix: 'rw-s3',
    url: 'hummock+s3://rw-prod-state',
    dataDirectory: 'prod/hummock',
    env: {
      AWS_REGION: 'eu-west-1',
      AWS_S3_BUCKET: 'rw-prod-state',
      AWS_ACCESS_KEY_ID: 'secret:s3-credentials/AccessKeyID',
      AWS_SECRET_ACCESS_KEY: 'secret:s3-credentials/SecretAccessKey',
    },
    absent: ['RW_S3_ENDPOINT', 'AWS_EC2_METADATA_DISABLED', 'RW_IS_FORCE_PATH_STYLE'],
  },
  {
    example: 'state-store-s3-service-account',
    prefix: 'rw-s3-irsa',
    url: 'hummock+s3://rw-irsa-state',
    env: { AWS_REGION: 'us-east-1', AWS_S3_BUCKET: 'rw-irsa-state', RW_IS_FORCE_PATH_STYLE: 'true' },
    absent: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  },
  {
    example: 'state-store-s3-compatible',
    prefix: 'rw-s3c',
    url: 'hummock+s3://rw-state',
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_S3_BUCKET: 'rw-state',
      AWS_REGION: 'auto',
      AWS_ACCESS_KEY_ID: 'secret:s3c-credentials/AccessKeyID',
      AWS_SECRET_ACCESS_KEY: 'secret:s3c-credentials/SecretAccessKey',
      RW_S3_ENDPOINT: 'https://$(AWS_S3_BUCKET).s3.$(AWS_REGION).example.com',
    },
  },
  {
    example: 'state-store-gcs',
    prefix: 'rw-gcs',
    url: 'hummock+gcs://rw-gcs-state',
    env: { GOOGLE_APPLICATION_CREDENTIALS: 'secret:gcs-credentials/ServiceAccountCredentials' },
  },
  {
    example: 'state-store-aliyun-oss',
    prefix: 'rw-oss',
    url: 'hummock+oss://rw-oss-state',
    env: {
      OSS_REGION: 'cn-hangzhou',
      OSS_ACCESS_KEY_ID: 'secret:oss-credentials/AccessKeyIDRef',
      OSS_ACCESS_KEY_SECRET: 'secret:oss-credentials/AccessKeySecretRef',
      OSS_ENDPOINT: 'https://oss-$(OSS_REGION)-internal.aliyuncs.com',
    },
  },
  {
    example: 'state-store-azure-blob',
    prefix: 'rw-azblob',
    url: 'hummock+azblob://rwstate',
    env: {
      AZBLOB_ENDPOINT: 'https://rwaccount.blob.core.windows.net',
      AZBLOB_ACCOUNT_NAME: 'secret:azblob-credentials/AccountName',
      AZBLOB_ACCOUNT_KEY: 'secret:azblob-credentials/AccountKey',
    },
  },
  { example: 'state-store-hdfs', prefix: 'rw-hdfs', url: 'hummock+hdfs://hdfs-namenode.hadoop.svc:9000', env: {} },
  { example: 'state-store-webhdfs', prefix: 'rw-webhdfs', url: 'hummock+webhdfs://hdfs-namenode.hadoop.svc:9870', env: {} },
  {
    example: 'state-store-huawei-cloud-obs',
    prefix: 'rw-obs',
    url: 'hummock+obs://rw-obs-state',
    env: {
      OBS_REGION: 'cn-north-4',
      OBS_ENDPOINT: 'https://obs.$(OBS_REGION).myhuaweicloud.com',
      OBS_ACCESS_KEY_ID: 'secret:obs-credentials/AccessKeyIDRef',
      OBS_SECRET_ACCESS_KEY: 'secret:obs-credentials/AccessKeySecretRef',
    },
  },
];

describe.each(STATE_STORES)('state store $example', (tc) => {
  it('meta gets the URL, the data directory and the backend env', async () => {
    const env = await envByWorkload(tc.example);
    const meta = env[`${tc.prefix}-meta`]!;
    expect(meta.RW_STATE_STORE).toBe(tc.url);
    expect(meta.RW_DATA_DIRECTORY).toBe(tc.dataDirectory ?? 'hummock');
    expect(meta).toMatchObject(tc.env);
    for (const name of tc.absent ?? []) expect(meta[name]).toBeUndefined();
  });

  it('compute and compactor get only the backend env; the frontend gets none of it', async () => {
    const env = await envByWorkload(tc.example);
    for (const c of ['compute', 'compactor']) {
      const e = env[`${tc.prefix}-${c}`]!;
      expect(e).toMatchObject(tc.env);
      expect(e.RW_STATE_STORE).toBeUndefined();
      expect(e.RW_DATA_DIRECTORY).toBeUndefined();
    }
    const fe = env[`${tc.prefix}-frontend`]!;
    expect(Object.keys(fe).filter((k) => STATE_STORE_ENV_NAMES.test(k) || k === 'RW_STATE_STORE')).toEqual([]);
  });
});

const PG_CREDS = {
  RW_POSTGRES_USERNAME: 'secret:risingwave-pg-credentials/username',
  RW_POSTGRES_PASSWORD: 'secret:risingwave-pg-credentials/password',
  RW_SQL_USERNAME: 'secret:risingwave-pg-credentials/username',
  RW_SQL_PASSWORD: 'secret:risingwave-pg-credentials/password',
};

const META_STORES: { example: string; meta: string; env: EnvMap }[] = [
  { example: 'meta-store-memory', meta: 'rw-meta-memory-meta', env: { RW_BACKEND: 'mem' } },
  {
    example: 'meta-store-etcd',
    meta: 'rw-etcd-meta',
    env: {
      RW_BACKEND: 'etcd',
      RW_ETCD_ENDPOINTS: 'etcd-0.etcd.risingwave.svc:2379,etcd-1.etcd.risingwave.svc:2379',
      RW_ETCD_AUTH: 'true',
      ETCD_USERNAME: 'secret:etcd-credentials/username',
      ETCD_PASSWORD: 'secret:etcd-credentials/password',
      RW_ETCD_USERNAME: 'secret:etcd-credentials/username',
      RW_ETCD_PASSWORD: 'secret:etcd-credentials/password',
    },
  },
  { example: 'meta-store-sqlite', meta: 'rw-sqlite-meta', env: { RW_BACKEND: 'sqlite', RW_SQL_ENDPOINT: '/risingwave/data/meta.db' } },
  {
    example: 'meta-store-postgresql',
    meta: 'rw-pg-meta',
    env: {
      RW_BACKEND: 'postgres',
      RW_SQL_ENDPOINT: 'risingwave-pg.risingwave.svc:5432?application_name=risingwave+meta&sslmode=require',
      RW_SQL_DATABASE: 'risingwave',
      ...PG_CREDS,
    },
  },
  {
    example: 'meta-store-postgresql-legacy',
    meta: 'rw-pg-legacy-meta',
    env: {
      RW_BACKEND: 'sql',
      RW_SQL_ENDPOINT: 'postgres://$(RW_POSTGRES_USERNAME):$(RW_POSTGRES_PASSWORD)@risingwave-pg.risingwave.svc:5432/risingwave',
      ...PG_CREDS,
    },
  },
  {
    example: 'meta-store-mysql',
    meta: 'rw-mysql-meta',
    env: {
      RW_BACKEND: 'mysql',
      RW_SQL_ENDPOINT: 'mysql.risingwave.svc:3306',
      RW_SQL_DATABASE: 'risingwave',
      RW_MYSQL_USERNAME: 'secret:mysql-credentials/user',
      RW_MYSQL_PASSWORD: 'secret:mysql-credentials/pass',
      RW_SQL_USERNAME: 'secret:mysql-credentials/user',
      RW_SQL_PASSWORD: 'secret:mysql-credentials/pass',
    },
  },
];

describe.each(META_STORES)('meta store $example', (tc) => {
  it('meta gets the meta-store env; no other component does', async () => {
    const env = await envByWorkload(tc.example);
    expect(env[tc.meta]).toMatchObject(tc.env);
    for (const [name, e] of Object.entries(env)) {
      if (name === tc.meta) continue;
      expect(Object.keys(e).filter((k) => /^(RW_BACKEND|RW_SQL_|RW_ETCD_|ETCD_|RW_POSTGRES_|RW_MYSQL_)/.test(k)), name).toEqual([]);
    }
  });
});

describe('component env of the reference table (§3.3)', () => {
  it('meta, frontend, compute and compactor of a default cluster', async () => {
    const env = await envByWorkload('meta-store-postgresql');
    const base = {
      RUST_LOG: 'INFO',
      POD_IP: 'field:status.podIP',
      POD_NAME: 'field:metadata.name',
      POD_NAMESPACE: 'field:metadata.namespace',
      RUST_MIN_STACK: '4194304',
      RUST_BACKTRACE: 'full',
      RW_CONFIG_PATH: '/risingwave/config/risingwave.toml',
    };
    const lb = 'load-balance+http://rw-pg-meta:5690';
    expect(env['rw-pg-meta']).toMatchObject({
      ...base,
      RW_META_ADDR: 'http://127.0.0.1:5690',
      RW_LISTEN_ADDR: '0.0.0.0:5690',
      RW_ADVERTISE_ADDR: '$(POD_NAME).rw-pg-meta:5690',
      RW_PROMETHEUS_HOST: '0.0.0.0:1250',
      RW_DASHBOARD_HOST: '0.0.0.0:5691',
      RW_WORKER_THREADS: '4',
    });
    expect(env['rw-pg-frontend']).toMatchObject({
      ...base,
      RW_LISTEN_ADDR: '0.0.0.0:4567',
      RW_ADVERTISE_ADDR: '$(POD_IP):4567',
      RW_META_ADDR: lb,
      RW_META_ADDRESS: lb,
      RW_PROMETHEUS_LISTENER_ADDR: '0.0.0.0:8080',
      RW_WEBHOOK_LISTEN_ADDR: '0.0.0.0:4560',
    });
    expect(env['rw-pg-compute']).toMatchObject({
      ...base,
      RW_LISTEN_ADDR: '0.0.0.0:5688',
      RW_ADVERTISE_ADDR: '$(POD_NAME).rw-pg-compute:5688',
      RW_META_ADDR: lb,
      RW_META_ADDRESS: lb,
      RW_PROMETHEUS_LISTENER_ADDR: '0.0.0.0:1222',
      RW_PARALLELISM: '4',
      RW_TOTAL_MEMORY_BYTES: String(16 * 1024 ** 3),
    });
    expect(env['rw-pg-compute']!.RW_RESOURCE_GROUP).toBeUndefined();
    expect(env['rw-pg-compactor']).toMatchObject({
      ...base,
      RW_LISTEN_ADDR: '0.0.0.0:6660',
      RW_ADVERTISE_ADDR: '$(POD_IP):6660',
      RW_PROMETHEUS_LISTENER_ADDR: '0.0.0.0:1260',
      RW_META_ADDR: lb,
      RW_META_ADDRESS: lb,
    });
    expect(env['rw-pg-compactor']!.RW_PARALLELISM).toBeUndefined();
  });

  it('full Kubernetes addresses qualify meta and compute with the namespace', async () => {
    const env = await envByWorkload('full-addresses');
    expect(env['rw-fqdn-compute']!.RW_ADVERTISE_ADDR).toBe('$(POD_NAME).rw-fqdn-compute.$(POD_NAMESPACE).svc:5688');
    expect(env['rw-fqdn-meta']!.RW_ADVERTISE_ADDR).toBe('$(POD_NAME).rw-fqdn-meta.$(POD_NAMESPACE).svc:5690');
    expect(env['rw-fqdn-frontend']!.RW_META_ADDR).toBe('load-balance+http://rw-fqdn-meta.$(POD_NAMESPACE).svc:5690');
  });

  it('advertising with IP applies to meta and compute only', async () => {
    const env = await envByWorkload('advertising-with-ip');
    expect(env['rw-ip-meta']!.RW_ADVERTISE_ADDR).toBe('$(POD_IP):5690');
    expect(env['rw-ip-compute']!.RW_ADVERTISE_ADDR).toBe('$(POD_IP):5688');
    expect(env['rw-ip-frontend']!.RW_ADVERTISE_ADDR).toBe('$(POD_IP):4567');
  });

  it('named compute groups are resource groups unless the template sets one', async () => {
    const env = await envByWorkload('multi-group-compute');
    expect(env['rw-groups-compute']!.RW_RESOURCE_GROUP).toBeUndefined();
    expect(env['rw-groups-compute-analytics']!.RW_RESOURCE_GROUP).toBe('analytics');
    expect(env['rw-groups-compute-serving']!.RW_RESOURCE_GROUP).toBe('low-latency');
    expect(env['rw-groups-compactor-iceberg']!.RW_RESOURCE_GROUP).toBeUndefined();
    expect(env['rw-groups-compactor-iceberg']!.RW_COMPACTOR_MODE).toBe('dedicated_iceberg');
    expect(env['rw-groups-compute-analytics']).toMatchObject({ RW_PARALLELISM: '8', RW_WORKER_THREADS: '8', RUST_LOG: 'info,risingwave_stream=debug' });
  });

  it('TLS goes on the frontend only; license and secret store on meta only', async () => {
    const tls = await envByWorkload('tls');
    expect(tls['rw-tls-frontend']).toMatchObject({ RW_SSL_KEY: '/risingwave/tls/tls.key', RW_SSL_CERT: '/risingwave/tls/tls.crt' });
    for (const c of ['meta', 'compute', 'compactor']) expect(tls[`rw-tls-${c}`]!.RW_SSL_KEY).toBeUndefined();
    const lic = await envByWorkload('license');
    expect(lic['rw-license-meta']).toMatchObject({
      RW_LICENSE_KEY_PATH: '/license/license.jwt',
      RW_SECRET_STORE_PRIVATE_KEY_HEX: 'secret:risingwave-secret-store/privateKey',
    });
    for (const c of ['frontend', 'compute', 'compactor']) {
      expect(lic[`rw-license-${c}`]!.RW_LICENSE_KEY_PATH).toBeUndefined();
      expect(lic[`rw-license-${c}`]!.RW_SECRET_STORE_PRIVATE_KEY_HEX).toBeUndefined();
    }
    const old = await envByWorkload('license-env');
    expect(old['rw-license-env-meta']).toMatchObject({
      RW_LICENSE_KEY: 'secret:risingwave-license/key',
      RW_SECRET_STORE_PRIVATE_KEY_HEX: '0123456789abcdef0123456789abcdef',
    });
    expect(old['rw-license-env-meta']!.RW_LICENSE_KEY_PATH).toBeUndefined();
  });

  it('embedded serving gives the frontend compute env and marks compute streaming-only', async () => {
    const env = await envByWorkload('embedded-serving');
    expect(env['rw-embedded-frontend']).toMatchObject({
      RW_PARALLELISM: '2',
      RW_TOTAL_MEMORY_BYTES: String(4 * 1024 ** 3),
      MINIO_ENDPOINT: 'minio.risingwave.svc:9000',
    });
    expect(env['rw-embedded-frontend']!.RW_STATE_STORE).toBeUndefined();
  });

  it('standalone gets the meta core, store, TLS and local meta address', async () => {
    const env = await envByWorkload('standalone');
    expect(env['rw-standalone-standalone']).toMatchObject({
      RUST_LOG: 'DEBUG',
      RW_CONFIG_PATH: '/risingwave/config/risingwave.toml',
      RW_META_ADDR: 'http://127.0.0.1:5690',
      RW_STATE_STORE: 'hummock+fs:///data',
      RW_DATA_DIRECTORY: 'hummock',
      RW_DASHBOARD_HOST: '0.0.0.0:5691',
      RW_BACKEND: 'sqlite',
      RW_SQL_ENDPOINT: '/data/meta.db',
      RW_SSL_KEY: '/risingwave/tls/tls.key',
      RW_WORKER_THREADS: '4',
      // enableWebhookListener defaults to true and both Services declare 4560: the process must listen there.
      RW_WEBHOOK_LISTEN_ADDR: '0.0.0.0:4560',
    });
    expect(env['rw-standalone-standalone']!.RW_LISTEN_ADDR).toBeUndefined();
  });

  it('standalone without the webhook listener has no listen address for it', async () => {
    const rw = loadExample('standalone');
    rw.spec.enableWebhookListener = false;
    const children = (await render(rw)).response.children as KubeObject[];
    const sts = children.find((c) => c.kind === 'StatefulSet')!;
    const containers = (sts.spec as { template: { spec: { containers: { env: IEnvVar[] }[] } } }).template.spec.containers;
    expect(flatten(containers[0]!.env).RW_WEBHOOK_LISTEN_ADDR).toBeUndefined();
  });

  it('user template env overrides defaults but not the base env', async () => {
    const env = await envByWorkload('custom-configuration');
    expect(env['rw-custom-meta']).toMatchObject({ RW_EXTRA: '$(RW_LISTEN_ADDR)/extra', NODE: 'field:spec.nodeName', POD_IP: 'field:status.podIP' });
  });
});
