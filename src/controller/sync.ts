import type { SyncRequest, SyncResponse } from '../api/metacontroller.js';
import { prepareRisingWaveShared } from '../api/prepare.js';
import { namingProblems } from '../builders/plan.js';
import { DEFAULT_HOOK_OPTIONS, type HookOptions, type RisingWaveContext } from '../reactions/context.js';
import { risingWaveWorkflow } from './risingwave.js';
import { systemClock, type Clock } from '../kube/time.js';
import { runWorkflow } from '../workflow/index.js';
import type { Outcome } from '../workflow/outcome.js';
import type { Reaction } from '../workflow/reaction.js';
import { ConditionType, Reason } from '../reactions/status/vocabulary.js';
import { assembleChildren, carryOverAll } from '../kube/assemble.js';
import { canonicalize } from '../kube/canonical.js';
import { ConditionBook } from '../kube/conditions.js';
import { DesiredChildren } from '../kube/desired.js';
import type { KubeObject } from '../kube/kube-object.js';
import { ObservedIndex } from '../kube/observed.js';
import { isRecord } from '../kube/records.js';
import { SERVICE_MONITOR_KEY } from '../kube/child-keys.js';
import { createCaches, type SyncCaches } from '../cache/caches.js';

/** Delay before Metacontroller calls again after a failed reaction (it does not retry a 200 itself). */
export const ERROR_RESYNC_SECONDS = 30;

export interface SyncDeps {
  readonly clock?: Clock;
  readonly options?: Partial<HookOptions>;
  /** The workflow to run; the RisingWave tree unless a test swaps in its own to prove the sync rules. */
  readonly workflow?: Reaction<RisingWaveContext>;
  /**
   * What this sync may share with others (src/cache/caches.ts). Without it, nothing is shared: a call of
   * its own (render, the plugin's preview) has nothing to share with, and a caller that syncs many times
   * (the server, replay, the bench) passes one set for all of them.
   */
  readonly caches?: SyncCaches;
}

const NO_CACHES: SyncCaches = createCaches({ enabled: false });

export interface SyncResult {
  readonly response: SyncResponse;
  /** For logs and metrics: `ok`, `waiting`, `invalid`, `paused`, `error`, `finalized`. */
  readonly outcome: string;
  readonly reason: string;
  readonly carriedOver: readonly string[];
  readonly removed: readonly string[];
}

/**
 * One Metacontroller sync, as a pure function of the request (and the clock, read only on condition
 * transitions): request → parsed parent + observed index → workflow → desired children + status.
 */
export async function runSync(request: SyncRequest, deps: SyncDeps = {}): Promise<SyncResult> {
  const observed = ObservedIndex.from(request.children as Record<string, Record<string, KubeObject>>);
  if (request.finalizing) return finalize(request, observed);

  const ctx = createContext(request, observed, deps);
  let outcome: Outcome;
  try {
    outcome = await runWorkflow(deps.workflow ?? risingWaveWorkflow, ctx);
  } catch (err) {
    outcome = { kind: 'error', errors: [{ reaction: 'RisingWave', message: errorMessage(err) }] };
  }
  return respond(ctx, outcome);
}

function createContext(request: SyncRequest, observed: ObservedIndex, deps: SyncDeps): RisingWaveContext {
  const clock = deps.clock ?? systemClock;
  const raw = request.parent as RisingWaveContext['raw'];
  const previous = isRecord(raw.status) ? raw.status : {};
  const caches = deps.caches ?? NO_CACHES;
  const prepared = prepareRisingWaveShared(raw, caches.parents);
  const { rw } = prepared;
  const serviceMonitor = observed.hasGroup(SERVICE_MONITOR_KEY);
  // Names are checked once the spec itself is sound: a group name can be a valid DNS subdomain and still
  // be too long for a label value or a StatefulSet name, which the API server would refuse child by child.
  const problems = prepared.problems.length ? prepared.problems : namingProblems(rw, serviceMonitor);
  const { conditions: previousConditions, observedGeneration: _og, ...fields } = previous;
  return {
    raw,
    rw,
    problems,
    observed,
    related: ObservedIndex.from(request.related as Record<string, Record<string, KubeObject>>),
    desired: new DesiredChildren(),
    conditions: new ConditionBook(Array.isArray(previousConditions) ? previousConditions : [], clock),
    status: { ...fields },
    clock,
    options: { ...DEFAULT_HOOK_OPTIONS, ...deps.options },
    capabilities: { serviceMonitor },
    caches,
  };
}

function respond(ctx: RisingWaveContext, outcome: Outcome): SyncResult {
  const { children, carriedOver, removed } = assembleChildren(ctx.observed, ctx.desired);
  let resyncAfterSeconds: number | undefined;
  let reason = outcome.kind === 'exit' ? (outcome.reason ?? 'Exit') : 'Synced';
  if (outcome.kind === 'error') {
    const names = outcome.errors.map((e) => `${e.reaction}: ${e.message}`).join('; ');
    ctx.conditions.set(ConditionType.Synced, 'False', Reason.ReactionFailed, `kept every child whose reaction did not finish; ${names}`);
    resyncAfterSeconds = ERROR_RESYNC_SECONDS;
    reason = Reason.ReactionFailed;
  } else {
    if (outcome.kind === 'requeue') resyncAfterSeconds = outcome.afterSeconds;
    // Gates that stop the sync on purpose (invalid spec, pause) set Synced themselves and exit.
    if (outcome.kind !== 'exit') ctx.conditions.set(ConditionType.Synced, 'True', Reason.Reconciled, 'every child was decided by its reaction');
  }
  const status = canonicalize({ ...ctx.status, conditions: ctx.conditions.list() });
  const response: SyncResponse = { status, children };
  if (resyncAfterSeconds !== undefined) response.resyncAfterSeconds = resyncAfterSeconds;
  return {
    response,
    outcome: outcomeLabel(outcome),
    reason,
    carriedOver,
    removed,
  };
}

/** The gates exit with these reasons (src/reactions/gates.ts); anything else that exits is a normal sync. */
const GATE_OUTCOMES: Record<string, string> = { InvalidSpec: 'invalid', Paused: 'paused' };

function outcomeLabel(outcome: Outcome): string {
  if (outcome.kind === 'error') return 'error';
  if (outcome.kind === 'requeue') return 'waiting';
  if (outcome.kind === 'exit') return GATE_OUTCOMES[outcome.reason ?? ''] ?? 'ok';
  return 'ok';
}

/**
 * No finalize hook is registered: children go with the parent through garbage collection. If Metacontroller
 * calls anyway, keep everything and let the parent go.
 */
function finalize(request: SyncRequest, observed: ObservedIndex): SyncResult {
  const status = isRecord(request.parent.status) ? { ...request.parent.status } : {};
  delete status.observedGeneration;
  return {
    response: { status: canonicalize(status), children: carryOverAll(observed), finalized: true },
    outcome: 'finalized',
    reason: 'Finalizing',
    carriedOver: observed.all().map(({ key, obj }) => `${key}/${obj.metadata.name}`),
    removed: [],
  };
}


export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
