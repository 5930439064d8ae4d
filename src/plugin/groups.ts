import { COMPONENTS, type Component } from '../api/risingwave.js';
import { CliError, UsageError } from '../cli/io.js';
import type { JsonPatchOp, RwObject } from './kubectl.js';

export type ComponentName = Component | 'standalone';
export const COMPONENT_NAMES: readonly ComponentName[] = [...COMPONENTS, 'standalone'];

/** One node group, by its index in the stored list and the name that index must still hold when patched. */
export interface GroupRef {
  readonly component: Component;
  readonly index: number;
  readonly name: string;
}

/** `compute` for the default group, `compute/analytics` otherwise: the notation of the status messages. */
export const groupLabel = (component: string, name: string): string => (name === '' ? component : `${component}/${name}`);

export const groupPath = (ref: GroupRef): string => `/spec/components/${ref.component}/nodeGroups/${ref.index}`;

/**
 * Pins the index to the group name: if the list was reordered or a group removed since we read it, the
 * server refuses the whole patch instead of changing another group.
 */
export const testGroupName = (ref: GroupRef): JsonPatchOp => ({ op: 'test', path: `${groupPath(ref)}/name`, value: ref.name });

export function parseComponent(value: string): ComponentName {
  if ((COMPONENT_NAMES as readonly string[]).includes(value)) return value as ComponentName;
  throw new UsageError(`no such component ${JSON.stringify(value)} (one of ${COMPONENT_NAMES.join(', ')})`);
}

export const isStandaloneMode = (rw: RwObject): boolean => rw.spec?.enableStandaloneMode === true;

export function nodeGroupsOf(rw: RwObject, component: Component): GroupRef[] {
  const groups: unknown = rw.spec?.components?.[component]?.nodeGroups;
  if (!Array.isArray(groups)) return [];
  return groups.map((g: RwObject, index) => ({ component, index, name: typeof g?.name === 'string' ? g.name : '' }));
}

const listNames = (groups: readonly GroupRef[]): string => groups.map((g) => JSON.stringify(g.name)).join(', ');

/** The group a single-group command acts on: the one named, else the default group "", else the only one. */
export function resolveGroup(rw: RwObject, component: Component, group: string | undefined): GroupRef {
  const groups = nodeGroupsOf(rw, component);
  if (groups.length === 0) throw new CliError(`${component} has no node groups in ${nameOf(rw)}`);
  if (group !== undefined) {
    const found = groups.find((g) => g.name === group);
    if (!found) throw new CliError(`${component} has no group ${JSON.stringify(group)} (groups: ${listNames(groups)})`);
    return found;
  }
  const byDefault = groups.find((g) => g.name === '');
  if (byDefault) return byDefault;
  if (groups.length === 1) return groups[0]!;
  throw new CliError(`${component} has several groups and none is the default "", choose one with --group (groups: ${listNames(groups)})`);
}

/** The groups a multi-group command (restart) acts on: the one named, else every group of the component. */
export function selectGroups(rw: RwObject, component: Component, group: string | undefined): GroupRef[] {
  if (group !== undefined) return [resolveGroup(rw, component, group)];
  const groups = nodeGroupsOf(rw, component);
  if (groups.length === 0) throw new CliError(`${component} has no node groups in ${nameOf(rw)}`);
  return groups;
}

/**
 * Ops that set one field of `components.standalone`, creating the object (or `components`) when absent.
 * Creating replaces whatever a concurrent writer put there, so that case is pinned to the resourceVersion.
 */
export function setStandaloneField(rw: RwObject, field: string, value: unknown): JsonPatchOp[] {
  const components = rw.spec?.components;
  if (components?.standalone !== undefined && components.standalone !== null) {
    return [{ op: 'add', path: `/spec/components/standalone/${field}`, value }];
  }
  const pin: JsonPatchOp = { op: 'test', path: '/metadata/resourceVersion', value: rw.metadata?.resourceVersion };
  if (components !== undefined && components !== null) return [pin, { op: 'add', path: '/spec/components/standalone', value: { [field]: value } }];
  return [pin, { op: 'add', path: '/spec/components', value: { standalone: { [field]: value } } }];
}

export function nameOf(rw: RwObject): string {
  return `RisingWave "${String(rw.metadata?.name ?? '')}"`;
}
