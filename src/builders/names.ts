import type { RisingWave } from '../api/risingwave.js';

/**
 * Child object names (reference §3.1). One place decides every name, so a reaction that removes an
 * object and the builder that creates it can never disagree.
 */

/** The four node-group components plus standalone: the RisingWave processes. */
export type WorkloadComponent = 'meta' | 'frontend' | 'compute' | 'compactor' | 'standalone';
export type GroupComponent = Exclude<WorkloadComponent, 'standalone'>;
/** `config` labels the default ConfigMap. */
export type LabelComponent = WorkloadComponent | 'config';

export const GROUP_COMPONENTS: readonly GroupComponent[] = ['meta', 'frontend', 'compute', 'compactor'];

/** `N-<component>` for the default group "", `N-<component>-<group>` for a named one. */
export function componentName(rwName: string, component: WorkloadComponent, group = ''): string {
  return group === '' ? `${rwName}-${component}` : `${rwName}-${component}-${group}`;
}

/** The component Service (also the StatefulSets' serviceName, except the frontend's). */
export function serviceName(rwName: string, component: WorkloadComponent): string {
  return componentName(rwName, component);
}

export function frontendHeadlessServiceName(rwName: string): string {
  return `${rwName}-frontend-headless`;
}

export function defaultConfigMapName(rwName: string): string {
  return `${rwName}-default-config`;
}

export function serviceMonitorName(rwName: string): string {
  return `risingwave-${rwName}`;
}

/**
 * The address other processes use for a component's Service: the short name, or the namespace-qualified
 * one with `enableFullKubernetesAddr` (expanded by Kubernetes from `$(POD_NAMESPACE)`).
 */
export function componentAddress(rw: RisingWave, component: WorkloadComponent): string {
  const name = serviceName(rw.metadata.name, component);
  return rw.spec.enableFullKubernetesAddr ? `${name}.$(POD_NAMESPACE).svc` : name;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A StatefulSet's pods carry `controller-revision-hash: <name>-<hash>` (a label value, at most 63 chars) and
 * the hash is up to 10 characters, so a StatefulSet name longer than 52 creates no pods at all.
 */
export const MAX_STATEFULSET_NAME = 52;

/**
 * A Deployment name is a DNS-1123 subdomain, so a group name with dots works (as with the operator); its
 * ReplicaSets are named `<name>-<pod-template-hash>` (up to 10 characters), which must fit in 253.
 */
export const MAX_DEPLOYMENT_NAME = 242;

export interface NamedChild {
  readonly kind: 'Service' | 'StatefulSet' | 'Deployment' | 'ConfigMap' | 'ServiceMonitor';
  readonly name: string;
}

/** Why a child name cannot work, or undefined when it can. */
export function childNameProblem(child: NamedChild): string | undefined {
  const { kind, name } = child;
  if (kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      return `Service name "${name}" is not a DNS-1035 label (at most 63 characters, lowercase, starting with a letter)`;
    }
    return undefined;
  }
  if (kind === 'Deployment') {
    if (name.length > MAX_DEPLOYMENT_NAME || !DNS1123_SUBDOMAIN.test(name)) {
      return `Deployment name "${name}" is not a DNS-1123 subdomain of at most ${MAX_DEPLOYMENT_NAME} characters`;
    }
    return undefined;
  }
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    return `${kind} name "${name}" is not a DNS-1123 label (at most 63 characters)`;
  }
  if (kind === 'StatefulSet' && name.length > MAX_STATEFULSET_NAME) {
    return `StatefulSet name "${name}" is longer than ${MAX_STATEFULSET_NAME} characters; its pods' controller-revision-hash label would exceed 63`;
  }
  return undefined;
}

/** Label values (the RisingWave name, group names) must be valid Kubernetes label values. */
export function labelValueProblem(what: string, value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `${what} "${value}" cannot be a label value (at most 63 characters, alphanumeric at both ends)`;
  }
  return undefined;
}
