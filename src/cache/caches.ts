import { createAnswerCache, type AnswerCache } from './answers.js';
import { createBuildMemo, type BuildMemo } from './builds.js';
import { PieceMemo } from './pieces.js';
import { createSharedValues, type SharedValues } from './shared-values.js';

/**
 * Every cache that shares work between syncs, created together and handed down: the server makes one set
 * for its life (CACHE=on) and gives it to the body parser and, through runSync's deps, to the sync; the
 * reactions reach theirs only through the sync context. Nothing here is a module global, so a test or a
 * CLI run gets a set of its own, and `createCaches({ enabled: false })` turns every one off at once: each
 * then computes what it would have remembered, so the answers are the same byte for byte
 * (test/cache/both-ways.test.ts). The bounds are docs/operations.md's "Memory" table.
 */
export interface Caches {
  readonly enabled: boolean;
  /** Defaulted and validated parents (src/api/prepare.ts `prepareRisingWaveShared`). */
  readonly parents: SharedValues;
  /** Children built from the builders' input alone (src/reactions/workload-memo.ts). */
  readonly builds: BuildMemo;
  /** Parsed pieces of /sync bodies (src/server/sync-body.ts). */
  readonly pieces: PieceMemo;
  /** The last answer per parent (src/controller/cached-sync.ts). */
  readonly answers: AnswerCache;
}

/** The caches a sync itself uses (runSync's deps, and the reactions' context). */
export type SyncCaches = Pick<Caches, 'parents' | 'builds'>;

export function createCaches({ enabled }: { readonly enabled: boolean }): Caches {
  return {
    enabled,
    parents: createSharedValues(enabled),
    builds: createBuildMemo(enabled),
    pieces: new PieceMemo(enabled),
    answers: createAnswerCache(enabled),
  };
}
