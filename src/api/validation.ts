import {
  COMPONENTS,
  META_STORE_BACKENDS,
  STATE_STORE_BACKENDS,
  DATA_DIRECTORY_MAX_LENGTH,
  type ConfigurationSource,
  type NodeGroupAutoscaling,
  type NodeGroupTemplate,
  type RisingWaveSpec,
  type UpgradeStrategy,
} from './risingwave.js';
import { RULES, TRANSITION_RULES } from './risingwave/rules.js';
import { parseQuantity, QuantityError } from '../kube/quantity.js';
import { isRecord } from '../kube/records.js';

/**
 * The Go operator's validating webhook (risingwave-operator.md §1.4), rule for rule, for one object whose
 * defaults are applied (see prepare.ts). Returns one message per violation, each starting with the field path.
 *
 * Which rules run where:
 *  - the CRD's OpenAPI schema and CEL rules (src/api/risingwave.ts) reject most of these at admission;
 *    a rule that is both a CEL rule and a hook check is one row of src/api/risingwave/rules.ts, used here;
 *  - this function repeats them in the hook, because the hook also sees objects the API server never
 *    checked (CLI input, objects stored before the CRD carried a rule, a cluster whose CRD is older), and
 *    it adds what CEL cannot see: image references, env names and resource quantities inside the
 *    preserved pod template, and the features this controller does not have (OpenKruise).
 *  - Transition rules (immutability) need the previous spec, which a Metacontroller sync request does not
 *    carry: in a cluster only the CEL transition rules enforce them. validateTransition is the same check
 *    for tests and the CLI.
 */
export function validateSpec(spec: RisingWaveSpec): string[] {
  return [
    ...validateImage('spec.image', spec.image, { allowEmpty: false }),
    ...validateLabels('spec.additionalFrontendServiceMetadata.labels', spec.additionalFrontendServiceMetadata?.labels),
    ...validateLabels('spec.additionalMetaServiceMetadata.labels', spec.additionalMetaServiceMetadata?.labels),
    ...validateOpenKruise(spec),
    ...validateMetaStore(spec),
    ...validateStateStore(spec),
    ...validateConfiguration('spec.configuration', spec.configuration),
    ...validateComponents(spec),
    ...validateMemoryMetaReplicas(spec),
    ...validateSecretStore(spec),
  ];
}

/** UPDATE-only rules: immutable stores and the set-once secret-store private key. */
export function validateTransition(previous: RisingWaveSpec, next: RisingWaveSpec): string[] {
  const { storeImmutable, privateKeySetOnce } = TRANSITION_RULES;
  return [
    ...storeImmutable.check(previous.metaStore, next.metaStore, 'spec.metaStore'),
    ...storeImmutable.check(previous.stateStore, next.stateStore, 'spec.stateStore'),
    ...privateKeySetOnce.check(previous.secretStore?.privateKey, next.secretStore?.privateKey, 'spec.secretStore.privateKey'),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Image references (github.com/distribution/reference grammar)
// ---------------------------------------------------------------------------------------------------------

const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
const NAME_TOTAL_LENGTH_MAX = 255;

export function isValidImageReference(image: string): boolean {
  const match = REFERENCE.exec(image);
  return match !== null && match[1]!.length <= NAME_TOTAL_LENGTH_MAX;
}

function validateImage(path: string, image: string | undefined, { allowEmpty }: { allowEmpty: boolean }): string[] {
  if (image === undefined || image === '') return allowEmpty ? [] : [`${path}: an image is required`];
  return isValidImageReference(image) ? [] : [`${path}: invalid image reference ${JSON.stringify(image)}`];
}

// ---------------------------------------------------------------------------------------------------------
// Labels, OpenKruise
// ---------------------------------------------------------------------------------------------------------

function validateLabels(path: string, labels: Record<string, string> | undefined): string[] {
  return RULES.reservedLabelPrefix.check(labels, path);
}

function validateOpenKruise(spec: RisingWaveSpec): string[] {
  return spec.enableOpenKruise === true
    ? ['spec.enableOpenKruise: OpenKruise workloads are not supported by this controller']
    : [];
}

// ---------------------------------------------------------------------------------------------------------
// Stores
// ---------------------------------------------------------------------------------------------------------

function validateMetaStore(spec: RisingWaveSpec): string[] {
  return RULES.exactlyOneBackend.check(spec.metaStore, 'spec.metaStore', 'meta store', META_STORE_BACKENDS);
}

const hasText = (s: string | undefined): boolean => s !== undefined && s !== '';

function validateStateStore(spec: RisingWaveSpec): string[] {
  const store = spec.stateStore;
  const problems = RULES.exactlyOneBackend.check(store, 'spec.stateStore', 'state store', STATE_STORE_BACKENDS);
  if (!store) return problems;

  if (store.s3) {
    problems.push(
      ...RULES.s3CompatibleNeedsSecret.check(store.s3, 'spec.stateStore.s3'),
      ...RULES.awsS3NeedsCredentials.check(store.s3, 'spec.stateStore.s3'),
    );
  }
  if (store.gcs) problems.push(...RULES.gcsNeedsCredentials.check(store.gcs, 'spec.stateStore.gcs'));
  if (store.azureBlob) problems.push(...RULES.azureBlobNeedsCredentials.check(store.azureBlob, 'spec.stateStore.azureBlob'));
  problems.push(...validateDataDirectory(store.dataDirectory));
  return problems;
}

export function validateDataDirectory(dir: string | undefined): string[] {
  if (dir === undefined) return [];
  const path = 'spec.stateStore.dataDirectory';
  const problems: string[] = [];
  if (dir.length > DATA_DIRECTORY_MAX_LENGTH) {
    problems.push(`${path}: must be at most ${DATA_DIRECTORY_MAX_LENGTH} characters`);
  }
  if (!/^[0-9a-zA-Z_/-]+$/.test(dir)) {
    problems.push(`${path}: must be non-empty and contain only letters, digits, '_', '-' and '/'`);
  }
  problems.push(...RULES.dataDirectoryShape.check(dir, path));
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------------------

function validateConfiguration(path: string, configuration: ConfigurationSource | undefined): string[] {
  const problems: string[] = [];
  for (const kind of ['configMap', 'secret'] as const) {
    const ref = configuration?.[kind];
    if (!ref) continue;
    if (!hasText(ref.name)) problems.push(`${path}.${kind}.name: must not be empty`);
    if (!hasText(ref.key)) problems.push(`${path}.${kind}.key: must not be empty`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Components and node groups
// ---------------------------------------------------------------------------------------------------------

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Env names the hook sets itself on the RisingWave container. */
export const RESERVED_ENV_NAMES = ['POD_IP', 'POD_NAME', 'POD_NAMESPACE', 'RUST_BACKTRACE', 'RW_WORKER_THREADS', 'JAVA_OPTS'] as const;

function validateComponents(spec: RisingWaveSpec): string[] {
  const problems: string[] = [];
  for (const component of COMPONENTS) {
    const groups = spec.components?.[component]?.nodeGroups ?? [];
    const seen = new Set<string>();
    groups.forEach((group, index) => {
      const path = `spec.components.${component}.nodeGroups[${index}]`;
      const name = group.name ?? '';
      if (name !== '' && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))) {
        problems.push(`${path}.name: ${JSON.stringify(name)} is not a valid DNS-1123 subdomain`);
      }
      if (seen.has(name)) problems.push(`${path}.name: duplicate node group name ${JSON.stringify(name)}`);
      seen.add(name);
      problems.push(
        ...validateUpgradeStrategy(`${path}.upgradeStrategy`, group.upgradeStrategy),
        ...(runsAsDeployment(spec, component) ? validateDeploymentMaxUnavailable(`${path}.upgradeStrategy`, group.upgradeStrategy) : []),
        ...validateConfiguration(`${path}.configuration`, group.configuration),
        ...validateTemplate(`${path}.template`, group.template),
        ...validateAutoscaling(`${path}.autoscaling`, group.autoscaling),
      );
    });
  }
  const standalone = spec.components?.standalone;
  if (standalone) {
    const path = 'spec.components.standalone';
    problems.push(
      ...validateUpgradeStrategy(`${path}.upgradeStrategy`, standalone.upgradeStrategy),
      ...validateTemplate(`${path}.template`, standalone.template),
    );
  }
  return problems;
}

/** Whether the component's groups become Deployments (standalone mode builds no group workloads at all). */
function runsAsDeployment(spec: RisingWaveSpec, component: (typeof COMPONENTS)[number]): boolean {
  if (spec.enableStandaloneMode === true) return false;
  return component === 'compactor' || (component === 'frontend' && spec.enableFrontendStatefulSet !== true);
}

/**
 * A Deployment's maxUnavailable string must be a percentage: the API server refuses "1" (found by the parity
 * suite: the operator accepts it too, then never gets its Deployment created). StatefulSets are left alone:
 * with MaxUnavailableStatefulSet off (1.36's default) the server drops the field instead of checking it.
 */
function validateDeploymentMaxUnavailable(path: string, strategy: UpgradeStrategy | undefined): string[] {
  const value = strategy?.rollingUpdate?.maxUnavailable;
  if (typeof value !== 'string' || /^[0-9]+%$/.test(value)) return [];
  return [`${path}.rollingUpdate.maxUnavailable: ${JSON.stringify(value)} is not an integer or a percentage like "25%"`];
}

function validateUpgradeStrategy(path: string, strategy: UpgradeStrategy | undefined): string[] {
  if (!strategy) return [];
  const problems = RULES.recreateWithoutRollingUpdate.check(strategy, path);
  if (strategy.type === 'InPlaceIfPossible' || strategy.type === 'InPlaceOnly') {
    problems.push(`${path}.type: ${strategy.type} needs OpenKruise, which this controller does not support`);
  }
  if (strategy.inPlaceUpdateStrategy !== undefined) {
    problems.push(`${path}.inPlaceUpdateStrategy: needs OpenKruise, which this controller does not support`);
  }
  const partition = strategy.rollingUpdate?.partition;
  if (typeof partition === 'string' && !/^[+-]?\d+$/.test(partition.replaceAll('%', ''))) {
    problems.push(`${path}.rollingUpdate.partition: ${JSON.stringify(partition)} is not an integer or a percentage`);
  }
  return problems;
}

function validateTemplate(path: string, template: NodeGroupTemplate | undefined): string[] {
  if (!template) return [];
  const spec = template.spec;
  return [
    ...validateLabels(`${path}.metadata.labels`, template.metadata?.labels),
    ...validateImage(`${path}.spec.image`, spec?.image, { allowEmpty: true }),
    ...validateEnv(`${path}.spec.env`, spec?.env),
    ...validateResources(`${path}.spec.resources`, spec?.resources),
    ...validateNamedItems(`${path}.spec`, spec, POD_NAMED_LISTS),
  ];
}

/**
 * Lists of the preserved pod template whose items the API server requires a name for, and which the builders
 * merge and sort by that name. The CRD keeps these items verbatim, so without this an item with no name
 * reached the builders and failed the reaction (found by the fuzz suite) instead of reading Valid=False.
 */
const POD_NAMED_LISTS = ['env', 'volumeMounts', 'volumeDevices', 'volumes', 'initContainers', 'additionalContainers'] as const;
const CONTAINER_NAMED_LISTS = ['env', 'volumeMounts', 'volumeDevices'] as const;

function validateNamedItems(path: string, owner: unknown, lists: readonly string[]): string[] {
  if (!isRecord(owner)) return [];
  const problems: string[] = [];
  for (const list of lists) {
    const items = owner[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, index) => {
      const at = `${path}.${list}[${index}]`;
      if (!isRecord(item)) return void problems.push(`${at}: must be an object`);
      if (!hasName(item.name)) problems.push(`${at}.name: required`);
      if (list === 'initContainers' || list === 'additionalContainers') problems.push(...validateNamedItems(at, item, CONTAINER_NAMED_LISTS));
    });
  }
  return problems;
}

/** The metric source field each autoscaling/v2 metric type must populate. */
const METRIC_SOURCES: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
/** The target field each target type must set. */
const TARGET_FIELDS: Record<string, string> = { Utilization: 'averageUtilization', Value: 'value', AverageValue: 'averageValue' };
/** k8s pkg/apis/autoscaling/validation limits. */
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/**
 * The CRD's CEL rules (bounds in order; some metric), then the API server's own HPA validation for `metrics`
 * and `behavior` (k8s pkg/apis/autoscaling/validation), which the CRD keeps verbatim: without this a typo
 * there would only show up as an HPA the API server refuses to store, sync after sync. Written out rather
 * than delegated to kubernetes-models, which the built hook never loads at run time (type imports only).
 */
function validateAutoscaling(path: string, autoscaling: NodeGroupAutoscaling | undefined): string[] {
  if (!autoscaling) return [];
  const problems = [...RULES.autoscalingBounds.check(autoscaling, path), ...RULES.autoscalingHasMetric.check(autoscaling, path)];
  const metrics = autoscaling.metrics ?? [];
  metrics.forEach((metric, index) => problems.push(...validateMetric(`${path}.metrics[${index}]`, metric)));
  if (autoscaling.behavior !== undefined) problems.push(...validateBehavior(`${path}.behavior`, autoscaling.behavior));
  return problems;
}

const hasName = (v: unknown): boolean => typeof v === 'string' && v !== '';

function validateMetric(at: string, metric: unknown): string[] {
  if (!isRecord(metric)) return [`${at}: must be an object`];
  const type = metric.type;
  const field = typeof type === 'string' ? METRIC_SOURCES[type] : undefined;
  if (field === undefined) return [`${at}.type: must be one of ${Object.keys(METRIC_SOURCES).join(', ')}`];
  const source = metric[field];
  if (!isRecord(source)) return [`${at}.${field}: required when type is ${type as string}`];
  const problems: string[] = [];
  const here = `${at}.${field}`;
  if ((type === 'Resource' || type === 'ContainerResource') && !hasName(source.name)) problems.push(`${here}.name: a resource name is required`);
  if (type === 'ContainerResource' && !hasName(source.container)) problems.push(`${here}.container: a container is required`);
  if (type === 'Object' || type === 'Pods' || type === 'External') {
    if (!isRecord(source.metric) || !hasName(source.metric.name)) problems.push(`${here}.metric.name: a metric name is required`);
  }
  if (type === 'Object' && !(isRecord(source.describedObject) && hasName(source.describedObject.kind) && hasName(source.describedObject.name))) {
    problems.push(`${here}.describedObject: kind and name are required`);
  }
  problems.push(...validateMetricTarget(`${here}.target`, source.target));
  return problems;
}

function validateMetricTarget(at: string, target: unknown): string[] {
  if (!isRecord(target)) return [`${at}: required`];
  const field = typeof target.type === 'string' ? TARGET_FIELDS[target.type] : undefined;
  if (field === undefined) return [`${at}.type: must be one of ${Object.keys(TARGET_FIELDS).join(', ')}`];
  const value = target[field];
  if (value === undefined) return [`${at}.${field}: required when type is ${target.type as string}`];
  if (field === 'averageUtilization') {
    return Number.isInteger(value) && (value as number) > 0 ? [] : [`${at}.averageUtilization: must be an integer greater than 0`];
  }
  const problems: string[] = [];
  const quantity = typeof value === 'string' || typeof value === 'number' ? readQuantity(`${at}.${field}`, value, problems) : undefined;
  if (problems.length === 0 && !(quantity !== undefined && quantity > 0)) problems.push(`${at}.${field}: must be a positive quantity`);
  return problems;
}

function validateBehavior(at: string, behavior: unknown): string[] {
  if (!isRecord(behavior)) return [`${at}: must be an object`];
  return (['scaleUp', 'scaleDown'] as const).flatMap((direction) => {
    const rules = behavior[direction];
    return rules === undefined ? [] : validateScalingRules(`${at}.${direction}`, rules);
  });
}

function validateScalingRules(at: string, rules: unknown): string[] {
  if (!isRecord(rules)) return [`${at}: must be an object`];
  const problems: string[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && !(Number.isInteger(window) && (window as number) >= 0 && (window as number) <= MAX_STABILIZATION_WINDOW_SECONDS)) {
    problems.push(`${at}.stabilizationWindowSeconds: must be an integer from 0 to ${MAX_STABILIZATION_WINDOW_SECONDS}`);
  }
  if (rules.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(rules.selectPolicy as string)) {
    problems.push(`${at}.selectPolicy: must be one of Max, Min, Disabled`);
  }
  // Absent policies are defaulted by the server (and by the hook); an explicit empty list is refused.
  const policies = rules.policies;
  if (policies !== undefined) {
    if (!Array.isArray(policies) || policies.length === 0) problems.push(`${at}.policies: must specify at least one policy`);
    else policies.forEach((policy, index) => problems.push(...validateScalingPolicy(`${at}.policies[${index}]`, policy)));
  }
  return problems;
}

function validateScalingPolicy(at: string, policy: unknown): string[] {
  if (!isRecord(policy)) return [`${at}: must be an object`];
  const problems: string[] = [];
  if (policy.type !== 'Pods' && policy.type !== 'Percent') problems.push(`${at}.type: must be Pods or Percent`);
  if (!(Number.isInteger(policy.value) && (policy.value as number) > 0)) problems.push(`${at}.value: must be an integer greater than 0`);
  const period = policy.periodSeconds;
  if (!(Number.isInteger(period) && (period as number) > 0 && (period as number) <= MAX_PERIOD_SECONDS)) {
    problems.push(`${at}.periodSeconds: must be an integer from 1 to ${MAX_PERIOD_SECONDS}`);
  }
  return problems;
}

function validateEnv(path: string, env: ReadonlyArray<{ name?: unknown }> | undefined): string[] {
  const reserved: readonly string[] = RESERVED_ENV_NAMES;
  return (env ?? []).flatMap((variable, index) =>
    typeof variable?.name === 'string' && reserved.includes(variable.name)
      ? [`${path}[${index}].name: ${variable.name} is reserved and set by the controller`]
      : [],
  );
}

type Quantities = Record<string, string | number> | undefined;

function validateResources(path: string, resources: { limits?: Quantities; requests?: Quantities } | undefined): string[] {
  if (!resources) return [];
  const problems: string[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const limit = readQuantity(`${path}.limits.${resource}`, resources.limits?.[resource], problems);
    const request = readQuantity(`${path}.requests.${resource}`, resources.requests?.[resource], problems);
    if (limit !== undefined && request !== undefined && limit < request) {
      problems.push(
        `${path}.limits.${resource}: limit ${resources.limits![resource]} is less than the request ${resources.requests![resource]}`,
      );
    }
  }
  return problems;
}

function readQuantity(path: string, value: string | number | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseQuantity(value);
  } catch (error) {
    if (!(error instanceof QuantityError)) throw error;
    problems.push(`${path}: ${error.message}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cross-field rules
// ---------------------------------------------------------------------------------------------------------

function validateMemoryMetaReplicas(spec: RisingWaveSpec): string[] {
  return RULES.memoryMetaStoreSingleMeta.check(spec, 'spec');
}

function validateSecretStore(spec: RisingWaveSpec): string[] {
  const key = spec.secretStore?.privateKey;
  if (!key) return [];
  const path = 'spec.secretStore.privateKey';
  const oneSource = RULES.privateKeyOneSource.check(key, path);
  if (oneSource.length > 0) return oneSource;
  if (key.value !== undefined && !/^[0-9a-f]{32}$/.test(key.value)) {
    return [`${path}.value: must be 32 lowercase hexadecimal characters`];
  }
  return [];
}
