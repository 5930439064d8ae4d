import { describe, expect, it } from 'vitest';
import { prepareRisingWave } from '../../src/api/prepare.js';
import { isValidImageReference, validateTransition } from '../../src/api/validation.js';
import type { RisingWaveSpec } from '../../src/api/risingwave.js';

/** A RisingWave whose spec is `spec` (plus the required image when not given). */
function problemsOf(spec: Record<string, unknown>): string[] {
  return prepareRisingWave({
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name: 'rw', namespace: 'ns' },
    spec: { image: 'risingwavelabs/risingwave:v2.1.0', ...spec },
  }).problems;
}

const group = (g: Record<string, unknown>) => ({ components: { compute: { nodeGroups: [{ name: 'g', replicas: 1, ...g }] } } });
const template = (spec: Record<string, unknown>) => group({ template: { spec } });
const s3 = (s: Record<string, unknown>) => ({ stateStore: { s3: { bucket: 'b', ...s } } });

interface Case {
  name: string;
  spec: Record<string, unknown>;
  problems: string[];
}

const cases: Case[] = [
  // --- baseline
  { name: 'minimal spec (all defaults)', spec: {}, problems: [] },

  // --- image references
  { name: 'image with registry, port and digest', spec: { image: 'ghcr.io:443/a/b-c:v1@sha256:' + 'a'.repeat(64) }, problems: [] },
  { name: 'image upper-case repository', spec: { image: 'RisingWave:v1' }, problems: ['spec.image: invalid image reference "RisingWave:v1"'] },
  { name: 'image empty', spec: { image: '' }, problems: ['spec.image: an image is required'] },
  { name: 'image with space', spec: { image: 'a b' }, problems: ['spec.image: invalid image reference "a b"'] },
  { name: 'group image empty inherits', spec: template({ image: '' }), problems: [] },
  {
    name: 'group image invalid',
    spec: template({ image: 'x:' }),
    problems: ['spec.components.compute.nodeGroups[0].template.spec.image: invalid image reference "x:"'],
  },

  // --- reserved label prefix
  {
    name: 'frontend service label prefix',
    spec: { additionalFrontendServiceMetadata: { labels: { 'risingwave/x': 'y', ok: 'z' } } },
    problems: ['spec.additionalFrontendServiceMetadata.labels: label "risingwave/x" uses the reserved prefix "risingwave/"'],
  },
  {
    name: 'meta service label prefix',
    spec: { additionalMetaServiceMetadata: { labels: { 'risingwave/name': 'y' } } },
    problems: ['spec.additionalMetaServiceMetadata.labels: label "risingwave/name" uses the reserved prefix "risingwave/"'],
  },
  {
    name: 'template label prefix',
    spec: group({ template: { metadata: { labels: { 'risingwave/component': 'x' } } } }),
    problems: [
      'spec.components.compute.nodeGroups[0].template.metadata.labels: label "risingwave/component" uses the reserved prefix "risingwave/"',
    ],
  },
  { name: 'similar label prefix allowed', spec: { additionalMetaServiceMetadata: { labels: { 'risingwave.io/x': 'y' } } }, problems: [] },

  // --- OpenKruise
  {
    name: 'enableOpenKruise',
    spec: { enableOpenKruise: true },
    problems: ['spec.enableOpenKruise: OpenKruise workloads are not supported by this controller'],
  },

  // --- meta store
  { name: 'meta store etcd', spec: { metaStore: { etcd: { endpoint: 'etcd:2379' } } }, problems: [] },
  { name: 'meta store memory false and sqlite', spec: { metaStore: { memory: false, sqlite: { path: '/d' } } }, problems: [] },
  { name: 'meta store none', spec: { metaStore: { memory: false } }, problems: ['spec.metaStore: exactly one backend must be set, found none'] },
  {
    name: 'meta store two',
    spec: { metaStore: { memory: true, etcd: { endpoint: 'e' } } },
    problems: ['spec.metaStore: exactly one backend must be set, found memory and etcd'],
  },
  {
    name: 'meta store three',
    spec: {
      metaStore: {
        sqlite: { path: 'p' },
        mysql: { host: 'h', database: 'd', credentials: { secretName: 's' } },
        postgresql: { host: 'h', database: 'd', credentials: { secretName: 's' } },
      },
    },
    problems: ['spec.metaStore: exactly one backend must be set, found sqlite, mysql and postgresql'],
  },

  // --- state store
  { name: 'state store none', spec: { stateStore: {} }, problems: ['spec.stateStore: exactly one backend must be set, found none'] },
  {
    name: 'state store two',
    spec: { stateStore: { memory: true, ...s3({ credentials: { secretName: 's' } }).stateStore } },
    problems: ['spec.stateStore: exactly one backend must be set, found memory and s3'],
  },
  { name: 'AWS S3 with secret', spec: s3({ credentials: { secretName: 's' } }), problems: [] },
  { name: 'AWS S3 with service account', spec: s3({ credentials: { useServiceAccount: true } }), problems: [] },
  {
    name: 'AWS S3 without credentials source',
    spec: s3({ credentials: { useServiceAccount: false } }),
    problems: ['spec.stateStore.s3.credentials: AWS S3 needs secretName or useServiceAccount: true'],
  },
  { name: 'S3-compatible with secret', spec: s3({ endpoint: 'https://oss.example.com', credentials: { secretName: 's' } }), problems: [] },
  {
    name: 'S3-compatible with service account only',
    spec: s3({ endpoint: 'oss.example.com', credentials: { useServiceAccount: true } }),
    problems: ['spec.stateStore.s3.credentials.secretName: required when spec.stateStore.s3.endpoint is set'],
  },
  { name: 'GCS workload identity', spec: { stateStore: { gcs: { bucket: 'b', credentials: { useWorkloadIdentity: true } } } }, problems: [] },
  {
    name: 'GCS without credentials',
    spec: { stateStore: { gcs: { bucket: 'b' } } },
    problems: ['spec.stateStore.gcs.credentials: GCS needs secretName or useWorkloadIdentity: true'],
  },
  {
    name: 'Azure with secret',
    spec: { stateStore: { azureBlob: { container: 'c', endpoint: 'https://a.blob.core.windows.net', credentials: { secretName: 's' } } } },
    problems: [],
  },
  {
    name: 'Azure without credentials source',
    spec: { stateStore: { azureBlob: { container: 'c', endpoint: 'https://a.blob.core.windows.net', credentials: {} } } },
    problems: ['spec.stateStore.azureBlob.credentials: Azure Blob needs secretName or useServiceAccount: true'],
  },

  // --- data directory (the pattern itself is a schema rule; shape rules are the webhook's)
  { name: 'dataDirectory nested', spec: { stateStore: { memory: true, dataDirectory: 'a/b-c_d' } }, problems: [] },
  {
    name: 'dataDirectory leading slash',
    spec: { stateStore: { memory: true, dataDirectory: '/a' } },
    problems: ["spec.stateStore.dataDirectory: must not start with '/'"],
  },
  // Trailing '/' and surrounding white space are trimmed first, as the operator's mutating webhook does.
  { name: 'dataDirectory trailing slash (trimmed)', spec: { stateStore: { memory: true, dataDirectory: 'a/' } }, problems: [] },
  { name: 'dataDirectory trailing slashes and spaces (trimmed)', spec: { stateStore: { memory: true, dataDirectory: ' a/b// \t' } }, problems: [] },
  {
    name: 'dataDirectory leading slash behind spaces',
    spec: { stateStore: { memory: true, dataDirectory: '  /a/ ' } },
    problems: ["spec.stateStore.dataDirectory: must not start with '/'"],
  },
  {
    name: 'dataDirectory only slashes',
    spec: { stateStore: { memory: true, dataDirectory: ' // ' } },
    problems: ["spec.stateStore.dataDirectory: Expected string to match '^\\s*[0-9a-zA-Z_/-]+\\s*$'"],
  },
  {
    name: 'dataDirectory inner space (schema)',
    spec: { stateStore: { memory: true, dataDirectory: 'a b' } },
    problems: ["spec.stateStore.dataDirectory: Expected string to match '^\\s*[0-9a-zA-Z_/-]+\\s*$'"],
  },
  {
    name: 'dataDirectory double slash',
    spec: { stateStore: { memory: true, dataDirectory: 'a//b' } },
    problems: ["spec.stateStore.dataDirectory: must not contain '//'"],
  },

  // --- Deployment maxUnavailable: the API server accepts an integer or "N%" (compactor, Deployment frontend)
  {
    name: 'compactor maxUnavailable "1"',
    spec: { components: { compactor: { nodeGroups: [{ name: 'g', replicas: 1, upgradeStrategy: { rollingUpdate: { maxUnavailable: '1' } } }] } } },
    problems: ['spec.components.compactor.nodeGroups[0].upgradeStrategy.rollingUpdate.maxUnavailable: "1" is not an integer or a percentage like "25%"'],
  },
  {
    name: 'compactor maxUnavailable "1" in standalone mode (no compactor Deployment)',
    spec: { enableStandaloneMode: true, components: { compactor: { nodeGroups: [{ name: 'g', upgradeStrategy: { rollingUpdate: { maxUnavailable: '1' } } }] } } },
    problems: [],
  },
  {
    name: 'frontend Deployment maxUnavailable 1 and "50%"',
    spec: { components: { frontend: { nodeGroups: [{ name: 'a', upgradeStrategy: { rollingUpdate: { maxUnavailable: 1 } } }, { name: 'b', upgradeStrategy: { rollingUpdate: { maxUnavailable: '50%' } } }] } } },
    problems: [],
  },
  {
    name: 'frontend StatefulSet and compute maxUnavailable "1" (the server drops it while MaxUnavailableStatefulSet is off)',
    spec: {
      enableFrontendStatefulSet: true,
      components: {
        frontend: { nodeGroups: [{ name: 'a', upgradeStrategy: { rollingUpdate: { maxUnavailable: '1' } } }] },
        compute: { nodeGroups: [{ name: 'a', upgradeStrategy: { rollingUpdate: { maxUnavailable: '1' } } }] },
      },
    },
    problems: [],
  },

  // --- configuration
  { name: 'configMap with name', spec: { configuration: { configMap: { name: 'cm' } } }, problems: [] },
  {
    name: 'configMap empty name and key',
    spec: { configuration: { configMap: { name: '', key: '' } } },
    problems: ['spec.configuration.configMap.name: must not be empty', 'spec.configuration.configMap.key: must not be empty'],
  },
  {
    name: 'group secret without name',
    spec: group({ configuration: { secret: {} } }),
    problems: ['spec.components.compute.nodeGroups[0].configuration.secret.name: must not be empty'],
  },

  // --- node group names (pattern is a schema rule too; duplicates are the list-map's job in a cluster)
  { name: 'default group name', spec: { components: { compute: { nodeGroups: [{ replicas: 1 }] } } }, problems: [] },
  {
    name: 'duplicate group names',
    spec: { components: { frontend: { nodeGroups: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] } } },
    problems: ['spec.components.frontend.nodeGroups[2].name: duplicate node group name "a"'],
  },
  {
    name: 'duplicate default groups',
    spec: { components: { compactor: { nodeGroups: [{}, { name: '' }] } } },
    problems: ['spec.components.compactor.nodeGroups[1].name: duplicate node group name ""'],
  },
  {
    name: 'same name in different components',
    spec: { components: { compactor: { nodeGroups: [{ name: 'a' }] }, compute: { nodeGroups: [{ name: 'a' }] } } },
    problems: [],
  },

  // --- upgrade strategy
  { name: 'Recreate alone', spec: group({ upgradeStrategy: { type: 'Recreate' } }), problems: [] },
  {
    name: 'Recreate with rollingUpdate',
    spec: group({ upgradeStrategy: { type: 'Recreate', rollingUpdate: { maxUnavailable: 1 } } }),
    problems: ['spec.components.compute.nodeGroups[0].upgradeStrategy.rollingUpdate: must not be set when type is Recreate'],
  },
  {
    name: 'InPlaceIfPossible',
    spec: group({ upgradeStrategy: { type: 'InPlaceIfPossible' } }),
    problems: ['spec.components.compute.nodeGroups[0].upgradeStrategy.type: InPlaceIfPossible needs OpenKruise, which this controller does not support'],
  },
  {
    name: 'InPlaceOnly with inPlaceUpdateStrategy',
    spec: group({ upgradeStrategy: { type: 'InPlaceOnly', inPlaceUpdateStrategy: { gracePeriodSeconds: 3 } } }),
    problems: [
      'spec.components.compute.nodeGroups[0].upgradeStrategy.type: InPlaceOnly needs OpenKruise, which this controller does not support',
      'spec.components.compute.nodeGroups[0].upgradeStrategy.inPlaceUpdateStrategy: needs OpenKruise, which this controller does not support',
    ],
  },
  { name: 'partition percentage', spec: group({ upgradeStrategy: { rollingUpdate: { partition: '50%' } } }), problems: [] },
  { name: 'partition integer string', spec: group({ upgradeStrategy: { rollingUpdate: { partition: '2' } } }), problems: [] },
  {
    name: 'partition garbage',
    spec: group({ upgradeStrategy: { rollingUpdate: { partition: 'half' } } }),
    problems: ['spec.components.compute.nodeGroups[0].upgradeStrategy.rollingUpdate.partition: "half" is not an integer or a percentage'],
  },
  {
    name: 'standalone Recreate with rollingUpdate',
    spec: { components: { standalone: { upgradeStrategy: { type: 'Recreate', rollingUpdate: {} } } } },
    problems: ['spec.components.standalone.upgradeStrategy.rollingUpdate: must not be set when type is Recreate'],
  },

  // --- env
  { name: 'ordinary env', spec: template({ env: [{ name: 'RUST_LOG', value: 'debug' }] }), problems: [] },
  ...['POD_IP', 'POD_NAME', 'POD_NAMESPACE', 'RUST_BACKTRACE', 'RW_WORKER_THREADS', 'JAVA_OPTS'].map((name) => ({
    name: `reserved env ${name}`,
    spec: template({ env: [{ name: 'OK', value: '1' }, { name, value: 'x' }] }),
    problems: [`spec.components.compute.nodeGroups[0].template.spec.env[1].name: ${name} is reserved and set by the controller`],
  })),

  // --- items the API server requires a name for, which the builders merge and sort by name
  { name: 'named volumes and mounts', spec: template({ volumes: [{ name: 'v', emptyDir: {} }], volumeMounts: [{ name: 'v', mountPath: '/v' }] }), problems: [] },
  ...(['env', 'volumeMounts', 'volumeDevices', 'volumes', 'initContainers', 'additionalContainers'] as const).map((list) => ({
    name: `${list} item without a name`,
    spec: template({ [list]: [{ name: 'ok' }, { value: 'x' }] }),
    problems: [`spec.components.compute.nodeGroups[0].template.spec.${list}[1].name: required`],
  })),
  {
    name: 'a sidecar volumeMount without a name',
    spec: template({ additionalContainers: [{ name: 'side', image: 'busybox', volumeMounts: [{ mountPath: '/x' }] }] }),
    problems: ['spec.components.compute.nodeGroups[0].template.spec.additionalContainers[0].volumeMounts[0].name: required'],
  },

  // --- resources
  {
    name: 'limits above requests',
    spec: template({ resources: { limits: { cpu: '2', memory: '4Gi' }, requests: { cpu: '1500m', memory: '4096Mi' } } }),
    problems: [],
  },
  { name: 'requests without limits', spec: template({ resources: { requests: { cpu: 64 } } }), problems: [] },
  {
    name: 'cpu limit below request',
    spec: template({ resources: { limits: { cpu: '500m' }, requests: { cpu: 1 } } }),
    problems: ['spec.components.compute.nodeGroups[0].template.spec.resources.limits.cpu: limit 500m is less than the request 1'],
  },
  {
    name: 'memory limit below request',
    spec: template({ resources: { limits: { memory: '1Gi' }, requests: { memory: '2G' } } }),
    problems: ['spec.components.compute.nodeGroups[0].template.spec.resources.limits.memory: limit 1Gi is less than the request 2G'],
  },
  {
    name: 'malformed quantity',
    spec: template({ resources: { limits: { memory: 'lots' } } }),
    problems: ['spec.components.compute.nodeGroups[0].template.spec.resources.limits.memory: invalid quantity "lots"'],
  },

  // --- memory meta store replicas
  { name: 'memory meta store, one meta replica', spec: { components: { meta: { nodeGroups: [{ replicas: 1 }] } } }, problems: [] },
  {
    name: 'memory meta store, two groups',
    spec: { components: { meta: { nodeGroups: [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 1 }] } } },
    problems: ['spec.components.meta.nodeGroups: the memory meta store allows at most 1 meta replica in total, found 2'],
  },
  {
    name: 'etcd meta store, three replicas',
    spec: { metaStore: { etcd: { endpoint: 'e' } }, components: { meta: { nodeGroups: [{ replicas: 3 }] } } },
    problems: [],
  },

  {
    name: 'memory meta store, autoscaled meta group up to 2',
    spec: { components: { meta: { nodeGroups: [{ replicas: 1, autoscaling: { maxReplicas: 2, targetCPUUtilizationPercentage: 70 } }] } } },
    problems: ['spec.components.meta.nodeGroups: the memory meta store allows at most 1 meta replica in total, found 2'],
  },
  {
    name: 'memory meta store, autoscaled meta group up to 1',
    spec: { components: { meta: { nodeGroups: [{ replicas: 5, autoscaling: { maxReplicas: 1, targetCPUUtilizationPercentage: 70 } }] } } },
    problems: [],
  },

  // --- autoscaling (the CRD's CEL rules, plus the HPA's own types)
  { name: 'autoscaling with a CPU target', spec: group({ autoscaling: { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 } }), problems: [] },
  {
    name: 'autoscaling with metrics and behavior',
    spec: group({
      autoscaling: {
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
          { type: 'Pods', pods: { metric: { name: 'barrier_latency' }, target: { type: 'AverageValue', averageValue: '500m' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
      },
    }),
    problems: [],
  },
  { name: 'autoscaling min = max', spec: group({ autoscaling: { minReplicas: 3, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } }), problems: [] },
  {
    name: 'autoscaling min > max',
    spec: group({ autoscaling: { minReplicas: 4, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.minReplicas: 4 is greater than maxReplicas 3'],
  },
  {
    name: 'autoscaling defaulted min (1) > max is impossible: max must be at least 1 (schema)',
    spec: group({ autoscaling: { maxReplicas: 0, targetCPUUtilizationPercentage: 50 } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.maxReplicas: Expected integer to be greater or equal to 1'],
  },
  {
    name: 'autoscaling without a metric',
    spec: group({ autoscaling: { maxReplicas: 3 } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling: needs targetCPUUtilizationPercentage or at least one entry in metrics'],
  },
  {
    name: 'autoscaling with an empty metrics list',
    spec: group({ autoscaling: { maxReplicas: 3, metrics: [] } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling: needs targetCPUUtilizationPercentage or at least one entry in metrics'],
  },
  {
    name: 'autoscaling metric of the wrong shape',
    spec: group({ autoscaling: { maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 'high' } } }] } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.metrics[0].resource.target.averageUtilization: must be an integer greater than 0'],
  },
  {
    name: 'autoscaling metric without a resource name or target',
    spec: group({ autoscaling: { maxReplicas: 3, metrics: [{ type: 'Resource', resource: {} }] } }),
    problems: [
      'spec.components.compute.nodeGroups[0].autoscaling.metrics[0].resource.name: a resource name is required',
      'spec.components.compute.nodeGroups[0].autoscaling.metrics[0].resource.target: required',
    ],
  },
  {
    name: 'autoscaling metric target without its value, or with a bad quantity',
    spec: group({
      autoscaling: {
        maxReplicas: 3,
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue' } } },
          { type: 'External', external: { metric: { name: 'lag' }, target: { type: 'Value', value: 'lots' } } },
          { type: 'External', external: { metric: { name: 'lag' }, target: { type: 'Value', value: '0' } } },
          { type: 'Object', object: { metric: { name: 'rps' }, target: { type: 'Value', value: '10' } } },
        ],
      },
    }),
    problems: [
      'spec.components.compute.nodeGroups[0].autoscaling.metrics[0].pods.target.averageValue: required when type is AverageValue',
      'spec.components.compute.nodeGroups[0].autoscaling.metrics[1].external.target.value: invalid quantity "lots"',
      'spec.components.compute.nodeGroups[0].autoscaling.metrics[2].external.target.value: must be a positive quantity',
      'spec.components.compute.nodeGroups[0].autoscaling.metrics[3].object.describedObject: kind and name are required',
    ],
  },
  {
    name: 'autoscaling metric whose source does not match its type',
    spec: group({ autoscaling: { maxReplicas: 3, metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.metrics[0].pods: required when type is Pods'],
  },
  {
    name: 'autoscaling metric of an unknown type',
    spec: group({ autoscaling: { maxReplicas: 3, metrics: [{ type: 'Queue' }] } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.metrics[0].type: must be one of Object, Pods, Resource, External, ContainerResource'],
  },
  {
    name: 'autoscaling behavior policy without a value',
    spec: group({ autoscaling: { maxReplicas: 3, targetCPUUtilizationPercentage: 50, behavior: { scaleUp: { policies: [{ type: 'Pods', periodSeconds: 15 }] } } } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.behavior.scaleUp.policies[0].value: must be an integer greater than 0'],
  },
  {
    name: 'autoscaling behavior out of the API server\'s ranges',
    spec: group({
      autoscaling: {
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Fastest', policies: [] },
          scaleDown: { policies: [{ type: 'Replicas', value: 1, periodSeconds: 1801 }] },
        },
      },
    }),
    problems: [
      'spec.components.compute.nodeGroups[0].autoscaling.behavior.scaleUp.stabilizationWindowSeconds: must be an integer from 0 to 3600',
      'spec.components.compute.nodeGroups[0].autoscaling.behavior.scaleUp.selectPolicy: must be one of Max, Min, Disabled',
      'spec.components.compute.nodeGroups[0].autoscaling.behavior.scaleUp.policies: must specify at least one policy',
      'spec.components.compute.nodeGroups[0].autoscaling.behavior.scaleDown.policies[0].type: must be Pods or Percent',
      'spec.components.compute.nodeGroups[0].autoscaling.behavior.scaleDown.policies[0].periodSeconds: must be an integer from 1 to 1800',
    ],
  },
  {
    name: 'autoscaling minReplicas 0 (schema)',
    spec: group({ autoscaling: { minReplicas: 0, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.minReplicas: Expected integer to be greater or equal to 1'],
  },
  {
    name: 'autoscaling CPU target 0 (schema)',
    spec: group({ autoscaling: { maxReplicas: 3, targetCPUUtilizationPercentage: 0 } }),
    problems: ['spec.components.compute.nodeGroups[0].autoscaling.targetCPUUtilizationPercentage: Expected integer to be greater or equal to 1'],
  },

  // --- secret store
  { name: 'private key value', spec: { secretStore: { privateKey: { value: '0123456789abcdef0123456789abcdef' } } }, problems: [] },
  { name: 'private key secretRef', spec: { secretStore: { privateKey: { secretRef: { name: 's', key: 'k' } } } }, problems: [] },
  {
    name: 'private key both',
    spec: { secretStore: { privateKey: { value: '0123456789abcdef0123456789abcdef', secretRef: { name: 's', key: 'k' } } } },
    problems: ['spec.secretStore.privateKey: value and secretRef cannot both be set'],
  },
  {
    name: 'private key neither',
    spec: { secretStore: { privateKey: {} } },
    problems: ['spec.secretStore.privateKey: one of value and secretRef must be set'],
  },

  // --- schema violations are reported with their path (semantic rules then wait for a well-formed spec)
  {
    name: 'private key value pattern (schema)',
    spec: { secretStore: { privateKey: { value: 'XYZ' } } },
    problems: ["spec.secretStore.privateKey.value: Expected string to match '^[0-9a-f]{32}$'"],
  },
  {
    name: 'group name not DNS-1123 (schema)',
    spec: { components: { compute: { nodeGroups: [{ name: 'Bad_Name' }] } } },
    problems: [
      "spec.components.compute.nodeGroups[0].name: Expected string to match '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
    ],
  },
  {
    name: 'replicas not an integer (schema)',
    spec: group({ replicas: 'three' }),
    problems: ['spec.components.compute.nodeGroups[0].replicas: Expected integer'],
  },
  {
    name: 'unknown upgrade strategy (schema)',
    spec: group({ upgradeStrategy: { type: 'BlueGreen' } }),
    problems: ['spec.components.compute.nodeGroups[0].upgradeStrategy.type: Expected union value'],
  },
  {
    name: 'dataDirectory with a dot (schema)',
    spec: { stateStore: { memory: true, dataDirectory: 'a.b' } },
    problems: ["spec.stateStore.dataDirectory: Expected string to match '^\\s*[0-9a-zA-Z_/-]+\\s*$'"],
  },
];

describe('hook-side validation (webhook parity)', () => {
  it.each(cases)('$name', ({ spec, problems }) => {
    expect(problemsOf(spec)).toEqual(problems);
  });
});

describe('isValidImageReference', () => {
  it.each([
    'risingwave',
    'risingwavelabs/risingwave:v2.1.0',
    'docker.io/risingwavelabs/risingwave:nightly-20240101',
    'localhost:5000/rw',
    '[::1]:5000/rw:v1',
    'a.b.c/d/e/f_g__h---i:latest',
    'rw@sha256:' + '0'.repeat(64),
  ])('accepts %s', (image) => expect(isValidImageReference(image)).toBe(true));

  it.each(['', ':v1', 'rw:', 'rw:-v1', 'Rw', 'rw@sha256:short', 'a/' + 'b'.repeat(300), 'rw:' + 'v'.repeat(129), 'a//b'])(
    'rejects %j',
    (image) => expect(isValidImageReference(image)).toBe(false),
  );
});

describe('validateTransition (UPDATE-only rules)', () => {
  const base = (): RisingWaveSpec => prepareRisingWave({ spec: { image: 'rw:v1' } }).rw.spec;

  it('accepts an unchanged spec and changes elsewhere', () => {
    const next = { ...base(), image: 'rw:v2' };
    expect(validateTransition(base(), next)).toEqual([]);
  });

  it('refuses a changed meta store', () => {
    const next = { ...base(), metaStore: { etcd: { endpoint: 'e' } } };
    expect(validateTransition(base(), next)).toEqual(['spec.metaStore: field is immutable']);
  });

  it('refuses a changed data directory (part of the state store)', () => {
    const next = { ...base(), stateStore: { memory: true, dataDirectory: 'other' } };
    expect(validateTransition(base(), next)).toEqual(['spec.stateStore: field is immutable']);
  });

  it('allows setting the private key once, then refuses changing or removing it', () => {
    const withKey = { ...base(), secretStore: { privateKey: { value: 'a'.repeat(32) } } };
    expect(validateTransition(base(), withKey)).toEqual([]);
    const changed = { ...base(), secretStore: { privateKey: { value: 'b'.repeat(32) } } };
    expect(validateTransition(withKey, changed)).toEqual(['spec.secretStore.privateKey: cannot be changed or removed once set']);
    expect(validateTransition(withKey, base())).toEqual(['spec.secretStore.privateKey: cannot be changed or removed once set']);
  });
});
