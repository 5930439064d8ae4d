/**
 * The backend table's order is the precedence when a stored spec (invalidly) sets several backends: the Go
 * operator's `hummockConnectionStr` checks memory, S3 (AWS or compatible), MinIO, GCS, Aliyun OSS, Azure Blob,
 * HDFS, WebHDFS, then local disk and Huawei OBS. Removing the winner each time walks the whole list.
 */
import { describe, expect, it } from 'vitest';
import { STATE_STORE_BACKENDS, type RisingWave } from '../../../src/api/risingwave.js';
import { stateStoreBackendName, stateStoreUrl } from '../../../src/builders/env/state-store.js';

const creds = { secretName: 's' };
const every: Record<string, unknown> = {
  memory: true,
  s3: { bucket: 'b', region: 'r', credentials: creds },
  minio: { endpoint: 'e', bucket: 'b', credentials: creds },
  gcs: { bucket: 'b', credentials: creds },
  aliyunOSS: { bucket: 'b', region: 'r', internalEndpoint: false, credentials: creds },
  azureBlob: { container: 'c', endpoint: 'e', credentials: creds },
  hdfs: { nameNode: 'n' },
  webhdfs: { nameNode: 'n' },
  localDisk: { root: '/d' },
  huaweiCloudOBS: { bucket: 'b', region: 'r', credentials: creds },
};

const OPERATOR_ORDER: [string, string][] = [
  ['memory', 'Memory'],
  ['s3', 'S3'],
  ['minio', 'MinIO'],
  ['gcs', 'GCS'],
  ['aliyunOSS', 'AliyunOSS'],
  ['azureBlob', 'AzureBlob'],
  ['hdfs', 'HDFS'],
  ['webhdfs', 'WebHDFS'],
  ['localDisk', 'LocalDisk'],
  ['huaweiCloudOBS', 'HuaweiCloudOBS'],
];

const rwWith = (stateStore: Record<string, unknown>) => ({ spec: { stateStore } }) as unknown as RisingWave;

describe('state-store backend precedence', () => {
  it('covers every backend the schema declares', () => {
    expect(Object.keys(every).sort()).toEqual([...STATE_STORE_BACKENDS].sort());
    expect(OPERATOR_ORDER.map(([k]) => k).sort()).toEqual([...STATE_STORE_BACKENDS].sort());
  });

  it("picks the operator's first configured backend", () => {
    const store = { ...every };
    for (const [key, status] of OPERATOR_ORDER) {
      expect(stateStoreBackendName(rwWith(store)), `with ${Object.keys(store).join(', ')}`).toBe(status);
      expect(stateStoreUrl(rwWith(store))).toMatch(/^hummock\+/);
      delete store[key];
    }
    expect(stateStoreBackendName(rwWith(store))).toBe('Unknown');
  });

  it('memory: false is not memory', () => {
    expect(stateStoreBackendName(rwWith({ memory: false, hdfs: { nameNode: 'n' } }))).toBe('HDFS');
  });
});
