import { describe, expect, it } from 'vitest';
import {
  dataDirectory,
  goPathJoin,
  s3CompatibleEndpoint,
  stateStoreBackendName,
  stateStoreEnv,
  stateStoreUrl,
} from '../../../src/builders/env/state-store.js';
import { envMap, expectValid, rwWith, secretRef } from './fixtures.js';

interface Case {
  name: string;
  stateStore: Record<string, unknown>;
  status?: Record<string, unknown>;
  backend: string;
  url: string;
  dataDirectory: string;
  /** Credential/endpoint env, i.e. what compute and compactor get. */
  env: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'memory',
    stateStore: { memory: true },
    backend: 'Memory',
    url: 'hummock+memory',
    dataDirectory: 'hummock',
    env: {},
  },
  {
    name: 'minio (endpoint verbatim)',
    stateStore: {
      minio: { endpoint: 'minio.default:9000', bucket: 'hummock001', credentials: { secretName: 'minio-creds' } },
    },
    backend: 'MinIO',
    url: 'hummock+minio://$(MINIO_USERNAME):$(MINIO_PASSWORD)@minio.default:9000/hummock001',
    dataDirectory: 'hummock',
    env: {
      MINIO_ENDPOINT: 'minio.default:9000',
      MINIO_BUCKET: 'hummock001',
      MINIO_USERNAME: secretRef('minio-creds', 'username'),
      MINIO_PASSWORD: secretRef('minio-creds', 'password'),
    },
  },
  {
    name: 'minio with custom keys and an http endpoint',
    stateStore: {
      dataDirectory: 'a/b',
      minio: {
        endpoint: 'http://minio:9000',
        bucket: 'b',
        credentials: { secretName: 's', usernameKeyRef: 'user', passwordKeyRef: 'pass' },
      },
    },
    backend: 'MinIO',
    url: 'hummock+minio://$(MINIO_USERNAME):$(MINIO_PASSWORD)@http://minio:9000/b',
    dataDirectory: 'a/b',
    env: {
      MINIO_ENDPOINT: 'http://minio:9000',
      MINIO_BUCKET: 'b',
      MINIO_USERNAME: secretRef('s', 'user'),
      MINIO_PASSWORD: secretRef('s', 'pass'),
    },
  },
  {
    name: 'AWS S3 with a secret',
    stateStore: { s3: { bucket: 'hummock', credentials: { secretName: 'aws' } } },
    backend: 'S3',
    url: 'hummock+s3://hummock',
    dataDirectory: 'hummock',
    env: {
      AWS_REGION: 'us-east-1',
      AWS_S3_BUCKET: 'hummock',
      AWS_ACCESS_KEY_ID: secretRef('aws', 'AccessKeyID'),
      AWS_SECRET_ACCESS_KEY: secretRef('aws', 'SecretAccessKey'),
    },
  },
  {
    name: 'AWS S3 with a service account and path style',
    stateStore: {
      s3: { bucket: 'b', region: 'eu-west-1', forcePathStyle: true, credentials: { useServiceAccount: true } },
    },
    backend: 'S3',
    url: 'hummock+s3://b',
    dataDirectory: 'hummock',
    env: { AWS_REGION: 'eu-west-1', AWS_S3_BUCKET: 'b', RW_IS_FORCE_PATH_STYLE: 'true' },
  },
  {
    name: 'S3-compatible, no scheme, placeholders',
    stateStore: {
      s3: {
        bucket: 'bkt',
        region: 'ap-southeast-1',
        endpoint: '${BUCKET}.cos.${REGION}.myqcloud.com',
        credentials: { secretName: 'cos', accessKeyRef: 'ak', secretAccessKeyRef: 'sk' },
      },
    },
    backend: 'S3',
    url: 'hummock+s3://bkt',
    dataDirectory: 'hummock',
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_S3_BUCKET: 'bkt',
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: secretRef('cos', 'ak'),
      AWS_SECRET_ACCESS_KEY: secretRef('cos', 'sk'),
      RW_S3_ENDPOINT: 'https://$(AWS_S3_BUCKET).cos.$(AWS_REGION).myqcloud.com',
    },
  },
  {
    name: 'S3-compatible, http:// kept, region from the Secret, path style',
    stateStore: {
      s3: {
        bucket: 'bkt',
        region: '',
        endpoint: 'http://rook-ceph-rgw:80',
        forcePathStyle: true,
        credentials: { secretName: 'ceph', useServiceAccount: true },
      },
    },
    backend: 'S3',
    url: 'hummock+s3://bkt',
    dataDirectory: 'hummock',
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_S3_BUCKET: 'bkt',
      AWS_REGION: secretRef('ceph', 'Region'),
      // The key pair is always read from the Secret for S3-compatible stores.
      AWS_ACCESS_KEY_ID: secretRef('ceph', 'AccessKeyID'),
      AWS_SECRET_ACCESS_KEY: secretRef('ceph', 'SecretAccessKey'),
      RW_S3_ENDPOINT: 'http://rook-ceph-rgw:80',
      RW_IS_FORCE_PATH_STYLE: 'true',
    },
  },
  {
    name: 'S3-compatible, https:// kept',
    stateStore: {
      s3: { bucket: 'b', endpoint: 'https://s3.${REGION}.example.com', credentials: { secretName: 's' } },
    },
    backend: 'S3',
    url: 'hummock+s3://b',
    dataDirectory: 'hummock',
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_S3_BUCKET: 'b',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: secretRef('s', 'AccessKeyID'),
      AWS_SECRET_ACCESS_KEY: secretRef('s', 'SecretAccessKey'),
      RW_S3_ENDPOINT: 'https://s3.$(AWS_REGION).example.com',
    },
  },
  {
    name: 'GCS with a secret and a deprecated root',
    stateStore: { gcs: { bucket: 'g', root: 'legacy', credentials: { secretName: 'gcp' } } },
    backend: 'GCS',
    url: 'hummock+gcs://g',
    dataDirectory: 'legacy/hummock',
    env: { GOOGLE_APPLICATION_CREDENTIALS: secretRef('gcp', 'ServiceAccountCredentials') },
  },
  {
    name: 'GCS with workload identity',
    stateStore: { gcs: { bucket: 'g', credentials: { useWorkloadIdentity: true } } },
    backend: 'GCS',
    url: 'hummock+gcs://g',
    dataDirectory: 'hummock',
    env: {},
  },
  {
    name: 'Aliyun OSS, public endpoint',
    stateStore: {
      aliyunOSS: { bucket: 'o', region: 'cn-hangzhou', internalEndpoint: false, credentials: { secretName: 'oss' } },
    },
    backend: 'AliyunOSS',
    url: 'hummock+oss://o',
    dataDirectory: 'hummock',
    env: {
      OSS_REGION: 'cn-hangzhou',
      OSS_ACCESS_KEY_ID: secretRef('oss', 'AccessKeyIDRef'),
      OSS_ACCESS_KEY_SECRET: secretRef('oss', 'AccessKeySecretRef'),
      OSS_ENDPOINT: 'https://oss-$(OSS_REGION).aliyuncs.com',
    },
  },
  {
    name: 'Aliyun OSS, internal endpoint',
    stateStore: {
      aliyunOSS: { bucket: 'o', region: 'cn-beijing', internalEndpoint: true, root: '/r', credentials: { secretName: 'oss' } },
    },
    backend: 'AliyunOSS',
    url: 'hummock+oss://o',
    dataDirectory: '/r/hummock',
    env: {
      OSS_REGION: 'cn-beijing',
      OSS_ACCESS_KEY_ID: secretRef('oss', 'AccessKeyIDRef'),
      OSS_ACCESS_KEY_SECRET: secretRef('oss', 'AccessKeySecretRef'),
      OSS_ENDPOINT: 'https://oss-$(OSS_REGION)-internal.aliyuncs.com',
    },
  },
  {
    name: 'Azure Blob with account keys',
    stateStore: {
      azureBlob: { container: 'c', endpoint: 'https://acct.blob.core.windows.net', credentials: { secretName: 'az' } },
    },
    backend: 'AzureBlob',
    url: 'hummock+azblob://c',
    dataDirectory: 'hummock',
    env: {
      AZBLOB_ENDPOINT: 'https://acct.blob.core.windows.net',
      AZBLOB_ACCOUNT_NAME: secretRef('az', 'AccountName'),
      AZBLOB_ACCOUNT_KEY: secretRef('az', 'AccountKey'),
    },
  },
  {
    name: 'Azure Blob with a service account',
    stateStore: {
      azureBlob: { container: 'c', endpoint: 'acct.blob.core.windows.net', credentials: { useServiceAccount: true } },
    },
    backend: 'AzureBlob',
    url: 'hummock+azblob://c',
    dataDirectory: 'hummock',
    env: { AZBLOB_ENDPOINT: 'acct.blob.core.windows.net' },
  },
  {
    name: 'HDFS',
    stateStore: { hdfs: { nameNode: 'namenode:8020', root: 'rw' } },
    backend: 'HDFS',
    url: 'hummock+hdfs://namenode:8020',
    dataDirectory: 'rw/hummock',
    env: {},
  },
  {
    name: 'WebHDFS',
    stateStore: { webhdfs: { nameNode: 'namenode:9870' } },
    backend: 'WebHDFS',
    url: 'hummock+webhdfs://namenode:9870',
    dataDirectory: 'hummock',
    env: {},
  },
  {
    name: 'local disk (root is not a data-directory prefix)',
    stateStore: { localDisk: { root: '/data' } },
    backend: 'LocalDisk',
    url: 'hummock+fs:///data',
    dataDirectory: 'hummock',
    env: {},
  },
  {
    name: 'Huawei Cloud OBS',
    stateStore: { huaweiCloudOBS: { bucket: 'h', region: 'cn-north-4', credentials: { secretName: 'obs' } } },
    backend: 'HuaweiCloudOBS',
    url: 'hummock+obs://h',
    dataDirectory: 'hummock',
    env: {
      OBS_REGION: 'cn-north-4',
      OBS_ENDPOINT: 'https://obs.$(OBS_REGION).myhuaweicloud.com',
      OBS_ACCESS_KEY_ID: secretRef('obs', 'AccessKeyIDRef'),
      OBS_SECRET_ACCESS_KEY: secretRef('obs', 'AccessKeySecretRef'),
    },
  },
  {
    name: 'recorded root path wins over the deprecated root',
    stateStore: { hdfs: { nameNode: 'nn:8020', root: 'new-root' }, dataDirectory: 'dd' },
    status: { internal: { stateStoreRootPath: 'recorded' } },
    backend: 'HDFS',
    url: 'hummock+hdfs://nn:8020',
    dataDirectory: 'recorded/dd',
    env: {},
  },
];

describe.each(cases)('$name', (c) => {
  const rw = rwWith({ stateStore: c.stateStore }, c.status);

  it('reports the backend, URL and data directory', () => {
    expect(stateStoreBackendName(rw)).toBe(c.backend);
    expect(stateStoreUrl(rw)).toBe(c.url);
    expect(dataDirectory(rw)).toBe(c.dataDirectory);
  });

  it('gives compute/compactor only the credential env', () => {
    const env = stateStoreEnv(rw, { includeStoreUrl: false });
    expect(envMap(env)).toEqual(c.env);
    expect(env).toHaveLength(Object.keys(c.env).length);
    expectValid(env);
  });

  it('gives meta/standalone the URL and data directory too', () => {
    const env = stateStoreEnv(rw, { includeStoreUrl: true });
    expect(envMap(env)).toEqual({ ...c.env, RW_STATE_STORE: c.url, RW_DATA_DIRECTORY: c.dataDirectory });
    expectValid(env);
  });
});

describe('secretKeyRef shape', () => {
  it('is exactly {name, key}', () => {
    const rw = rwWith({ stateStore: { minio: { endpoint: 'm:9000', bucket: 'b', credentials: { secretName: 's' } } } });
    const username = stateStoreEnv(rw, { includeStoreUrl: false }).find((e) => e.name === 'MINIO_USERNAME');
    expect(username).toStrictEqual({ name: 'MINIO_USERNAME', valueFrom: { secretKeyRef: { name: 's', key: 'username' } } });
  });
});

describe('no backend', () => {
  const rw = rwWith({ stateStore: { memory: false } });
  it('is Unknown in status and refuses to build env', () => {
    expect(stateStoreBackendName(rw)).toBe('Unknown');
    expect(() => stateStoreUrl(rw)).toThrow(/no state store backend/);
    expect(() => stateStoreEnv(rw, { includeStoreUrl: false })).toThrow(/no state store backend/);
  });
});

describe('s3CompatibleEndpoint', () => {
  it.each([
    ['s3.${REGION}.amazonaws.com', 'https://s3.$(AWS_REGION).amazonaws.com'],
    ['${BUCKET}.${REGION}.example.com/${BUCKET}', 'https://$(AWS_S3_BUCKET).$(AWS_REGION).example.com/$(AWS_S3_BUCKET)'],
    ['http://minio:9000', 'http://minio:9000'],
    ['https://x', 'https://x'],
    ['  x.example.com  ', 'https://x.example.com'],
  ])('%s -> %s', (endpoint, expected) => {
    expect(s3CompatibleEndpoint(endpoint)).toBe(expected);
  });
});

describe('goPathJoin (Go path.Join)', () => {
  it.each([
    [['', 'hummock'], 'hummock'],
    [['root', 'hummock'], 'root/hummock'],
    [['root/', 'hummock'], 'root/hummock'],
    [['/root', 'a/b'], '/root/a/b'],
    [['a', '../b'], 'b'],
    [['', ''], ''],
    [['/', ''], '/'],
    [['a/', ''], 'a'],
  ])('%j -> %s', (parts, expected) => {
    expect(goPathJoin(...parts)).toBe(expected);
  });
});
