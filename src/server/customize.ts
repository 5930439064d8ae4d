import type { RelatedResourceRule, SyncRequest } from '../api/metacontroller.js';

/**
 * The customize hook: which related objects Metacontroller should watch and pass to sync for this parent.
 * Until `relatedResourcesFor` (src/builders/config-hash.ts) lands, the hook asks for nothing.
 */
export function relatedResources(_parent: SyncRequest['parent']): RelatedResourceRule[] {
  return [];
}
