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
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { NodeGroupTemplate } from '../api/risingwave.js';
import { rfc3339 } from '../kube/time.js';
import { processRow } from './components.js';
import { configHash, configSourceFor } from './config-hash.js';
import { CONFIG_FILE_KEY } from './config-map.js';
import { canonicalContainer, canonicalVolume, upsertBy } from './containers.js';
import { baseEnv } from './env/base.js';
import type { ContainerParts } from './env/license.js';
import { mergeEnv, sortByName } from './env/order.js';
import type { BuildInput } from './input.js';
import { ANNOTATION_CONFIG_HASH, ANNOTATION_RESTART_AT, podLabels } from './labels.js';
import { defaultConfigMapName, type WorkloadComponent } from './names.js';
import { CONFIG_MOUNT_PATH, CONFIG_VOLUME, type ComponentSettings, type PodGroup } from './pod-group.js';

const NO_PARTS: ContainerParts = { env: [], volumes: [], volumeMounts: [] };

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

function risingWaveContainer(input: BuildInput, component: WorkloadComponent, group: PodGroup, settings: ComponentSettings): { container: IContainer; volumes: IVolume[] } {
  const spec = group.template?.spec ?? {};
  const image = spec.image || input.rw.spec.image;
  const row = processRow(component);
  const layers = row.env(input, group, image);
  const env = mergeEnv(layers.defaults, spec.env ?? [], layers.store, baseEnv(settings.logLevel, settings.disallowPrintStackTraces, spec.resources));
  let mounts: IVolumeMount[] = [...(spec.volumeMounts ?? [])];
  mounts = upsertBy(mounts, CONFIG_MOUNT, (a, b) => a.mountPath === b.mountPath);
  const volumes: IVolume[] = [];
  for (const part of layers.parts.length ? layers.parts : [NO_PARTS]) {
    for (const m of part.volumeMounts) mounts = upsertBy(mounts, m, (a, b) => a.mountPath === b.mountPath);
    volumes.push(...part.volumes);
  }
  const { command, args } = row.invocation(input);
  const probes = row.probes(input.rw);
  const container: IContainer = {
    name: component,
    image,
    imagePullPolicy: spec.imagePullPolicy,
    command,
    args,
    ports: row.ports(input.rw).map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    env,
    envFrom: spec.envFrom && spec.envFrom.length > 0 ? spec.envFrom : undefined,
    resources: spec.resources,
    volumeMounts: mounts,
    volumeDevices: spec.volumeDevices && spec.volumeDevices.length > 0 ? spec.volumeDevices : undefined,
    securityContext: spec.securityContext,
    startupProbe: probes.startup,
    livenessProbe: probes.liveness,
    readinessProbe: probes.readiness,
    lifecycle: row.lifecycle(input.rw),
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
