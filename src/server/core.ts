import type { RelatedResourceRule, SyncRequest } from '../api/metacontroller.js';
import type { SyncCore } from '../controller/cached-sync.js';

export type { SyncCore };

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

/** The server's two cores: injected ones (tests), or the real ones once `load` has imported them. */
export interface Cores {
  readonly sync: SyncCore | undefined;
  readonly customize: CustomizeCore | undefined;
  /** Imports the real cores (once); a request that arrives before warm-up waits for it. */
  load(): Promise<void>;
}

export function createCores(injected: { readonly sync?: SyncCore; readonly customize?: CustomizeCore }): Cores {
  let sync = injected.sync;
  let customize = injected.customize;
  let loaded: Promise<void> | undefined;
  return {
    get sync() {
      return sync;
    },
    get customize() {
      return customize;
    },
    load: () =>
      (loaded ??= (async () => {
        sync ??= await loadSyncCore();
        customize ??= await loadCustomizeCore();
      })()),
  };
}
