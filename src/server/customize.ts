import type { RelatedResourceRule, SyncRequest } from '../api/metacontroller.js';
import { prepareRisingWave } from '../api/prepare.js';
import { relatedResourcesFor } from '../builders/config-hash.js';

/**
 * The customize hook: the related objects (ConfigMaps, Secrets the spec names) Metacontroller should watch
 * and pass to sync. With hook v2 a rule without `namespace` matches those names in every namespace, so a
 * rule is pinned to the parent's namespace, the only one a RisingWave may reference. None while the spec is
 * invalid.
 */
export function relatedResources(parent: SyncRequest['parent']): RelatedResourceRule[] {
  const { rw, problems } = prepareRisingWave(parent);
  // The rules are read from a typed spec; an invalid one (a null node group) made this throw, a 500. Sync
  // acts on nothing while the spec is invalid, and fixing it bumps the generation, which calls customize
  // again (Metacontroller caches the answer per uid and generation).
  if (problems.length > 0) return [];
  const namespace = parent.metadata.namespace;
  return relatedResourcesFor(rw).map((rule) => (rule.namespace === undefined && namespace ? { ...rule, namespace } : rule));
}
