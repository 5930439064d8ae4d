import type { RelatedResourceRule, SyncRequest } from '../api/metacontroller.js';
import { prepareRisingWave } from '../api/prepare.js';
import { relatedResourcesFor } from '../builders/config-hash.js';

/**
 * The customize hook: the related objects (ConfigMaps, Secrets the spec names) Metacontroller should watch
 * and pass to sync. With hook v2 a rule without `namespace` matches those names in every namespace, so a
 * rule is pinned to the parent's namespace, the only one a RisingWave may reference.
 */
export function relatedResources(parent: SyncRequest['parent']): RelatedResourceRule[] {
  const { rw } = prepareRisingWave(parent);
  const namespace = parent.metadata.namespace;
  return relatedResourcesFor(rw).map((rule) => (rule.namespace === undefined && namespace ? { ...rule, namespace } : rule));
}
