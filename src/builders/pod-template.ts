/**
 * Pod templates for every RisingWave component (reference §3.3, §8).
 *
 * Canonical defaults — why the hook spells out some values the API server would add anyway.
 * Metacontroller updates a child with a 3-way merge of (observed, last applied, desired) and PUTs only when
 * the merge differs from the observed object. A field the hook never sends is kept as the server set it,
 * so leaving out a defaulted field is safe. What causes an update on every sync is sending a value the
 * server rewrites: a `fieldRef` without `apiVersion`, a quantity spelled `1000m` (stored as `1`), an
 * `omitempty` zero such as `minReadySeconds: 0` or `hostPID: false` (stored as absent). Lists whose items
 * share no merge key (`args`, `command`, `tolerations`, `volumeClaimTemplates`) are replaced whole, so any
 * default inside them must be sent too. The rules applied here:
 *  - emitted with the server's value, because every supported API server stores exactly that:
 *    container `imagePullPolicy` (Always for untagged/`:latest`, else IfNotPresent), `terminationMessagePath`
 *    `/dev/termination-log`, `terminationMessagePolicy` File, `resources` `{}` when unset, port `protocol`
 *    TCP, probe `timeoutSeconds` 1 / `periodSeconds` 10 / `successThreshold` 1 / `failureThreshold` 3,
 *    `fieldRef.apiVersion` v1, volume `defaultMode` 420; pod `restartPolicy` Always, `dnsPolicy`
 *    ClusterFirst, `schedulerName` default-scheduler, `securityContext` {}, `terminationGracePeriodSeconds` 30;
 *  - canonicalised: every resource quantity (quantity.ts), since the server never keeps the user's spelling;
 *  - dropped when zero/false because the field is `omitempty`: `stdin`, `stdinOnce`, `tty`, `hostPID`,
 *    `hostIPC`, volumeMount `readOnly: false`;
 *  - left to the server because the value depends on the cluster or on admission plugins: Pod-level
 *    `serviceAccountName` (not set on templates anyway), `ipFamilies`, feature-gated fields.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { ConfigurationSource, NodeGroupTemplate } from '../api/risingwave.js';
import { rfc3339 } from '../kube/time.js';
import { configHash, configSourceFor } from './config-hash.js';
import { CONFIG_FILE_KEY } from './config-map.js';
import { canonicalContainer, canonicalVolume, upsertBy } from './containers.js';
import { baseEnv } from './env/base.js';
import { licenseParts, type ContainerParts } from './env/license.js';
import { metaStoreEnv } from './env/meta-store.js';
import { mergeEnv, sortByName } from './env/order.js';
import { valueEnv } from './env/refs.js';
import { parallelismAndMemoryEnv } from './env/resources.js';
import { secretStoreEnv } from './env/secret-store.js';
import { stateStoreEnv } from './env/state-store.js';
import { tlsParts } from './env/tls.js';
import { imageTag, standaloneUsesSingleNode } from './image.js';
import { ANNOTATION_CONFIG_HASH, ANNOTATION_RESTART_AT, podLabels } from './labels.js';
import { componentAddress, defaultConfigMapName, type WorkloadComponent } from './names.js';
import { isEmbeddedServing, webhookListenerEnabled, type BuildInput } from './plan.js';
import {
  COMPACTOR_METRICS_PORT,
  COMPACTOR_SERVICE_PORT,
  COMPUTE_METRICS_PORT,
  COMPUTE_SERVICE_PORT,
  FRONTEND_METRICS_PORT,
  FRONTEND_SERVICE_PORT,
  META_DASHBOARD_PORT,
  META_METRICS_PORT,
  META_SERVICE_PORT,
  PORT_SERVICE,
  WEBHOOK_LISTENER_PORT,
  componentPorts,
} from './ports.js';

export const RISINGWAVE_BINARY = '/risingwave/bin/risingwave';
export const CONFIG_VOLUME = 'risingwave-config';
export const CONFIG_MOUNT_PATH = '/risingwave/config';
export const CONFIG_PATH = `${CONFIG_MOUNT_PATH}/${CONFIG_FILE_KEY}`;

/** The part of a node group (or of the standalone component) a pod template is built from. */
export interface PodGroup {
  readonly name: string;
  readonly restartAt?: string;
  readonly configuration?: ConfigurationSource;
  readonly template?: NodeGroupTemplate;
}

const NO_PARTS: ContainerParts = { env: [], volumes: [], volumeMounts: [] };

// ------------------------------------------------------------------------------------------------------
// Probes
// ------------------------------------------------------------------------------------------------------

function tcpProbe(initialDelaySeconds: number, periodSeconds: number, timeoutSeconds: number, failureThreshold: number): IProbe {
  return { tcpSocket: { port: PORT_SERVICE }, initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold: 1 };
}

/** Compute may rebuild a persistent file cache before it listens: 36 × 5 s instead of 12 × 5 s. */
export function startupProbe(component: WorkloadComponent): IProbe {
  return tcpProbe(5, 5, 5, component === 'compute' ? 36 : 12);
}

export function livenessProbe(): IProbe {
  return tcpProbe(2, 10, 1, 3);
}

/**
 * In embedded serving the frontend pod is ready only when both the SQL and the serving compute port accept.
 * The command is the operator's, byte for byte: any other spelling of the same check is a pod template
 * change, which would replace every frontend pod when a cluster switches from the operator to the hook.
 */
export function embeddedServingReadinessProbe(): IProbe {
  return {
    exec: { command: ['bash', '-ec', `</dev/tcp/127.0.0.1/${FRONTEND_SERVICE_PORT}\n</dev/tcp/127.0.0.1/${COMPUTE_SERVICE_PORT}`] },
    initialDelaySeconds: 2,
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  };
}

// ------------------------------------------------------------------------------------------------------
// Env per component
// ------------------------------------------------------------------------------------------------------

interface EnvLayers {
  /** Component defaults: the user's template env overrides these. */
  readonly defaults: IEnvVar[];
  /** Store-derived env: overrides the user's. */
  readonly store: IEnvVar[];
  readonly parts: ContainerParts[];
}

const STATE_STORE_URL_VARS = new Set(['RW_STATE_STORE', 'RW_DATA_DIRECTORY']);

function metaAddressEnv(input: BuildInput): IEnvVar[] {
  const addr = `load-balance+http://${componentAddress(input.rw, 'meta')}:${META_SERVICE_PORT}`;
  return [valueEnv('RW_META_ADDR', addr), valueEnv('RW_META_ADDRESS', addr)];
}

function advertiseAddress(input: BuildInput, component: 'meta' | 'compute', port: number): string {
  return input.rw.spec.enableAdvertisingWithIP === true ? `$(POD_IP):${port}` : `$(POD_NAME).${componentAddress(input.rw, component)}:${port}`;
}

/**
 * The meta core env shared by meta and standalone: the state-store URL and data directory, the dashboard
 * address and the meta store's plain values. The meta store's Secret references are returned apart: the
 * operator lets the user override the former but not the latter.
 */
function metaCoreEnv(input: BuildInput, tag: string): { core: IEnvVar[]; credentials: IEnvVar[] } {
  const state = stateStoreEnv(input.rw, { includeStoreUrl: true }).filter((e) => STATE_STORE_URL_VARS.has(e.name));
  const metaStore = metaStoreEnv(input.rw, tag);
  return {
    core: [...state, valueEnv('RW_DASHBOARD_HOST', `0.0.0.0:${META_DASHBOARD_PORT}`), ...metaStore.filter((e) => !e.valueFrom)],
    credentials: metaStore.filter((e) => e.valueFrom),
  };
}

function stateStoreCredentialEnv(input: BuildInput): IEnvVar[] {
  return stateStoreEnv(input.rw, { includeStoreUrl: false });
}

function componentEnv(input: BuildInput, component: WorkloadComponent, group: PodGroup, image: string): EnvLayers {
  const { rw } = input;
  const tag = imageTag(image);
  const configPath = valueEnv('RW_CONFIG_PATH', CONFIG_PATH);
  const resources = group.template?.spec?.resources;
  switch (component) {
    case 'meta': {
      const { core, credentials } = metaCoreEnv(input, tag);
      const license = licenseParts(rw, tag);
      return {
        defaults: [
          valueEnv('RW_META_ADDR', `http://127.0.0.1:${META_SERVICE_PORT}`),
          configPath,
          valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${META_SERVICE_PORT}`),
          valueEnv('RW_ADVERTISE_ADDR', advertiseAddress(input, 'meta', META_SERVICE_PORT)),
          valueEnv('RW_PROMETHEUS_HOST', `0.0.0.0:${META_METRICS_PORT}`),
          ...core,
        ],
        store: [...stateStoreCredentialEnv(input), ...credentials, ...license.env, ...secretStoreEnv(rw)],
        parts: [license],
      };
    }
    case 'frontend': {
      const tls = tlsParts(rw);
      const embedded = isEmbeddedServing(rw);
      return {
        defaults: [
          valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${FRONTEND_SERVICE_PORT}`),
          configPath,
          valueEnv('RW_ADVERTISE_ADDR', `$(POD_IP):${FRONTEND_SERVICE_PORT}`),
          ...metaAddressEnv(input),
          valueEnv('RW_PROMETHEUS_LISTENER_ADDR', `0.0.0.0:${FRONTEND_METRICS_PORT}`),
          ...(webhookListenerEnabled(rw) ? [valueEnv('RW_WEBHOOK_LISTEN_ADDR', `0.0.0.0:${WEBHOOK_LISTENER_PORT}`)] : []),
          ...tls.env,
          // The embedded serving compute needs what a compute needs; the operator lets the user override it.
          ...(embedded ? [...parallelismAndMemoryEnv(resources), ...stateStoreCredentialEnv(input)] : []),
        ],
        store: [],
        parts: [tls],
      };
    }
    case 'compute': {
      return {
        defaults: [
          configPath,
          valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${COMPUTE_SERVICE_PORT}`),
          valueEnv('RW_ADVERTISE_ADDR', advertiseAddress(input, 'compute', COMPUTE_SERVICE_PORT)),
          ...metaAddressEnv(input),
          valueEnv('RW_PROMETHEUS_LISTENER_ADDR', `0.0.0.0:${COMPUTE_METRICS_PORT}`),
          ...parallelismAndMemoryEnv(resources),
          // Named groups are resource groups; a default layer, so the template may choose another.
          ...(group.name !== '' ? [valueEnv('RW_RESOURCE_GROUP', group.name)] : []),
        ],
        store: stateStoreCredentialEnv(input),
        parts: [],
      };
    }
    case 'compactor':
      return {
        defaults: [
          configPath,
          valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${COMPACTOR_SERVICE_PORT}`),
          valueEnv('RW_ADVERTISE_ADDR', `$(POD_IP):${COMPACTOR_SERVICE_PORT}`),
          valueEnv('RW_PROMETHEUS_LISTENER_ADDR', `0.0.0.0:${COMPACTOR_METRICS_PORT}`),
          ...metaAddressEnv(input),
        ],
        store: stateStoreCredentialEnv(input),
        parts: [],
      };
    case 'standalone': {
      // The operator merges every generated variable over the user's for standalone.
      const { core, credentials } = metaCoreEnv(input, tag);
      const tls = tlsParts(rw);
      const license = licenseParts(rw, tag);
      return {
        defaults: [],
        store: [
          ...tls.env,
          configPath,
          ...core,
          valueEnv('RW_META_ADDR', `http://127.0.0.1:${META_SERVICE_PORT}`),
          ...stateStoreCredentialEnv(input),
          ...credentials,
          ...license.env,
          ...secretStoreEnv(rw),
          // The standalone process serves the frontend's webhook listener; the Services declare port 4560.
          ...(webhookListenerEnabled(rw) ? [valueEnv('RW_WEBHOOK_LISTEN_ADDR', `0.0.0.0:${WEBHOOK_LISTENER_PORT}`)] : []),
        ],
        parts: [tls, license],
      };
    }
  }
}

// ------------------------------------------------------------------------------------------------------
// Command and args
// ------------------------------------------------------------------------------------------------------

function legacyStandaloneArgs(input: BuildInput): string[] {
  const etcd = input.rw.spec.metaStore?.etcd;
  const metaStoreArgs = ['--backend $(RW_BACKEND)'];
  if (etcd) {
    metaStoreArgs.push('--etcd-endpoints $(RW_ETCD_ENDPOINTS)');
    if (etcd.credentials?.secretName) {
      metaStoreArgs.push('--etcd-auth', '--etcd-username $(RW_ETCD_USERNAME)', '--etcd-password $(RW_ETCD_PASSWORD)');
    }
  }
  const meta = [
    `--listen-addr 127.0.0.1:${META_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${META_SERVICE_PORT}`,
    `--dashboard-host 0.0.0.0:${META_DASHBOARD_PORT}`,
    `--prometheus-host 0.0.0.0:${META_METRICS_PORT}`,
    '--state-store $(RW_STATE_STORE)',
    '--data-directory $(RW_DATA_DIRECTORY)',
    ...metaStoreArgs,
  ];
  const compute = [
    `--listen-addr 127.0.0.1:${COMPUTE_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${COMPUTE_SERVICE_PORT}`,
    `--meta-address http://127.0.0.1:${META_SERVICE_PORT}`,
  ];
  const frontend = [
    `--listen-addr 0.0.0.0:${FRONTEND_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${FRONTEND_SERVICE_PORT}`,
    `--meta-addr http://127.0.0.1:${META_SERVICE_PORT}`,
  ];
  const compactor = [
    `--listen-addr 127.0.0.1:${COMPACTOR_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${COMPACTOR_SERVICE_PORT}`,
    `--meta-address http://127.0.0.1:${META_SERVICE_PORT}`,
  ];
  return [
    '--config-path=$(RW_CONFIG_PATH)',
    `--prometheus-listener-addr=0.0.0.0:${META_METRICS_PORT}`,
    `--meta-opts=${meta.join(' ')}`,
    `--compute-opts=${compute.join(' ')}`,
    `--frontend-opts=${frontend.join(' ')}`,
    `--compactor-opts=${compactor.join(' ')}`,
  ];
}

interface Invocation {
  readonly command: string[];
  readonly args: string[];
}

export function invocation(input: BuildInput, component: WorkloadComponent): Invocation {
  const embedded = isEmbeddedServing(input.rw);
  switch (component) {
    case 'meta':
      return { command: [RISINGWAVE_BINARY], args: ['meta-node'] };
    case 'compactor':
      return { command: [RISINGWAVE_BINARY], args: ['compactor-node'] };
    case 'compute':
      return { command: [RISINGWAVE_BINARY], args: embedded ? ['compute-node', '--role=streaming'] : ['compute-node'] };
    case 'frontend':
      if (!embedded) return { command: [RISINGWAVE_BINARY], args: ['frontend-node'] };
      return {
        command: [RISINGWAVE_BINARY],
        args: [
          'standalone',
          `--compute-opts=--listen-addr 0.0.0.0:${COMPUTE_SERVICE_PORT} --advertise-addr $(POD_IP):${COMPUTE_SERVICE_PORT} --role=serving`,
          `--frontend-opts=--listen-addr 0.0.0.0:${FRONTEND_SERVICE_PORT} --advertise-addr $(POD_IP):${FRONTEND_SERVICE_PORT}`,
        ],
      };
    case 'standalone': {
      // The operator decides by the tag of spec.image, not of a template's image.
      const singleNode = standaloneUsesSingleNode(imageTag(input.rw.spec.image), input.rw.spec.standaloneMode ?? 0);
      if (singleNode) {
        return {
          command: [RISINGWAVE_BINARY, 'single-node'],
          args: ['--config-path=$(RW_CONFIG_PATH)', `--prometheus-listener-addr=0.0.0.0:${META_METRICS_PORT}`, `--listen-addr=0.0.0.0:${FRONTEND_SERVICE_PORT}`],
        };
      }
      return { command: [RISINGWAVE_BINARY, 'standalone'], args: legacyStandaloneArgs(input) };
    }
  }
}

// ------------------------------------------------------------------------------------------------------
// Config volume
// ------------------------------------------------------------------------------------------------------

/** `risingwave-config`: the group's configuration, else the cluster's, else `N-default-config`. */
export function configVolume(input: BuildInput, group: PodGroup): IVolume {
  const source = configSourceFor(input.rw, group.configuration);
  const items = (key: string) => [{ key, path: CONFIG_FILE_KEY }];
  if (source?.kind === 'ConfigMap') {
    return { name: CONFIG_VOLUME, configMap: { name: source.name, items: items(source.key), optional: source.optional } };
  }
  if (source?.kind === 'Secret') {
    return { name: CONFIG_VOLUME, secret: { secretName: source.name, items: items(source.key), optional: source.optional } };
  }
  return { name: CONFIG_VOLUME, configMap: { name: defaultConfigMapName(input.rw.metadata.name), items: items(CONFIG_FILE_KEY) } };
}

const CONFIG_MOUNT: IVolumeMount = { name: CONFIG_VOLUME, mountPath: CONFIG_MOUNT_PATH, readOnly: true };

// ------------------------------------------------------------------------------------------------------
// The template
// ------------------------------------------------------------------------------------------------------

export interface ComponentSettings {
  readonly logLevel?: string;
  readonly disallowPrintStackTraces?: boolean;
}

function risingWaveContainer(input: BuildInput, component: WorkloadComponent, group: PodGroup, settings: ComponentSettings): { container: IContainer; volumes: IVolume[] } {
  const spec = group.template?.spec ?? {};
  const image = spec.image || input.rw.spec.image;
  const layers = componentEnv(input, component, group, image);
  const env = mergeEnv(layers.defaults, spec.env ?? [], layers.store, baseEnv(settings.logLevel, settings.disallowPrintStackTraces, spec.resources));
  let mounts: IVolumeMount[] = [...(spec.volumeMounts ?? [])];
  mounts = upsertBy(mounts, CONFIG_MOUNT, (a, b) => a.mountPath === b.mountPath);
  const volumes: IVolume[] = [];
  for (const part of layers.parts.length ? layers.parts : [NO_PARTS]) {
    for (const m of part.volumeMounts) mounts = upsertBy(mounts, m, (a, b) => a.mountPath === b.mountPath);
    volumes.push(...part.volumes);
  }
  const embeddedFrontend = component === 'frontend' && isEmbeddedServing(input.rw);
  const { command, args } = invocation(input, component);
  const container: IContainer = {
    name: component,
    image,
    imagePullPolicy: spec.imagePullPolicy,
    command,
    args,
    ports: componentPorts(component, webhookListenerEnabled(input.rw)).map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    env,
    envFrom: spec.envFrom && spec.envFrom.length > 0 ? spec.envFrom : undefined,
    resources: spec.resources,
    volumeMounts: mounts,
    volumeDevices: spec.volumeDevices && spec.volumeDevices.length > 0 ? spec.volumeDevices : undefined,
    securityContext: spec.securityContext,
    startupProbe: startupProbe(component),
    livenessProbe: livenessProbe(),
    readinessProbe: embeddedFrontend ? embeddedServingReadinessProbe() : livenessProbe(),
    lifecycle: embeddedFrontend
      ? { preStop: { exec: { command: ['bash', '-c', `${RISINGWAVE_BINARY} ctl meta unregister-workers --yes --workers \${POD_IP}:${COMPUTE_SERVICE_PORT}`] } } }
      : undefined,
  };
  return { container: canonicalContainer(container), volumes };
}

function podAnnotations(input: BuildInput, group: PodGroup): Record<string, string> | undefined {
  const annotations: Record<string, string> = { ...(group.template?.metadata?.annotations ?? {}) };
  if (group.restartAt) annotations[ANNOTATION_RESTART_AT] = rfc3339(new Date(group.restartAt));
  const source = configSourceFor(input.rw, group.configuration);
  const hash = source ? configHash(input.related, source) : undefined;
  if (hash) annotations[ANNOTATION_CONFIG_HASH] = hash;
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

/** Pod-level fields of the template, mapped to the PodSpec (`podSecurityContext` becomes `securityContext`). */
function userPodSpec(template: NodeGroupTemplate | undefined): Partial<IPodSpec> {
  const s = template?.spec ?? {};
  return {
    activeDeadlineSeconds: s.activeDeadlineSeconds,
    terminationGracePeriodSeconds: s.terminationGracePeriodSeconds ?? 30,
    dnsPolicy: s.dnsPolicy || 'ClusterFirst',
    dnsConfig: s.dnsConfig,
    nodeSelector: s.nodeSelector && Object.keys(s.nodeSelector).length > 0 ? s.nodeSelector : undefined,
    serviceAccountName: s.serviceAccountName || undefined,
    automountServiceAccountToken: s.automountServiceAccountToken,
    hostPID: s.hostPID === true ? true : undefined,
    hostIPC: s.hostIPC === true ? true : undefined,
    shareProcessNamespace: s.shareProcessNamespace,
    securityContext: s.podSecurityContext ?? {},
    imagePullSecrets: s.imagePullSecrets && s.imagePullSecrets.length > 0 ? s.imagePullSecrets : undefined,
    affinity: s.affinity,
    schedulerName: s.schedulerName || 'default-scheduler',
    tolerations: s.tolerations && s.tolerations.length > 0 ? s.tolerations : undefined,
    hostAliases: s.hostAliases && s.hostAliases.length > 0 ? s.hostAliases : undefined,
    priorityClassName: s.priorityClassName || undefined,
    priority: s.priority,
    runtimeClassName: s.runtimeClassName || undefined,
    preemptionPolicy: (s.preemptionPolicy || undefined) as IPodSpec['preemptionPolicy'],
    topologySpreadConstraints: s.topologySpreadConstraints && s.topologySpreadConstraints.length > 0 ? s.topologySpreadConstraints : undefined,
    setHostnameAsFQDN: s.setHostnameAsFQDN,
    os: s.os,
    hostUsers: s.hostUsers,
  };
}

/**
 * The pod template of one node group: the RisingWave container first (named after the component), the
 * user's additional containers after it, init containers, the config volume, and the system labels.
 */
export function podTemplate(input: BuildInput, component: WorkloadComponent, group: PodGroup, settings: ComponentSettings): IPodTemplateSpec {
  const spec = group.template?.spec ?? {};
  const { container, volumes: partVolumes } = risingWaveContainer(input, component, group, settings);
  let volumes: IVolume[] = [...(spec.volumes ?? [])];
  volumes = upsertBy(volumes, configVolume(input, group), (a, b) => a.name === b.name);
  for (const v of partVolumes) volumes = upsertBy(volumes, v, (a, b) => a.name === b.name);
  const initContainers = (spec.initContainers ?? []).map(canonicalContainer);
  const annotations = podAnnotations(input, group);
  return {
    metadata: {
      labels: podLabels(input.rw, component, group.name, group.template?.metadata?.labels),
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      ...userPodSpec(group.template),
      containers: [container, ...(spec.additionalContainers ?? []).map(canonicalContainer)],
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      volumes: sortByName(volumes.map(canonicalVolume)),
      enableServiceLinks: false,
      restartPolicy: 'Always',
    },
  };
}
