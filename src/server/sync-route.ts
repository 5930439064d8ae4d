import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SyncRequest, SyncResponse } from '../api/metacontroller.js';
import { SYNC_REQUEST_JSON_SCHEMA } from '../api/envelope.js';
import type { AnswerKey, CachedSync } from '../cache/answers.js';
import type { SyncCaches } from '../cache/caches.js';
import type { CachedSyncCore } from '../controller/cached-sync.js';
import type { SyncResult } from '../controller/sync.js';
import { uidOf } from '../kube/kube-object.js';
import type { HookOptions } from '../reactions/context.js';
import type { Admission } from './admission.js';
import type { Cores } from './core.js';
import { JSON_TYPE, tooDeepIsBadBody } from './errors.js';
import { childKindLabel, type HookMetrics } from './metrics.js';
import type { Recorder } from './recorder.js';
import { strictResponse, strictResponseJson } from './response.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The /sync body and its parent's uid, under which the answer is kept (src/controller/cached-sync.ts). */
    syncKey: AnswerKey | null;
  }
}

export interface SyncRouteDeps {
  readonly admission: Admission;
  readonly metrics: HookMetrics;
  /** The sync core behind the answer cache; `answers` says whether that cache is used at all. */
  readonly core: CachedSyncCore;
  readonly answers: boolean;
  /** `core` runs `cores.sync`, loaded here first if the server has not yet (see src/server/core.ts). */
  readonly cores: Cores;
  readonly caches: SyncCaches;
  readonly options: HookOptions;
  readonly recorder: Recorder | undefined;
  /** Time source; each sync runs with a clock frozen at its start, so all its transitions share one time. */
  readonly now: () => Date;
}

/** POST /sync: one Metacontroller sync, answered from the answer cache or computed by the core. */
export function registerSyncRoute(app: FastifyInstance, deps: SyncRouteDeps): void {
  const { metrics, core, recorder } = deps;
  app.decorateRequest('syncKey', null);

  /** Metrics and the one log line of a sync, computed or cached. */
  const report = (request: FastifyRequest, done: CachedSync, seconds: number, cached: boolean): void => {
    metrics.syncDuration.observe({ outcome: done.outcome }, seconds);
    metrics.syncs.inc({ outcome: done.outcome, reason: done.reason });
    for (const [kind, n] of done.childrenByKind) metrics.children.inc({ kind }, n);
    request.log.info(
      {
        parent: done.parent,
        uid: done.uid,
        generation: done.generation,
        children: done.children,
        carriedOver: done.carriedOver,
        ...(done.removed.length > 0 ? { removed: done.removed } : {}),
        outcome: done.outcome,
        reason: done.reason,
        ...(cached ? { cached } : {}),
        ms: Math.round(seconds * 1e6) / 1e3,
      },
      'sync',
    );
  };

  /** Answers a body seen before before it is validated again; otherwise keeps the key for the answer. */
  const answerFromCache = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!deps.answers || request.syncText === null) return undefined;
    const uid = uidOf((request.body as { parent?: unknown } | null)?.parent);
    if (uid === undefined) return undefined;
    const key: AnswerKey = { uid, body: request.syncText };
    const hit = core.answered(key);
    if (hit === undefined) {
      request.syncKey = key;
      return undefined;
    }
    // The time since the request arrived: a hit does no sync work of its own to measure.
    report(request, hit, reply.elapsedTime / 1000, true);
    return reply.code(200).type(JSON_TYPE).send(hit.json);
  };

  app.post('/sync', { schema: { body: SYNC_REQUEST_JSON_SCHEMA }, onRequest: deps.admission.screen, preValidation: [deps.admission.admit, answerFromCache] }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const body = request.body as SyncRequest;
    const at = deps.now();
    const clock = { now: () => new Date(at.getTime()) };
    if (deps.cores.sync === undefined) await deps.cores.load();
    let response: SyncResponse | undefined;
    const done = await tooDeepIsBadBody(async () =>
      core.sync(request.syncKey ?? undefined, body, { clock, options: deps.options, caches: deps.caches }, (result) => {
        response = strictResponse(result.response);
        return answerOf(body, result, response, strictResponseJson(response));
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    report(request, done, seconds, false);
    const meta = body.parent.metadata;
    recorder?.record({ namespace: meta.namespace, name: meta.name, generation: meta.generation, request: request.syncText ?? JSON.stringify(body), response: response!, at });
    return reply.code(200).type(JSON_TYPE).send(done.json);
  });
}

/** What the log line, the metrics and a later identical body need of a sync. */
function answerOf(body: SyncRequest, result: SyncResult, response: SyncResponse, json: string): CachedSync {
  const meta = body.parent.metadata;
  return {
    parent: `${meta.namespace ?? ''}/${meta.name}`,
    uid: meta.uid,
    generation: meta.generation,
    json,
    outcome: result.outcome,
    reason: result.reason,
    children: response.children.length,
    childrenByKind: countByKind(response.children),
    carriedOver: result.carriedOver.length,
    removed: result.removed,
  };
}

function countByKind(children: SyncResponse['children']): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const c of children) {
    const kind = childKindLabel(c);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return byKind;
}
