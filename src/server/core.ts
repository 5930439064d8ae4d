import type { RelatedResourceRule, SyncRequest } from '../api/metacontroller.js';
import type { SyncDeps, SyncResult } from '../controller/sync.js';

/** The pure sync core as the server sees it; tests inject a fake with the same shape. */
export type SyncCore = (request: SyncRequest, deps: SyncDeps) => Promise<SyncResult>;

/** Answers the customize hook for one parent (as received, not yet defaulted). */
export type CustomizeCore = (parent: SyncRequest['parent']) => Promise<RelatedResourceRule[]> | RelatedResourceRule[];

/**
 * The real cores are imported on first use rather than at module load: the server module stays cheap to
 * import (tests with a fake core never load the workflow tree), and `buildApp` starts loading them as soon
 * as the server listens, so readiness does not wait for them and the first request rarely does.
 */
export async function loadSyncCore(): Promise<SyncCore> {
  const { runSync } = await import('../controller/sync.js');
  return runSync;
}

export async function loadCustomizeCore(): Promise<CustomizeCore> {
  const { relatedResources } = await import('./customize.js');
  return relatedResources;
}
