import { createHash } from 'node:crypto';
import type { RelatedResourceRule } from '../api/metacontroller.js';
import { DEFAULT_CONFIG_KEY, type ConfigurationSource, type RisingWave } from '../api/risingwave.js';
import type { ObservedIndex } from '../kube/observed.js';
import { GROUP_COMPONENTS, type WorkloadComponent } from './names.js';
import { expectedGroups, isStandalone } from './plan.js';
import { recordOr } from '../kube/records.js';
import { CONFIGMAP_KEY, SECRET_KEY } from '../kube/child-keys.js';

/**
 * Configuration files named by the spec, and a hash of their content for the pod template.
 *
 * The Go operator does not restart pods when risingwave.toml changes (users bump restartAt). Here the
 * customize hook asks Metacontroller for every ConfigMap/Secret the spec names; when one is present in the
 * sync request, the hash of the referenced key goes into the pod template annotation
 * `risingwave.risingwavelabs.com/config-hash`, so an edit rolls exactly the groups that read that file.
 * When it is absent, the annotation is left out (never a hash of "nothing", which would roll every pod
 * once the object appears AND once more if it were later deleted) and `missingConfigurations` reports it.
 */

export interface ConfigSourceRef {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly key: string;
  readonly optional?: boolean;
}

/** The configuration a group reads: its own if it has one, else the cluster's; undefined means the default ConfigMap. */
export function configSourceFor(rw: RisingWave, groupConfiguration: ConfigurationSource | undefined): ConfigSourceRef | undefined {
  const src = groupConfiguration ?? rw.spec.configuration;
  if (src?.configMap) {
    return withOptional({ kind: 'ConfigMap', name: src.configMap.name ?? '', key: src.configMap.key || DEFAULT_CONFIG_KEY }, src.configMap.optional);
  }
  if (src?.secret) {
    return withOptional({ kind: 'Secret', name: src.secret.name ?? '', key: src.secret.key || DEFAULT_CONFIG_KEY }, src.secret.optional);
  }
  return undefined;
}

function withOptional(ref: ConfigSourceRef, optional: boolean | undefined): ConfigSourceRef {
  return optional === undefined ? ref : { ...ref, optional };
}

export interface ConfigUse {
  readonly component: WorkloadComponent;
  readonly group: string;
  readonly source: ConfigSourceRef;
}

/** Every (component, group) that reads a user-named configuration, in a stable order. */
export function configUses(rw: RisingWave): ConfigUse[] {
  const uses: ConfigUse[] = [];
  if (isStandalone(rw)) {
    const source = configSourceFor(rw, undefined);
    if (source) uses.push({ component: 'standalone', group: '', source });
    return uses;
  }
  for (const component of GROUP_COMPONENTS) {
    for (const g of expectedGroups(rw, component)) {
      const source = configSourceFor(rw, g.configuration);
      if (source) uses.push({ component, group: g.name, source });
    }
  }
  return uses;
}

/**
 * The customize hook's answer: the ConfigMaps and Secrets the spec names (cluster-wide and per group,
 * whether or not a group currently uses them), by name, sorted.
 */
export function relatedResourcesFor(rw: RisingWave): RelatedResourceRule[] {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (src: ConfigurationSource | undefined) => {
    if (src?.configMap?.name) configMaps.add(src.configMap.name);
    if (src?.secret?.name) secrets.add(src.secret.name);
  };
  add(rw.spec.configuration);
  for (const component of GROUP_COMPONENTS) {
    for (const g of rw.spec.components?.[component]?.nodeGroups ?? []) add(g.configuration);
  }
  const rules: RelatedResourceRule[] = [];
  if (configMaps.size > 0) rules.push({ apiVersion: 'v1', resource: 'configmaps', names: [...configMaps].sort() });
  if (secrets.size > 0) rules.push({ apiVersion: 'v1', resource: 'secrets', names: [...secrets].sort() });
  return rules;
}

const RELATED_KEY = { ConfigMap: CONFIGMAP_KEY, Secret: SECRET_KEY } as const;

/** Length of the hash kept in the annotation: 64 bits is plenty to notice an edit. */
export const CONFIG_HASH_LENGTH = 16;

/**
 * Short sha256 of the referenced key's content, or undefined when the object is not in the request.
 * A present object without the key hashes differently from an empty value.
 */
export function configHash(related: ObservedIndex | undefined, source: ConfigSourceRef): string | undefined {
  const obj = related?.get(RELATED_KEY[source.kind], source.name);
  if (!obj) return undefined;
  const data = recordOr(obj.data);
  const binary = recordOr(obj.binaryData);
  // Own keys only: `"toString" in {}` is true, and a missing key named like that hashed as present.
  const content = Object.hasOwn(data, source.key) ? { data: data[source.key] } : Object.hasOwn(binary, source.key) ? { binaryData: binary[source.key] } : { missingKey: true };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, CONFIG_HASH_LENGTH);
}


export interface MissingConfiguration extends ConfigUse {
  /** Human-readable, for a status condition message. */
  readonly message: string;
}

/**
 * Configurations the spec names that the request did not carry. Only judged when Metacontroller sent the
 * kind at all (`related` has its key): without a customize hook nothing is known, so nothing is "missing".
 */
export function missingConfigurations(rw: RisingWave, related: ObservedIndex | undefined): MissingConfiguration[] {
  if (!related) return [];
  const out: MissingConfiguration[] = [];
  for (const use of configUses(rw)) {
    const key = RELATED_KEY[use.source.kind];
    if (!related.hasGroup(key) || related.get(key, use.source.name)) continue;
    const where = use.group === '' ? use.component : `${use.component} group ${use.group}`;
    const optional = use.source.optional ? ' (optional)' : '';
    out.push({ ...use, message: `configuration ${use.source.kind} ${use.source.name}${optional} used by ${where} not found` });
  }
  return out;
}
