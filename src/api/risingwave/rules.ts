/**
 * The rules both the CRD and the hook enforce, one row each: the CEL rule and message the API server
 * evaluates (placed in the schema by the section that owns the node), and the hook's check of the same
 * node, which src/api/validation.ts runs for objects the API server never checked. The two messages are
 * worded for their readers (the API server prefixes its own field path; the hook's name the path) and are
 * kept as they were, but they sit side by side so one rule cannot change without the other.
 * Transition rules (they read `oldSelf`) are rows of TRANSITION_RULES: a Metacontroller sync request carries
 * no previous spec, so in a cluster only the CEL side acts, and the hook's side is validateTransition, for
 * tests and the CLI. test/api/rules.test.ts checks that every row is in the generated CRD where it belongs,
 * that the CRD has no CEL rule outside the table, and that the hook refuses an example of every row.
 *
 * This module imports nothing of the schema, so the schema's building blocks and sections can use it.
 */
import { isDeepStrictEqual } from 'node:util';

/** One `x-kubernetes-validations` entry (a CEL rule the API server evaluates on create and update). */
export interface CelRule {
  rule: string;
  message: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
}

/** A rule of both sides: the CRD's CEL on a node, and the hook's check of that node (`self`) at `path`. */
export interface SpecRule<Self, Params extends unknown[] = []> {
  readonly cel: (...params: Params) => CelRule;
  readonly check: (self: Self, path: string, ...params: Params) => string[];
}

/** `has(self.f) && self.f` for an optional boolean. */
export const isTrue = (path: string) => {
  const dot = path.lastIndexOf('.');
  return `(has(${path.slice(0, dot)}.${path.slice(dot + 1)}) && ${path})`;
};
export const nonEmpty = (path: string) => {
  const dot = path.lastIndexOf('.');
  return `(has(${path.slice(0, dot)}.${path.slice(dot + 1)}) && ${path} != '')`;
};

/** CEL: the number of backends set, `memory: false` not counting (as in the Go webhook). */
function celBackendCount(keys: readonly string[]): string {
  return keys.map((k) => (k === 'memory' ? `(${isTrue('self.memory')} ? 1 : 0)` : `(has(self.${k}) ? 1 : 0)`)).join(' + ');
}

const hasText = (s: string | undefined): boolean => s !== undefined && s !== '';

export const RESERVED_LABEL_PREFIX = 'risingwave/';

/** Backends set, in declaration order; `memory: false` is not a backend. */
function backendsSet(store: object | undefined, keys: readonly string[]): string[] {
  const record = (store ?? {}) as Record<string, unknown>;
  return keys.filter((k) => (k === 'memory' ? record[k] === true : record[k] !== undefined && record[k] !== null));
}

interface Credentials {
  secretName?: string | undefined;
  useServiceAccount?: boolean | undefined;
  useWorkloadIdentity?: boolean | undefined;
}
interface Autoscaling {
  minReplicas?: number | undefined;
  maxReplicas: number;
  targetCPUUtilizationPercentage?: number | undefined;
  metrics?: readonly unknown[] | undefined;
}
interface MetaGroups {
  metaStore?: { memory?: boolean | undefined } | undefined;
  components?: { meta?: { nodeGroups?: readonly { replicas?: number | undefined; autoscaling?: { maxReplicas: number } | undefined }[] | undefined } | undefined } | undefined;
}

/** What a meta group can grow to: an autoscaled group up to its maxReplicas. */
function mostReplicas(group: { replicas?: number | undefined; autoscaling?: { maxReplicas: number } | undefined }): number {
  return group.autoscaling !== undefined ? group.autoscaling.maxReplicas : (group.replicas ?? 0);
}

export const RULES = {
  /** On every user label map (Service metadata, pod template metadata). */
  reservedLabelPrefix: {
    cel: () => ({
      rule: `self.all(k, !k.startsWith('${RESERVED_LABEL_PREFIX}'))`,
      message: `labels must not use the reserved prefix "${RESERVED_LABEL_PREFIX}"`,
    }),
    check: (labels, path) =>
      Object.keys(labels ?? {})
        .filter((key) => key.startsWith(RESERVED_LABEL_PREFIX))
        .sort()
        .map((key) => `${path}: label ${JSON.stringify(key)} uses the reserved prefix "${RESERVED_LABEL_PREFIX}"`),
  } satisfies SpecRule<Record<string, string> | undefined>,

  /** On `spec.metaStore` and `spec.stateStore`, over that store's backend keys. */
  exactlyOneBackend: {
    cel: (what, keys) => ({
      rule: `${celBackendCount(keys)} == 1`,
      message: `exactly one ${what} backend must be set (${keys.join(', ')})`,
    }),
    check: (store, path, _what, keys) => {
      const found = backendsSet(store, keys);
      if (found.length === 1) return [];
      if (found.length === 0) return [`${path}: exactly one backend must be set, found none`];
      return [`${path}: exactly one backend must be set, found ${found.slice(0, -1).join(', ')} and ${found.at(-1)}`];
    },
  } satisfies SpecRule<object | undefined, [what: string, keys: readonly string[]]>,

  /** On `spec.stateStore.s3`. */
  s3CompatibleNeedsSecret: {
    cel: () => ({
      rule: `!has(self.endpoint) || ${nonEmpty('self.credentials.secretName')}`,
      message: 'credentials.secretName is required when an S3-compatible endpoint is set',
      fieldPath: '.credentials.secretName',
      reason: 'FieldValueRequired',
    }),
    check: (s3, path) =>
      hasText(s3.endpoint) && !hasText(s3.credentials?.secretName)
        ? [`${path}.credentials.secretName: required when ${path}.endpoint is set`]
        : [],
  } satisfies SpecRule<{ endpoint?: string | undefined; credentials?: Credentials | undefined }>,

  /** On `spec.stateStore.s3`. */
  awsS3NeedsCredentials: {
    cel: () => ({
      rule: `has(self.endpoint) || ${nonEmpty('self.credentials.secretName')} || ${isTrue('self.credentials.useServiceAccount')}`,
      message: 'AWS S3 needs credentials.secretName or credentials.useServiceAccount',
      fieldPath: '.credentials',
      reason: 'FieldValueRequired',
    }),
    check: (s3, path) =>
      !hasText(s3.endpoint) && !hasText(s3.credentials?.secretName) && s3.credentials?.useServiceAccount !== true
        ? [`${path}.credentials: AWS S3 needs secretName or useServiceAccount: true`]
        : [],
  } satisfies SpecRule<{ endpoint?: string | undefined; credentials?: Credentials | undefined }>,

  /** On `spec.stateStore.gcs`. */
  gcsNeedsCredentials: {
    cel: () => ({
      rule: `has(self.credentials) && (${nonEmpty('self.credentials.secretName')} || ${isTrue('self.credentials.useWorkloadIdentity')})`,
      message: 'GCS needs credentials.secretName or credentials.useWorkloadIdentity',
      fieldPath: '.credentials',
      reason: 'FieldValueRequired',
    }),
    check: (gcs, path) =>
      !hasText(gcs.credentials?.secretName) && gcs.credentials?.useWorkloadIdentity !== true
        ? [`${path}.credentials: GCS needs secretName or useWorkloadIdentity: true`]
        : [],
  } satisfies SpecRule<{ credentials?: Credentials | undefined }>,

  /** On `spec.stateStore.azureBlob`. */
  azureBlobNeedsCredentials: {
    cel: () => ({
      rule: `${nonEmpty('self.credentials.secretName')} || ${isTrue('self.credentials.useServiceAccount')}`,
      message: 'Azure Blob needs credentials.secretName or credentials.useServiceAccount',
      fieldPath: '.credentials',
      reason: 'FieldValueRequired',
    }),
    check: (azure, path) =>
      !hasText(azure.credentials?.secretName) && azure.credentials?.useServiceAccount !== true
        ? [`${path}.credentials: Azure Blob needs secretName or useServiceAccount: true`]
        : [],
  } satisfies SpecRule<{ credentials?: Credentials | undefined }>,

  /**
   * On `spec.stateStore.dataDirectory`. The CRD sees the stored value, which may still carry the white space
   * and trailing '/' the hook trims first (src/api/mutate.ts); the hook checks the trimmed value.
   */
  dataDirectoryShape: {
    cel: () => ({
      rule: "!self.matches('^\\\\s*/') && !self.matches('//+[^/\\\\s]')",
      message: "dataDirectory must not start with '/' nor contain '//' (trailing '/' and white space are trimmed)",
    }),
    check: (dir, path) => [
      ...(dir.startsWith('/') ? [`${path}: must not start with '/'`] : []),
      // Never true of a trimmed value; said for callers that hand the hook an untrimmed one.
      ...(dir.endsWith('/') ? [`${path}: must not end with '/'`] : []),
      ...(dir.includes('//') ? [`${path}: must not contain '//'`] : []),
    ],
  } satisfies SpecRule<string>,

  /** On `spec.secretStore.privateKey`. */
  privateKeyOneSource: {
    cel: () => ({ rule: 'has(self.value) != has(self.secretRef)', message: 'exactly one of value and secretRef must be set' }),
    check: (key, path) => {
      if (key.value !== undefined && key.secretRef !== undefined) return [`${path}: value and secretRef cannot both be set`];
      if (key.value === undefined && key.secretRef === undefined) return [`${path}: one of value and secretRef must be set`];
      return [];
    },
  } satisfies SpecRule<{ value?: unknown; secretRef?: unknown }>,

  /** On every `upgradeStrategy`. */
  recreateWithoutRollingUpdate: {
    cel: () => ({
      rule: "!(has(self.type) && self.type == 'Recreate' && has(self.rollingUpdate))",
      message: 'rollingUpdate must not be set when type is Recreate',
      fieldPath: '.rollingUpdate',
      reason: 'FieldValueForbidden',
    }),
    check: (strategy, path) =>
      strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined ? [`${path}.rollingUpdate: must not be set when type is Recreate`] : [],
  } satisfies SpecRule<{ type?: string | undefined; rollingUpdate?: unknown }>,

  /** On every node group's `autoscaling`. */
  autoscalingBounds: {
    cel: () => ({
      rule: '!has(self.minReplicas) || self.minReplicas <= self.maxReplicas',
      message: 'autoscaling.minReplicas must be less than or equal to autoscaling.maxReplicas',
      fieldPath: '.minReplicas',
    }),
    check: (autoscaling, path) => {
      const min = autoscaling.minReplicas ?? 1;
      return min > autoscaling.maxReplicas ? [`${path}.minReplicas: ${min} is greater than maxReplicas ${autoscaling.maxReplicas}`] : [];
    },
  } satisfies SpecRule<Autoscaling>,

  /** On every node group's `autoscaling`. */
  autoscalingHasMetric: {
    cel: () => ({
      rule: 'has(self.targetCPUUtilizationPercentage) || (has(self.metrics) && self.metrics.size() > 0)',
      message: 'autoscaling needs targetCPUUtilizationPercentage or at least one entry in metrics',
      reason: 'FieldValueRequired',
    }),
    check: (autoscaling, path) =>
      autoscaling.targetCPUUtilizationPercentage === undefined && (autoscaling.metrics ?? []).length === 0
        ? [`${path}: needs targetCPUUtilizationPercentage or at least one entry in metrics`]
        : [],
  } satisfies SpecRule<Autoscaling>,

  /** On `spec`. */
  memoryMetaStoreSingleMeta: {
    cel: () => ({
      rule:
        `!(has(self.metaStore) && ${isTrue('self.metaStore.memory')}) || !has(self.components) || ` +
        '!has(self.components.meta) || !has(self.components.meta.nodeGroups) || ' +
        'self.components.meta.nodeGroups.map(g, has(g.autoscaling) ? g.autoscaling.maxReplicas : (has(g.replicas) ? g.replicas : 0)).sum() <= 1',
      message: 'the memory meta store allows at most 1 meta replica in total (an autoscaled group counts its maxReplicas)',
      fieldPath: '.components.meta.nodeGroups',
    }),
    check: (spec, path) => {
      if (spec.metaStore?.memory !== true) return [];
      const total = (spec.components?.meta?.nodeGroups ?? []).reduce((sum, g) => sum + mostReplicas(g), 0);
      return total > 1 ? [`${path}.components.meta.nodeGroups: the memory meta store allows at most 1 meta replica in total, found ${total}`] : [];
    },
  } satisfies SpecRule<MetaGroups>,
};

export type RuleName = keyof typeof RULES;

/** Keys of the spec whose value can never change once set. */
type ImmutableStore = 'metaStore' | 'stateStore';

/**
 * The transition rules. The CRD needs two rules per immutable store, because a rule on the store itself
 * does not run when the store is removed; the hook compares the whole value, which covers both.
 */
export const TRANSITION_RULES = {
  /** `celOnStore` on `spec.<store>`, `celOnSpec` on `spec`. */
  storeImmutable: {
    celOnStore: (store: ImmutableStore): CelRule => ({ rule: 'self == oldSelf', message: `${store} is immutable` }),
    celOnSpec: (store: ImmutableStore): CelRule => ({ rule: `!has(oldSelf.${store}) || has(self.${store})`, message: `${store} is immutable` }),
    check: (previous: unknown, next: unknown, path: string): string[] => (isDeepStrictEqual(previous, next) ? [] : [`${path}: field is immutable`]),
  },
  /** On `spec`. */
  privateKeySetOnce: {
    cel: (): CelRule => ({
      rule:
        '!has(oldSelf.secretStore) || !has(oldSelf.secretStore.privateKey) || ' +
        '(has(self.secretStore) && has(self.secretStore.privateKey) && self.secretStore.privateKey == oldSelf.secretStore.privateKey)',
      message: 'secretStore.privateKey cannot be changed or removed once set',
      fieldPath: '.secretStore.privateKey',
    }),
    check: (previous: unknown, next: unknown, path: string): string[] =>
      previous !== undefined && !isDeepStrictEqual(previous, next) ? [`${path}: cannot be changed or removed once set`] : [],
  },
};
