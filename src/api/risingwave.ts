import { FormatRegistry, Type, type Static, type TSchema, type TUnsafe, type ObjectOptions, type ArrayOptions } from '@sinclair/typebox';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IVolumeDevice } from 'kubernetes-models/v1/VolumeDevice';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IPodDNSConfig } from 'kubernetes-models/v1/PodDNSConfig';
import type { ILocalObjectReference } from 'kubernetes-models/v1/LocalObjectReference';
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IHostAlias } from 'kubernetes-models/v1/HostAlias';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IPodOS } from 'kubernetes-models/v1/PodOS';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPersistentVolumeClaimSpec } from 'kubernetes-models/v1/PersistentVolumeClaimSpec';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import type { IHorizontalPodAutoscalerBehavior } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior';

/**
 * The RisingWave v1alpha1 resource (risingwave.risingwavelabs.com), field for field as the Go operator declares
 * it (JSON names, OpenAPI defaults, enums, patterns). This one schema is the source of:
 *  - the CRD's openAPIV3Schema (src/crd/ converts it to a structural schema),
 *  - the hook's defaulting (src/api/prepare.ts applies every `default` below, Kubernetes-style),
 *  - the static types the builders use.
 *
 * Kubernetes types embedded from core/v1 (env, resources, volumes, affinity, containers, ...) are not
 * re-declared: their schema node preserves unknown fields (which keeps the CRD far below the 256 KiB limit and
 * lets the API server validate them when it builds the Pod), while the static type is the kubernetes-models
 * interface. Everything a CEL rule or the hook's own validation must read stays typed.
 */

// ---------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------

/** Marks a schema node whose content Kubernetes must keep as-is (and CEL cannot see). */
export const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

/**
 * Gives a runtime schema a static type. Unlike `Type.Unsafe`, the runtime kind stays a real TypeBox kind
 * (Object/Array), so `Value.Check`/`Value.Default` keep working (Type.Unsafe makes Value.Check throw).
 */
function typed<T>(schema: TSchema): TUnsafe<T> {
  return schema as unknown as TUnsafe<T>;
}

/** An embedded Kubernetes object (e.g. core/v1 Affinity): any object, kept verbatim. */
function EmbeddedObject<T>(options: ObjectOptions = {}): TUnsafe<T> {
  return typed<T>(Type.Object({}, { additionalProperties: true, [PRESERVE]: true, ...options }));
}

/** A list of embedded Kubernetes objects (e.g. core/v1 EnvVar[]). */
function EmbeddedList<T>(options: ArrayOptions = {}): TUnsafe<T[]> {
  return typed<T[]>(Type.Array(Type.Object({}, { additionalProperties: true, [PRESERVE]: true }), options));
}

/** Adds a description (what `kubectl explain` shows) without touching the schema it is given. */
function doc<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description };
}

const StringMap = (options: ObjectOptions = {}) => Type.Record(Type.String(), Type.String(), options);

/** One `x-kubernetes-validations` entry (a CEL rule the API server evaluates on create and update). */
export interface CelRule {
  rule: string;
  message: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
}
export const VALIDATIONS = 'x-kubernetes-validations';
const cel = (...rules: CelRule[]) => ({ [VALIDATIONS]: rules });

/** `has(self.f) && self.f` for an optional boolean. */
const isTrue = (path: string) => {
  const dot = path.lastIndexOf('.');
  return `(has(${path.slice(0, dot)}.${path.slice(dot + 1)}) && ${path})`;
};
const nonEmpty = (path: string) => {
  const dot = path.lastIndexOf('.');
  return `(has(${path.slice(0, dot)}.${path.slice(dot + 1)}) && ${path} != '')`;
};

export const RESERVED_LABEL_PREFIX = 'risingwave/';

/** Label maps that CEL rules walk: bounded so the API server's cost estimate stays within budget. */
export const MAX_LABELS = 256;
const LabelMap = () =>
  StringMap({
    maxProperties: MAX_LABELS,
    ...cel({
      rule: `self.all(k, !k.startsWith('${RESERVED_LABEL_PREFIX}'))`,
      message: `labels must not use the reserved prefix "${RESERVED_LABEL_PREFIX}"`,
    }),
  });

/** `intstr.IntOrString`, exactly the form Kubernetes accepts in a structural schema. */
const IntOrString = (options: Record<string, unknown> = {}) =>
  Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, ...options });

const Int32 = (options: Record<string, unknown> = {}) => Type.Integer({ format: 'int32', ...options });
const Int64 = (options: Record<string, unknown> = {}) => Type.Integer({ format: 'int64', ...options });

/** metav1.Time: RFC 3339 (what the API server checks for `format: date-time`). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export function isRFC3339(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}
// Value.Check refuses any string format it does not know; Ajv gets `date-time` from ajv-formats.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isRFC3339);
const Time = () => Type.String({ format: 'date-time' });

/** Strings that CEL rules read or that end up in object names: bounded for the cost estimator. */
const MAX_NAME = 253;
const MAX_IMAGE = 4096;
const Name = (options: Record<string, unknown> = {}) => Type.String({ maxLength: MAX_NAME, ...options });

// ---------------------------------------------------------------------------------------------------------
// Meta store
// ---------------------------------------------------------------------------------------------------------

export const CredentialsUsernamePasswordSchema = Type.Object({
  secretName: Name(),
  usernameKeyRef: Type.Optional(Type.String({ default: 'username' })),
  passwordKeyRef: Type.Optional(Type.String({ default: 'password' })),
});
export type CredentialsUsernamePassword = Static<typeof CredentialsUsernamePasswordSchema>;

export const MetaStoreEtcdSchema = Type.Object({
  endpoint: Type.String(),
  credentials: Type.Optional(CredentialsUsernamePasswordSchema),
  /** Deprecated: name of a Secret with keys username/password. */
  secret: Type.Optional(Type.String()),
});
export type MetaStoreEtcd = Static<typeof MetaStoreEtcdSchema>;

export const MetaStoreSQLiteSchema = Type.Object({ path: Type.String() });
export type MetaStoreSQLite = Static<typeof MetaStoreSQLiteSchema>;

export const MetaStoreMySQLSchema = Type.Object({
  host: Type.String(),
  port: Int32({ default: 3306, minimum: 1, maximum: 65535 }),
  database: Type.String(),
  options: Type.Optional(StringMap()),
  credentials: CredentialsUsernamePasswordSchema,
});
export type MetaStoreMySQL = Static<typeof MetaStoreMySQLSchema>;

export const MetaStorePostgreSQLSchema = Type.Object({
  host: Type.String(),
  port: Int32({ default: 5432, minimum: 1, maximum: 65535 }),
  database: Type.String(),
  options: Type.Optional(StringMap()),
  credentials: CredentialsUsernamePasswordSchema,
});
export type MetaStorePostgreSQL = Static<typeof MetaStorePostgreSQLSchema>;

export const META_STORE_BACKENDS = ['memory', 'etcd', 'sqlite', 'mysql', 'postgresql'] as const;
export type MetaStoreBackendKey = (typeof META_STORE_BACKENDS)[number];

/** CEL: the number of backends set, `memory: false` not counting (as in the Go webhook). */
function celBackendCount(keys: readonly string[]): string {
  return keys.map((k) => (k === 'memory' ? `(${isTrue('self.memory')} ? 1 : 0)` : `(has(self.${k}) ? 1 : 0)`)).join(' + ');
}

export const MetaStoreSchema = Type.Object(
  {
    memory: Type.Optional(Type.Boolean()),
    etcd: Type.Optional(MetaStoreEtcdSchema),
    sqlite: Type.Optional(MetaStoreSQLiteSchema),
    mysql: Type.Optional(MetaStoreMySQLSchema),
    postgresql: Type.Optional(MetaStorePostgreSQLSchema),
  },
  {
    default: { memory: true },
    ...cel(
      {
        rule: `${celBackendCount(META_STORE_BACKENDS)} == 1`,
        message: `exactly one meta store backend must be set (${META_STORE_BACKENDS.join(', ')})`,
      },
      { rule: 'self == oldSelf', message: 'metaStore is immutable' },
    ),
  },
);
export type MetaStore = Static<typeof MetaStoreSchema>;

// ---------------------------------------------------------------------------------------------------------
// State store
// ---------------------------------------------------------------------------------------------------------

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
  cel(
    {
      rule: `!has(self.endpoint) || ${nonEmpty('self.credentials.secretName')}`,
      message: 'credentials.secretName is required when an S3-compatible endpoint is set',
      fieldPath: '.credentials.secretName',
      reason: 'FieldValueRequired',
    },
    {
      rule: `has(self.endpoint) || ${nonEmpty('self.credentials.secretName')} || ${isTrue('self.credentials.useServiceAccount')}`,
      message: 'AWS S3 needs credentials.secretName or credentials.useServiceAccount',
      fieldPath: '.credentials',
      reason: 'FieldValueRequired',
    },
  ),
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
  cel({
    rule: `has(self.credentials) && (${nonEmpty('self.credentials.secretName')} || ${isTrue('self.credentials.useWorkloadIdentity')})`,
    message: 'GCS needs credentials.secretName or credentials.useWorkloadIdentity',
    fieldPath: '.credentials',
    reason: 'FieldValueRequired',
  }),
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
  cel({
    rule: `${nonEmpty('self.credentials.secretName')} || ${isTrue('self.credentials.useServiceAccount')}`,
    message: 'Azure Blob needs credentials.secretName or credentials.useServiceAccount',
    fieldPath: '.credentials',
    reason: 'FieldValueRequired',
  }),
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

export const STATE_STORE_BACKENDS = [
  'memory',
  'localDisk',
  'minio',
  's3',
  'gcs',
  'aliyunOSS',
  'azureBlob',
  'hdfs',
  'webhdfs',
  'huaweiCloudOBS',
] as const;
export type StateStoreBackendKey = (typeof STATE_STORE_BACKENDS)[number];

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
        ...cel({
          rule: "!self.matches('^\\\\s*/') && !self.matches('//+[^/\\\\s]')",
          message: "dataDirectory must not start with '/' nor contain '//' (trailing '/' and white space are trimmed)",
        }),
      }),
    ),
    memory: Type.Optional(Type.Boolean()),
    localDisk: Type.Optional(StateStoreLocalDiskSchema),
    minio: Type.Optional(StateStoreMinIOSchema),
    s3: Type.Optional(StateStoreS3Schema),
    gcs: Type.Optional(StateStoreGCSSchema),
    aliyunOSS: Type.Optional(StateStoreAliyunOSSSchema),
    azureBlob: Type.Optional(StateStoreAzureBlobSchema),
    hdfs: Type.Optional(StateStoreHDFSSchema),
    webhdfs: Type.Optional(StateStoreHDFSSchema),
    huaweiCloudOBS: Type.Optional(StateStoreHuaweiCloudOBSSchema),
  },
  {
    default: { memory: true },
    ...cel(
      {
        rule: `${celBackendCount(STATE_STORE_BACKENDS)} == 1`,
        message: `exactly one state store backend must be set (${STATE_STORE_BACKENDS.join(', ')})`,
      },
      { rule: 'self == oldSelf', message: 'stateStore is immutable' },
    ),
  },
);
export type StateStore = Static<typeof StateStoreSchema>;

// ---------------------------------------------------------------------------------------------------------
// Configuration, TLS, license, secret store
// ---------------------------------------------------------------------------------------------------------

export const DEFAULT_CONFIG_KEY = 'risingwave.toml';

export const ConfigurationRefSchema = Type.Object({
  name: Type.Optional(Name()),
  key: Type.Optional(Type.String({ default: DEFAULT_CONFIG_KEY })),
  optional: Type.Optional(Type.Boolean()),
});
export type ConfigurationRef = Static<typeof ConfigurationRefSchema>;

export const ConfigurationSourceSchema = Type.Object({
  configMap: Type.Optional(ConfigurationRefSchema),
  secret: Type.Optional(ConfigurationRefSchema),
});
export type ConfigurationSource = Static<typeof ConfigurationSourceSchema>;

export const TLSSchema = Type.Object({ secretName: Type.Optional(Name()) });
export type TLS = Static<typeof TLSSchema>;

export const LicenseKeySchema = Type.Object({
  secretName: Type.Optional(Name()),
  secretKey: Type.Optional(Type.String({ default: 'licenseKey' })),
  passAsFile: Type.Optional(Type.Boolean()),
});
export type LicenseKey = Static<typeof LicenseKeySchema>;

export const PRIVATE_KEY_PATTERN = '^[0-9a-f]{32}$';

export const SecretKeyRefSchema = Type.Object({ name: Name(), key: Type.String() });
export type SecretKeyRef = Static<typeof SecretKeyRefSchema>;

export const PrivateKeySchema = Type.Object(
  {
    value: Type.Optional(Type.String({ pattern: PRIVATE_KEY_PATTERN })),
    secretRef: Type.Optional(SecretKeyRefSchema),
  },
  cel({ rule: 'has(self.value) != has(self.secretRef)', message: 'exactly one of value and secretRef must be set' }),
);
export type PrivateKey = Static<typeof PrivateKeySchema>;

export const SecretStoreSchema = Type.Object({ privateKey: Type.Optional(PrivateKeySchema) });
export type SecretStore = Static<typeof SecretStoreSchema>;

export const ServiceMetadataSchema = Type.Object({
  labels: Type.Optional(LabelMap()),
  annotations: Type.Optional(StringMap()),
});
export type ServiceMetadata = Static<typeof ServiceMetadataSchema>;

// ---------------------------------------------------------------------------------------------------------
// Node groups
// ---------------------------------------------------------------------------------------------------------

export const UPGRADE_STRATEGY_TYPES = ['Recreate', 'RollingUpdate', 'InPlaceIfPossible', 'InPlaceOnly'] as const;
export type UpgradeStrategyType = (typeof UPGRADE_STRATEGY_TYPES)[number];

export const RollingUpdateSchema = Type.Object({
  maxUnavailable: Type.Optional(IntOrString({ default: '25%' })),
  partition: Type.Optional(IntOrString({ default: 0 })),
  maxSurge: Type.Optional(IntOrString({ default: 0 })),
});
export type RollingUpdate = Static<typeof RollingUpdateSchema>;

export const InPlaceUpdateStrategySchema = Type.Object({
  gracePeriodSeconds: Type.Optional(Int32()),
});
export type InPlaceUpdateStrategy = Static<typeof InPlaceUpdateStrategySchema>;

export const UpgradeStrategySchema = Type.Object(
  {
    type: Type.Optional(
      Type.Union(
        UPGRADE_STRATEGY_TYPES.map((t) => Type.Literal(t)),
        { default: 'RollingUpdate' },
      ),
    ),
    rollingUpdate: Type.Optional(RollingUpdateSchema),
    inPlaceUpdateStrategy: Type.Optional(InPlaceUpdateStrategySchema),
  },
  cel({
    rule: "!(has(self.type) && self.type == 'Recreate' && has(self.rollingUpdate))",
    message: 'rollingUpdate must not be set when type is Recreate',
    fieldPath: '.rollingUpdate',
    reason: 'FieldValueForbidden',
  }),
);
export type UpgradeStrategy = Static<typeof UpgradeStrategySchema>;

export const PULL_POLICIES = ['Always', 'Never', 'IfNotPresent'] as const;
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;

export const NodeGroupPodSpecSchema = Type.Object({
  // Container part (applied to the RisingWave container).
  image: Type.Optional(Type.String({ maxLength: MAX_IMAGE })),
  imagePullPolicy: Type.Optional(Type.Union(PULL_POLICIES.map((p) => Type.Literal(p)))),
  env: Type.Optional(EmbeddedList<IEnvVar>()),
  envFrom: Type.Optional(EmbeddedList<IEnvFromSource>()),
  resources: Type.Optional(EmbeddedObject<IResourceRequirements>()),
  volumeMounts: Type.Optional(EmbeddedList<IVolumeMount>()),
  volumeDevices: Type.Optional(EmbeddedList<IVolumeDevice>()),
  securityContext: Type.Optional(EmbeddedObject<ISecurityContext>()),
  // Pod part.
  volumes: Type.Optional(EmbeddedList<IVolume>()),
  podSecurityContext: Type.Optional(EmbeddedObject<IPodSecurityContext>()),
  activeDeadlineSeconds: Type.Optional(Int64()),
  terminationGracePeriodSeconds: Type.Optional(Int64()),
  dnsPolicy: Type.Optional(Type.Union(DNS_POLICIES.map((p) => Type.Literal(p)))),
  dnsConfig: Type.Optional(EmbeddedObject<IPodDNSConfig>()),
  nodeSelector: Type.Optional(StringMap()),
  serviceAccountName: Type.Optional(Type.String()),
  automountServiceAccountToken: Type.Optional(Type.Boolean()),
  hostPID: Type.Optional(Type.Boolean()),
  hostIPC: Type.Optional(Type.Boolean()),
  shareProcessNamespace: Type.Optional(Type.Boolean()),
  imagePullSecrets: Type.Optional(EmbeddedList<ILocalObjectReference>()),
  affinity: Type.Optional(EmbeddedObject<IAffinity>()),
  schedulerName: Type.Optional(Type.String()),
  tolerations: Type.Optional(EmbeddedList<IToleration>()),
  hostAliases: Type.Optional(EmbeddedList<IHostAlias>()),
  priorityClassName: Type.Optional(Type.String()),
  priority: Type.Optional(Int32()),
  runtimeClassName: Type.Optional(Type.String()),
  preemptionPolicy: Type.Optional(Type.String()),
  topologySpreadConstraints: Type.Optional(EmbeddedList<ITopologySpreadConstraint>()),
  setHostnameAsFQDN: Type.Optional(Type.Boolean()),
  os: Type.Optional(EmbeddedObject<IPodOS>()),
  hostUsers: Type.Optional(Type.Boolean()),
  additionalContainers: Type.Optional(EmbeddedList<IContainer>()),
  initContainers: Type.Optional(EmbeddedList<IContainer>()),
});
export type NodeGroupPodSpec = Static<typeof NodeGroupPodSpecSchema>;

export const PartialObjectMetaSchema = Type.Object({
  labels: Type.Optional(LabelMap()),
  annotations: Type.Optional(StringMap()),
});
export type PartialObjectMeta = Static<typeof PartialObjectMetaSchema>;

export const NodeGroupTemplateSchema = Type.Object({
  metadata: Type.Optional(PartialObjectMetaSchema),
  spec: Type.Optional(NodeGroupPodSpecSchema),
});
export type NodeGroupTemplate = Static<typeof NodeGroupTemplateSchema>;

export const PersistentVolumeClaimTemplateSchema = Type.Object({
  metadata: Type.Optional(
    Type.Object({
      name: Type.Optional(Name()),
      labels: Type.Optional(StringMap()),
      annotations: Type.Optional(StringMap()),
      finalizers: Type.Optional(Type.Array(Type.String())),
    }),
  ),
  spec: Type.Optional(EmbeddedObject<IPersistentVolumeClaimSpec>()),
});
export type PersistentVolumeClaimTemplate = Static<typeof PersistentVolumeClaimTemplateSchema>;

export const PVC_RETENTION_POLICIES = ['Retain', 'Delete'] as const;

export const PersistentVolumeClaimRetentionPolicySchema = Type.Object({
  whenDeleted: Type.Optional(Type.Union(PVC_RETENTION_POLICIES.map((p) => Type.Literal(p)))),
  whenScaled: Type.Optional(Type.Union(PVC_RETENTION_POLICIES.map((p) => Type.Literal(p)))),
});
export type PersistentVolumeClaimRetentionPolicy = Static<typeof PersistentVolumeClaimRetentionPolicySchema>;

/** Group names: empty (the default group) or a DNS-1123 subdomain; the Go operator's pattern. */
export const GROUP_NAME_PATTERN = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** Bounds the metrics list so the CEL rule that reads its size stays cheap for 1000 groups. */
export const MAX_AUTOSCALING_METRICS = 32;

/**
 * Per-group autoscaling: the hook owns an autoscaling/v2 HorizontalPodAutoscaler named like the group's
 * workload, and leaves the workload's replica count to it (see src/builders/autoscaler.ts).
 * `metrics` and `behavior` are the HPA's own types, kept verbatim (the API server validates them when it
 * stores the HPA; the hook checks them against the same rules first, see src/api/validation.ts).
 */
export const NodeGroupAutoscalingSchema = Type.Object(
  {
    minReplicas: doc(Type.Optional(Int32({ minimum: 1, default: 1 })), 'Fewest pods the autoscaler keeps (HPA minReplicas, at least 1).'),
    maxReplicas: doc(Int32({ minimum: 1 }), 'Most pods the autoscaler may run (HPA maxReplicas).'),
    targetCPUUtilizationPercentage: doc(
      Type.Optional(Int32({ minimum: 1 })),
      'Average CPU utilization (percent of the pods\' CPU request) to aim for; becomes a Resource cpu Utilization metric.',
    ),
    metrics: doc(
      Type.Optional(EmbeddedList<IMetricSpec>({ maxItems: MAX_AUTOSCALING_METRICS })),
      'autoscaling/v2 MetricSpec list, passed to the HorizontalPodAutoscaler as written (after targetCPUUtilizationPercentage\'s metric).',
    ),
    behavior: doc(Type.Optional(EmbeddedObject<IHorizontalPodAutoscalerBehavior>()), 'autoscaling/v2 scaling behavior (scaleUp/scaleDown rules), passed to the HorizontalPodAutoscaler.'),
  },
  cel(
    {
      rule: '!has(self.minReplicas) || self.minReplicas <= self.maxReplicas',
      message: 'autoscaling.minReplicas must be less than or equal to autoscaling.maxReplicas',
      fieldPath: '.minReplicas',
    },
    {
      rule: 'has(self.targetCPUUtilizationPercentage) || (has(self.metrics) && self.metrics.size() > 0)',
      message: 'autoscaling needs targetCPUUtilizationPercentage or at least one entry in metrics',
      reason: 'FieldValueRequired',
    },
  ),
);
export type NodeGroupAutoscaling = Static<typeof NodeGroupAutoscalingSchema>;

export const NodeGroupSchema = Type.Object({
  name: doc(Type.String({ default: '', pattern: GROUP_NAME_PATTERN, maxLength: MAX_NAME }), 'Group name: empty (the default group) or a DNS-1123 subdomain, unique within the component.'),
  replicas: doc(Type.Optional(Int32({ minimum: 0 })), 'Number of pods in the group (0 when omitted).'),
  restartAt: doc(Type.Optional(Time()), 'Changing this timestamp restarts every pod of the group.'),
  configuration: doc(Type.Optional(ConfigurationSourceSchema), 'risingwave.toml for this group, replacing spec.configuration.'),
  upgradeStrategy: doc(Type.Optional(UpgradeStrategySchema), 'How pods are replaced on a change.'),
  minReadySeconds: doc(Type.Optional(Int32()), 'Seconds a new pod must be ready before it counts as available.'),
  progressDeadlineSeconds: doc(Type.Optional(Int32()), 'Deployments only: seconds before a stalled rollout is reported.'),
  volumeClaimTemplates: doc(Type.Optional(Type.Array(PersistentVolumeClaimTemplateSchema)), 'StatefulSets only: persistent volume claims per pod.'),
  persistentVolumeClaimRetentionPolicy: doc(Type.Optional(PersistentVolumeClaimRetentionPolicySchema), 'StatefulSets only: what happens to the claims on deletion and scale-down.'),
  template: doc(Type.Optional(NodeGroupTemplateSchema), 'Pod metadata and a curated subset of the pod and RisingWave container spec.'),
  autoscaling: doc(
    Type.Optional(NodeGroupAutoscalingSchema),
    'Scale the group with a HorizontalPodAutoscaler; `replicas` then only sets the first size (clamped into the bounds).',
  ),
});
export type NodeGroup = Static<typeof NodeGroupSchema>;

/** Benchmarks run RisingWaves with 1000 compute groups; the API server's CEL cost estimate uses this bound. */
export const MAX_NODE_GROUPS = 1000;

export const RisingWaveComponentSchema = Type.Object({
  logLevel: Type.Optional(Type.String({ default: 'INFO' })),
  disallowPrintStackTraces: Type.Optional(Type.Boolean()),
  nodeGroups: Type.Optional(
    Type.Array(NodeGroupSchema, {
      maxItems: MAX_NODE_GROUPS,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
});
export type RisingWaveComponent = Static<typeof RisingWaveComponentSchema>;

export const StandaloneComponentSchema = Type.Object({
  logLevel: Type.Optional(Type.String({ default: 'INFO' })),
  disallowPrintStackTraces: Type.Optional(Type.Boolean()),
  restartAt: Type.Optional(Time()),
  replicas: Int32({ default: 1, minimum: 0, maximum: 1 }),
  upgradeStrategy: Type.Optional(UpgradeStrategySchema),
  minReadySeconds: Type.Optional(Int32()),
  volumeClaimTemplates: Type.Optional(Type.Array(PersistentVolumeClaimTemplateSchema)),
  persistentVolumeClaimRetentionPolicy: Type.Optional(PersistentVolumeClaimRetentionPolicySchema),
  progressDeadlineSeconds: Type.Optional(Int32()),
  template: Type.Optional(NodeGroupTemplateSchema),
});
export type StandaloneComponent = Static<typeof StandaloneComponentSchema>;

export const COMPONENTS = ['meta', 'frontend', 'compute', 'compactor'] as const;
export type Component = (typeof COMPONENTS)[number];

export const ComponentsSchema = Type.Object({
  meta: Type.Optional(RisingWaveComponentSchema),
  frontend: Type.Optional(RisingWaveComponentSchema),
  compute: Type.Optional(RisingWaveComponentSchema),
  compactor: Type.Optional(RisingWaveComponentSchema),
  standalone: Type.Optional(StandaloneComponentSchema),
});
export type Components = Static<typeof ComponentsSchema>;

// ---------------------------------------------------------------------------------------------------------
// Spec
// ---------------------------------------------------------------------------------------------------------

export const FRONTEND_SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

export const RisingWaveSpecSchema = Type.Object(
  {
    image: doc(Type.String({ maxLength: MAX_IMAGE }), "Image of every RisingWave container, e.g. risingwavelabs/risingwave:v2.1.0. A node group's template.spec.image overrides it."),
    enableOpenKruise: doc(Type.Optional(Type.Boolean({ default: false })), 'Use OpenKruise workloads. Not supported by this controller: must stay false.'),
    enableFrontendStatefulSet: doc(Type.Optional(Type.Boolean({ default: false })), 'Run the frontend as a StatefulSet instead of a Deployment.'),
    enableDefaultServiceMonitor: doc(Type.Optional(Type.Boolean()), 'Create a Prometheus-operator ServiceMonitor for the cluster.'),
    enableFullKubernetesAddr: doc(Type.Optional(Type.Boolean({ default: false })), 'Use <service>.<namespace>.svc addresses between components. Not safe to change on a running cluster.'),
    enableStandaloneMode: doc(Type.Optional(Type.Boolean({ default: false })), 'Run a single all-in-one pod (components.standalone); the meta/frontend/compute/compactor node groups are ignored.'),
    enableEmbeddedServingMode: doc(Type.Optional(Type.Boolean({ default: false })), 'Frontend pods also run a serving compute node; compute nodes do streaming only.'),
    enableAdvertisingWithIP: doc(Type.Optional(Type.Boolean()), 'Meta and compute nodes advertise their pod IP instead of their DNS name.'),
    enableWebhookListener: doc(Type.Optional(Type.Boolean({ default: true })), 'Frontend listens for webhooks on port 4560.'),
    frontendServiceType: Type.Optional(
      Type.Union(
        FRONTEND_SERVICE_TYPES.map((t) => Type.Literal(t)),
        { default: 'ClusterIP', description: 'Type of the frontend Service.' },
      ),
    ),
    additionalFrontendServiceMetadata: doc(Type.Optional(ServiceMetadataSchema), 'Labels and annotations added to the frontend Service.'),
    additionalMetaServiceMetadata: doc(Type.Optional(ServiceMetadataSchema), 'Labels and annotations added to the meta Service.'),
    standaloneMode: doc(Type.Optional(Int32({ default: 0, minimum: 0, maximum: 2 })), 'Standalone flavour: 0 picks by image version, 1 is the legacy standalone, 2 is single-node.'),
    metaStore: doc(Type.Optional(MetaStoreSchema), 'Where the meta service keeps its metadata: exactly one backend. Immutable.'),
    stateStore: doc(Type.Optional(StateStoreSchema), 'Where the Hummock state lives: exactly one backend plus the data directory. Immutable.'),
    configuration: doc(Type.Optional(ConfigurationSourceSchema), "Cluster-wide risingwave.toml, from a ConfigMap or a Secret. A node group's configuration replaces it."),
    tls: doc(Type.Optional(TLSSchema), 'Secret with tls.key and tls.crt for SQL connections; none means no TLS.'),
    licenseKey: doc(Type.Optional(LicenseKeySchema), 'Secret holding the RisingWave license key.'),
    secretStore: doc(Type.Optional(SecretStoreSchema), "Private key of RisingWave's secret store. Can be set once, never changed."),
    components: doc(Type.Optional(ComponentsSchema), 'Node groups of each component, or the standalone pod.'),
  },
  cel(
    {
      rule:
        `!(has(self.metaStore) && ${isTrue('self.metaStore.memory')}) || !has(self.components) || ` +
        '!has(self.components.meta) || !has(self.components.meta.nodeGroups) || ' +
        'self.components.meta.nodeGroups.map(g, has(g.autoscaling) ? g.autoscaling.maxReplicas : (has(g.replicas) ? g.replicas : 0)).sum() <= 1',
      message: 'the memory meta store allows at most 1 meta replica in total (an autoscaled group counts its maxReplicas)',
      fieldPath: '.components.meta.nodeGroups',
    },
    // Transition rules on the always-present spec catch removals the fields' own rules cannot see.
    { rule: '!has(oldSelf.metaStore) || has(self.metaStore)', message: 'metaStore is immutable' },
    { rule: '!has(oldSelf.stateStore) || has(self.stateStore)', message: 'stateStore is immutable' },
    {
      rule:
        '!has(oldSelf.secretStore) || !has(oldSelf.secretStore.privateKey) || ' +
        '(has(self.secretStore) && has(self.secretStore.privateKey) && self.secretStore.privateKey == oldSelf.secretStore.privateKey)',
      message: 'secretStore.privateKey cannot be changed or removed once set',
      fieldPath: '.secretStore.privateKey',
    },
  ),
);
export type RisingWaveSpec = Static<typeof RisingWaveSpecSchema>;

// ---------------------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------------------

export const META_STORE_BACKEND_TYPES = ['Memory', 'Etcd', 'PostgreSQL', 'MySQL', 'SQLite', 'Unknown'] as const;
export type MetaStoreBackendType = (typeof META_STORE_BACKEND_TYPES)[number];
export const STATE_STORE_BACKEND_TYPES = [
  'Memory',
  'MinIO',
  'S3',
  'HDFS',
  'WebHDFS',
  'GCS',
  'AliyunOSS',
  'AzureBlob',
  'LocalDisk',
  'HuaweiCloudOBS',
  'Unknown',
] as const;
export type StateStoreBackendType = (typeof STATE_STORE_BACKEND_TYPES)[number];

/** A group's HorizontalPodAutoscaler as status reports it: its bounds, and its own status once it has acted. */
export const GroupAutoscalingStatusSchema = Type.Object({
  minReplicas: Int32(),
  maxReplicas: Int32(),
  currentReplicas: Type.Optional(Int32()),
  desiredReplicas: Type.Optional(Int32()),
});
export type GroupAutoscalingStatus = Static<typeof GroupAutoscalingStatusSchema>;

export const GroupReplicaStatusSchema = Type.Object({
  name: Type.String(),
  target: Type.Optional(Int32()),
  running: Type.Optional(Int32()),
  exists: Type.Optional(Type.Boolean()),
  autoscaling: Type.Optional(GroupAutoscalingStatusSchema),
});
export type GroupReplicaStatus = Static<typeof GroupReplicaStatusSchema>;

export const ComponentReplicaStatusSchema = Type.Object({
  target: Type.Optional(Int32()),
  running: Type.Optional(Int32()),
  groups: Type.Optional(
    Type.Array(GroupReplicaStatusSchema, {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
});
export type ComponentReplicaStatus = Static<typeof ComponentReplicaStatusSchema>;

export const ComponentReplicasSchema = Type.Object({
  meta: Type.Optional(ComponentReplicaStatusSchema),
  frontend: Type.Optional(ComponentReplicaStatusSchema),
  compute: Type.Optional(ComponentReplicaStatusSchema),
  compactor: Type.Optional(ComponentReplicaStatusSchema),
  standalone: Type.Optional(ComponentReplicaStatusSchema),
});
export type ComponentReplicas = Static<typeof ComponentReplicasSchema>;

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export const RisingWaveConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.Union(CONDITION_STATUSES.map((s) => Type.Literal(s))),
  lastTransitionTime: Type.Optional(Time()),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type RisingWaveCondition = Static<typeof RisingWaveConditionSchema>;

export const ScaleViewLockSchema = Type.Object({
  name: Type.String(),
  uid: Type.String(),
  component: Type.String(),
  generation: Int64(),
  groupLocks: Type.Optional(
    Type.Array(Type.Object({ name: Type.String(), replicas: Int32() }), {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
});
export type ScaleViewLock = Static<typeof ScaleViewLockSchema>;

export const RisingWaveStatusSchema = Type.Object({
  observedGeneration: Type.Optional(Int64()),
  version: Type.Optional(Type.String()),
  metaStore: Type.Optional(
    Type.Object({ backend: Type.Optional(Type.Union(META_STORE_BACKEND_TYPES.map((b) => Type.Literal(b)))) }),
  ),
  stateStore: Type.Optional(
    Type.Object({ backend: Type.Optional(Type.Union(STATE_STORE_BACKEND_TYPES.map((b) => Type.Literal(b)))) }),
  ),
  componentReplicas: Type.Optional(ComponentReplicasSchema),
  conditions: Type.Optional(
    Type.Array(RisingWaveConditionSchema, {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    }),
  ),
  scaleViews: Type.Optional(Type.Array(ScaleViewLockSchema)),
  internal: Type.Optional(Type.Object({ stateStoreRootPath: Type.Optional(Type.String()) })),
});
export type RisingWaveStatus = Static<typeof RisingWaveStatusSchema>;

// ---------------------------------------------------------------------------------------------------------
// The resource
// ---------------------------------------------------------------------------------------------------------

export const GROUP = 'risingwave.risingwavelabs.com';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'RisingWave';

export const ObjectMetaSchema = Type.Object(
  {
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer()),
    resourceVersion: Type.Optional(Type.String()),
    creationTimestamp: Type.Optional(Type.String()),
    deletionTimestamp: Type.Optional(Type.String()),
    labels: Type.Optional(StringMap()),
    annotations: Type.Optional(StringMap()),
  },
  { additionalProperties: true },
);
export type ObjectMeta = Static<typeof ObjectMetaSchema>;

export const RisingWaveSchema = Type.Object(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal(KIND),
    metadata: ObjectMetaSchema,
    spec: RisingWaveSpecSchema,
    status: Type.Optional(RisingWaveStatusSchema),
  },
  { additionalProperties: true },
);
export type RisingWave = Static<typeof RisingWaveSchema>;
