/**
 * `spec.stateStore`: where the Hummock state lives (Go: `RisingWaveStateStoreBackend`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_IMAGE, Name, cel, optionalEach } from './building-blocks.js';
import { RULES, TRANSITION_RULES } from './rules.js';
import { CredentialsUsernamePasswordSchema } from './meta-store.js';

export const StateStoreLocalDiskSchema = Type.Object({ root: Type.String() });
export type StateStoreLocalDisk = Static<typeof StateStoreLocalDiskSchema>;

export const StateStoreMinIOSchema = Type.Object({
  endpoint: Type.String(),
  bucket: Type.String(),
  credentials: CredentialsUsernamePasswordSchema,
});
export type StateStoreMinIO = Static<typeof StateStoreMinIOSchema>;

export const S3CredentialsSchema = Type.Object({
  useServiceAccount: Type.Optional(Type.Boolean()),
  secretName: Type.Optional(Name()),
  accessKeyRef: Type.Optional(Type.String({ default: 'AccessKeyID' })),
  secretAccessKeyRef: Type.Optional(Type.String({ default: 'SecretAccessKey' })),
});
export type S3Credentials = Static<typeof S3CredentialsSchema>;

/** Optional scheme, then host[:port][/...]; `${REGION}` and `${BUCKET}` are substituted by the builders. */
export const S3_ENDPOINT_PATTERN = '^(?:https?://)?(?:[^/.\\s]+\\.)*(?:[^/\\s]+)*$';
export const AZURE_ENDPOINT_PATTERN = '^(?:https://)?(?:[^/.\\s]+\\.)*(?:[^/\\s]+)*$';

export const StateStoreS3Schema = Type.Object(
  {
    bucket: Type.String(),
    region: Type.String({ default: 'us-east-1' }),
    endpoint: Type.Optional(Type.String({ pattern: S3_ENDPOINT_PATTERN, maxLength: MAX_IMAGE })),
    forcePathStyle: Type.Optional(Type.Boolean()),
    credentials: S3CredentialsSchema,
  },
  cel(RULES.s3CompatibleNeedsSecret.cel(), RULES.awsS3NeedsCredentials.cel()),
);
export type StateStoreS3 = Static<typeof StateStoreS3Schema>;

export const GCSCredentialsSchema = Type.Object({
  useWorkloadIdentity: Type.Optional(Type.Boolean()),
  secretName: Type.Optional(Name()),
  serviceAccountCredentialsKeyRef: Type.Optional(Type.String({ default: 'ServiceAccountCredentials' })),
});
export type GCSCredentials = Static<typeof GCSCredentialsSchema>;

export const StateStoreGCSSchema = Type.Object(
  {
    bucket: Type.String(),
    /** Deprecated: use spec.stateStore.dataDirectory. */
    root: Type.Optional(Type.String()),
    credentials: Type.Optional(GCSCredentialsSchema),
  },
  cel(RULES.gcsNeedsCredentials.cel()),
);
export type StateStoreGCS = Static<typeof StateStoreGCSSchema>;

export const AliyunOSSCredentialsSchema = Type.Object({
  secretName: Name(),
  accessKeyIDRef: Type.Optional(Type.String({ default: 'AccessKeyIDRef' })),
  accessKeySecretRef: Type.Optional(Type.String({ default: 'AccessKeySecretRef' })),
});
export type AliyunOSSCredentials = Static<typeof AliyunOSSCredentialsSchema>;

export const StateStoreAliyunOSSSchema = Type.Object({
  bucket: Type.String(),
  region: Type.String(),
  internalEndpoint: Type.Boolean(),
  /** Deprecated: use spec.stateStore.dataDirectory. */
  root: Type.Optional(Type.String()),
  credentials: AliyunOSSCredentialsSchema,
});
export type StateStoreAliyunOSS = Static<typeof StateStoreAliyunOSSSchema>;

export const AzureBlobCredentialsSchema = Type.Object({
  secretName: Type.Optional(Name()),
  accountNameRef: Type.Optional(Type.String({ default: 'AccountName' })),
  accountKeyRef: Type.Optional(Type.String({ default: 'AccountKey' })),
  useServiceAccount: Type.Optional(Type.Boolean()),
});
export type AzureBlobCredentials = Static<typeof AzureBlobCredentialsSchema>;

export const StateStoreAzureBlobSchema = Type.Object(
  {
    container: Type.String(),
    endpoint: Type.String({ pattern: AZURE_ENDPOINT_PATTERN }),
    /** Deprecated: use spec.stateStore.dataDirectory. */
    root: Type.Optional(Type.String()),
    credentials: AzureBlobCredentialsSchema,
  },
  cel(RULES.azureBlobNeedsCredentials.cel()),
);
export type StateStoreAzureBlob = Static<typeof StateStoreAzureBlobSchema>;

export const StateStoreHDFSSchema = Type.Object({
  nameNode: Type.String(),
  /** Deprecated: use spec.stateStore.dataDirectory. */
  root: Type.Optional(Type.String()),
});
export type StateStoreHDFS = Static<typeof StateStoreHDFSSchema>;

export const HuaweiCloudOBSCredentialsSchema = Type.Object({
  secretName: Name(),
  accessKeyIDRef: Type.Optional(Type.String({ default: 'AccessKeyIDRef' })),
  accessKeySecretRef: Type.Optional(Type.String({ default: 'AccessKeySecretRef' })),
});
export type HuaweiCloudOBSCredentials = Static<typeof HuaweiCloudOBSCredentialsSchema>;

export const StateStoreHuaweiCloudOBSSchema = Type.Object({
  bucket: Type.String(),
  region: Type.String(),
  credentials: HuaweiCloudOBSCredentialsSchema,
});
export type StateStoreHuaweiCloudOBS = Static<typeof StateStoreHuaweiCloudOBSSchema>;

/**
 * Every backend's schema, in the CRD's order: the schema's properties, the key list and the CEL rule's
 * message all come from this one table (src/builders/env/state-store.ts checks its own against the keys).
 */
const BACKEND_SCHEMAS = {
  memory: Type.Boolean(),
  localDisk: StateStoreLocalDiskSchema,
  minio: StateStoreMinIOSchema,
  s3: StateStoreS3Schema,
  gcs: StateStoreGCSSchema,
  aliyunOSS: StateStoreAliyunOSSSchema,
  azureBlob: StateStoreAzureBlobSchema,
  hdfs: StateStoreHDFSSchema,
  webhdfs: StateStoreHDFSSchema,
  huaweiCloudOBS: StateStoreHuaweiCloudOBSSchema,
};
export type StateStoreBackendKey = keyof typeof BACKEND_SCHEMAS;
export const STATE_STORE_BACKENDS: readonly StateStoreBackendKey[] = Object.keys(BACKEND_SCHEMAS) as StateStoreBackendKey[];

/**
 * The stored value may carry surrounding white space and trailing '/': the hook trims them the way the
 * operator's mutating webhook does (src/api/mutate.ts) before anything else reads it. The pattern and the
 * rule below accept exactly the values whose trimmed form the operator accepts.
 */
export const DATA_DIRECTORY_PATTERN = '^\\s*[0-9a-zA-Z_/-]+\\s*$';
export const DATA_DIRECTORY_MAX_LENGTH = 800;

export const StateStoreSchema = Type.Object(
  {
    dataDirectory: Type.Optional(
      Type.String({
        default: 'hummock',
        pattern: DATA_DIRECTORY_PATTERN,
        maxLength: DATA_DIRECTORY_MAX_LENGTH,
        ...cel(RULES.dataDirectoryShape.cel()),
      }),
    ),
    ...optionalEach(BACKEND_SCHEMAS),
  },
  {
    default: { memory: true },
    ...cel(
      RULES.exactlyOneBackend.cel('state store', STATE_STORE_BACKENDS),
      TRANSITION_RULES.storeImmutable.celOnStore('stateStore'),
    ),
  },
);
export type StateStore = Static<typeof StateStoreSchema>;
