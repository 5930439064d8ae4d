import type { SyncRequest } from '../api/metacontroller.js';
import type { AnswerCache, AnswerKey, CachedSync } from '../cache/answers.js';
import type { Clock } from '../kube/time.js';
import type { SyncDeps, SyncResult } from './sync.js';

/** runSync's shape; the server's tests inject a fake with the same one. */
export type SyncCore = (request: SyncRequest, deps: SyncDeps) => Promise<SyncResult>;

export interface CachedSyncCore {
  /** The answer remembered for exactly this body of this parent, if there is one. */
  answered(key: AnswerKey): CachedSync | undefined;
  /**
   * Runs the sync and turns its result into the answer with `answer`; keeps that answer for `key` (the body
   * the request came as) when it is a pure function of the body. Without a key nothing is kept.
   */
  sync(key: AnswerKey | undefined, request: SyncRequest, deps: SyncDeps & { readonly clock: Clock }, answer: (result: SyncResult) => CachedSync): Promise<CachedSync>;
}

/**
 * `core` (runSync) behind the answer cache (src/cache/answers.ts). A sync is a pure function of its request
 * and the process's options, except that it may read the clock (a condition changed or a rollout deadline
 * was measured: the answer then depends on the time) or fail (possibly for a transient reason): such
 * answers are computed anew every time. Only the real core is known to be pure; the server gives an
 * injected one a disabled cache.
 */
export function cachedSync(core: SyncCore, answers: AnswerCache): CachedSyncCore {
  return {
    answered: (key) => answers.get(key.uid, key.body),
    async sync(key, request, deps, answer) {
      let clockRead = false;
      const clock: Clock = {
        now: () => {
          clockRead = true;
          return deps.clock.now();
        },
      };
      const result = await core(request, { ...deps, clock });
      const done = answer(result);
      if (key !== undefined && !clockRead && result.outcome !== 'error') answers.set(key.uid, key.body, done);
      return done;
    },
  };
}
