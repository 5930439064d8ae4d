import type { RisingWave } from '../api/risingwave.js';
import type { LabelComponent, WorkloadComponent } from './names.js';

/** Label and annotation keys the operator reads and writes (reference §3.2, Go `pkg/consts`). */
export const LABEL_NAME = 'risingwave/name';
export const LABEL_COMPONENT = 'risingwave/component';
export const LABEL_GROUP = 'risingwave/group';
export const LABEL_GENERATION = 'risingwave/generation';
export const LABEL_OPERATOR_VERSION = 'risingwave/operator-version';
/** The generation label of an object that is never re-synced (the default ConfigMap). */
export const NO_SYNC = 'nosync';

export const ANNOTATION_RESTART_AT = 'risingwave/restart-at';
export const ANNOTATION_INHERIT_LABEL_PREFIX = 'risingwave.risingwavelabs.com/inherit-label-prefix';
/** Not in the Go operator: lets a configuration edit roll the pods that read it (see config-hash.ts). */
export const ANNOTATION_CONFIG_HASH = 'risingwave.risingwavelabs.com/config-hash';

export type Labels = Record<string, string>;

/**
 * Labels of the RisingWave whose keys start with `<prefix>/` for a prefix listed (comma-separated) in the
 * inherit-label-prefix annotation. The prefix `risingwave` is ignored: that namespace is the operator's.
 */
export function inheritedLabels(rw: RisingWave): Labels {
  const annotation = rw.metadata.annotations?.[ANNOTATION_INHERIT_LABEL_PREFIX];
  if (annotation === undefined) return {};
  const prefixes = annotation
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0 && p !== 'risingwave');
  const out: Labels = {};
  for (const [key, value] of Object.entries(rw.metadata.labels ?? {})) {
    if (prefixes.some((p) => key.startsWith(`${p}/`))) out[key] = value;
  }
  return out;
}

export interface ObjectLabelOptions {
  /** Omitted for objects that belong to no component (the ServiceMonitor). */
  readonly component?: LabelComponent;
  /** Set for workloads only; "" is the default group. */
  readonly group?: string;
  /** False for objects created once and never updated: their generation label reads `nosync`. */
  readonly sync?: boolean;
}

/**
 * Labels on a child object. The generation label records which spec the child was built from, so status
 * can tell "rolled out" from "rolled out and current" like the Go operator's synced check.
 */
export function objectLabels(rw: RisingWave, operatorVersion: string, options: ObjectLabelOptions = {}): Labels {
  const labels: Labels = { ...inheritedLabels(rw) };
  labels[LABEL_NAME] = rw.metadata.name;
  if (options.component !== undefined) labels[LABEL_COMPONENT] = options.component;
  if (options.group !== undefined) labels[LABEL_GROUP] = options.group;
  labels[LABEL_GENERATION] = options.sync === false ? NO_SYNC : String(rw.metadata.generation ?? 0);
  labels[LABEL_OPERATOR_VERSION] = operatorVersion;
  return labels;
}

/** Service selector: every group of a component. */
export function componentSelector(rwName: string, component: WorkloadComponent): Labels {
  return { [LABEL_NAME]: rwName, [LABEL_COMPONENT]: component };
}

/** Workload selector and the system part of its pod labels. */
export function groupSelector(rwName: string, component: WorkloadComponent, group: string): Labels {
  return { [LABEL_NAME]: rwName, [LABEL_COMPONENT]: component, [LABEL_GROUP]: group };
}

/** Pod template labels: the user's, then the system labels (which always win), then inherited ones. */
export function podLabels(rw: RisingWave, component: WorkloadComponent, group: string, user: Labels | undefined): Labels {
  return { ...(user ?? {}), ...groupSelector(rw.metadata.name, component, group), ...inheritedLabels(rw) };
}
