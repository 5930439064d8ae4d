/**
 * The condition state machine of the Go operator (reference §5.3), one reaction per barrier and mark, so
 * the tree in src/controller/risingwave.ts reads like the operator's diagram.
 *
 * Barriers read the conditions as stored when this sync began (ConditionBook.before), like the operator's
 * immutable snapshot, so one sync moves each condition at most one step. Marks write the new value;
 * lastTransitionTime moves only when a status value changes.
 */
import type { RisingWaveContext } from '../context.js';
import { LABEL_GENERATION } from '../../builders/labels.js';
import type { Condition, ConditionStatus } from '../../kube/conditions.js';
import { groupKeyOf } from '../../kube/kube-object.js';
import { rolloutResyncSeconds, FIRST_RESYNC_SECONDS } from './backoff.js';
import { isReady, type Readiness } from './readiness.js';
import { WORKLOAD_KEYS } from '../../kube/child-keys.js';
import { ConditionType, listForMessage, Reason, type ReasonName } from './vocabulary.js';
import { CONTINUE, exit, reaction, requeue, type Reaction } from '../../workflow/index.js';
import { andThen } from '../../workflow/maybe.js';
import { generationOf, readinessOf } from './facts.js';

type R = RisingWaveContext;
type Waiting = typeof ConditionType.Initializing | typeof ConditionType.Running | typeof ConditionType.Upgrading;

const { Initializing, Running, Upgrading } = ConditionType;

function barrier(name: string, open: (ctx: R) => boolean): Reaction<R> {
  return reaction<R>(name, (ctx) => (open(ctx) ? CONTINUE : exit(name)));
}

/** No lifecycle condition yet: a new RisingWave (or one whose status was lost). */
export const barrierFirstTimeObserved = barrier('BarrierFirstTimeObserved', (ctx) => ctx.conditions.before(Running) === undefined);
export const barrierConditionInitializingIsTrue = barrier('BarrierConditionInitializingIsTrue', (ctx) => ctx.conditions.before(Initializing)?.status === 'True');
export const barrierConditionRunningIsFalse = barrier('BarrierConditionRunningIsFalse', (ctx) => ctx.conditions.before(Running)?.status === 'False');
export const barrierConditionRunningIsTrue = barrier('BarrierConditionRunningIsTrue', (ctx) => ctx.conditions.wasTrue(Running));
export const barrierConditionUpgradingIsTrue = barrier('BarrierConditionUpgradingIsTrue', (ctx) => ctx.conditions.wasTrue(Upgrading));

/**
 * The spec changed since the last sync: Metacontroller stamps `status.observedGeneration` with the
 * generation each sync saw, so a lower value means this is the first sync of a new generation. The
 * generation labels of the observed workloads say the same when that stamp is missing.
 */
export const barrierSpecChanged = barrier('BarrierObservedGenerationOutdated', (ctx) => specChanged(ctx));

export function specChanged(ctx: R): boolean {
  const generation = generationOf(ctx);
  const observedGeneration = ctx.raw.status?.observedGeneration;
  if (typeof observedGeneration === 'number' && observedGeneration < generation) return true;
  const workloadKeys = new Set<string>(WORKLOAD_KEYS);
  return ctx.desired.putObjects().some((want) => {
    if (!workloadKeys.has(groupKeyOf(want))) return false;
    const label = ctx.observed.get(groupKeyOf(want), want.metadata.name)?.metadata.labels?.[LABEL_GENERATION];
    return label !== undefined && /^\d+$/.test(label) && Number(label) < generation;
  });
}

/** The Go operator's allComponentsReadyBarrier: continue once every child is in place and rolled out. */
export const allComponentsReady = reaction<R>('AllComponentsReady', (ctx) =>
  isReady(readinessOf(ctx)) ? CONTINUE : exit('AllComponentsReady'),
);

/**
 * Wraps a readiness wait for one condition. While the wait exits (not ready), the condition keeps its
 * waiting value with a reason that says what is awaited, and the sync asks to be called again with a
 * backoff measured from the condition's lastTransitionTime.
 *
 * The deadline is measured from that same stored time, not from the wall clock of this call (the
 * engine's Timeout bounds one call and cannot see across syncs): once `rolloutDeadlineSeconds` have
 * passed, the reason becomes RolloutStuck. The stored time does not move while waiting, so the reason
 * flips exactly once and the status is stable from then on. Nothing is deleted.
 */
export function RolloutDeadline(type: Waiting, wait: Reaction<R>): Reaction<R> {
  return reaction<R>(
    `RolloutDeadline(${type}, ${wait.reactionName})`,
    // Answers at once when `wait` does, so the engine's synchronous path goes through it.
    (ctx, signal) =>
      andThen(wait(ctx, signal), (o) => {
        if (o.kind !== 'exit') return o;
        const status = waitingStatus(type);
        const since = transitionTime(ctx, type, status);
        const elapsed = since === undefined ? 0 : (ctx.clock.now().getTime() - since.getTime()) / 1000;
        const stuckSince = elapsed > ctx.options.rolloutDeadlineSeconds ? ctx.conditions.before(type)!.lastTransitionTime : undefined;
        const { reason, message } = describeWait(ctx, readinessOf(ctx), stuckSince);
        ctx.conditions.set(type, status, reason, message);
        return requeue(rolloutResyncSeconds(elapsed));
      }),
    { children: [wait], decorator: `RolloutDeadline(${type})` },
  );
}

function waitingStatus(type: Waiting): ConditionStatus {
  return type === Running ? 'False' : 'True';
}

/** When the condition took its current value, if it already has it (undefined: it changes now). */
function transitionTime(ctx: R, type: string, status: ConditionStatus): Date | undefined {
  const before = ctx.conditions.before(type);
  if (!before || before.status !== status) return undefined;
  const t = Date.parse(before.lastTransitionTime);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Reason and message of a condition that waits: what is missing, what is rolling out, or stuck since when. */
export function describeWait(ctx: R, r: Readiness, stuckSince?: string): { reason: ReasonName; message: string } {
  if (r.missing.length > 0 || r.recreating.length > 0) {
    const parts: string[] = [];
    if (r.missing.length > 0) parts.push(`missing ${listForMessage(r.missing)}`);
    if (r.recreating.length > 0) parts.push(`recreating ${listForMessage(r.recreating)}`);
    return { reason: Reason.ChildrenMissing, message: `${parts.join('; ')} (created by this sync)` };
  }
  const groups = r.pending.length > 0 ? listForMessage(r.pending) : 'every workload';
  if (stuckSince !== undefined) {
    return {
      reason: Reason.RolloutStuck,
      message: `${groups} not rolled out ${ctx.options.rolloutDeadlineSeconds} s after ${stuckSince}; nothing is deleted, check the pods`,
    };
  }
  return { reason: Reason.RollingOut, message: `waiting for ${groups} to roll out generation ${generationOf(ctx)}` };
}

function markWaiting(name: string, type: Waiting): Reaction<R> {
  return reaction<R>(name, (ctx) => {
    const { reason, message } = isReady(readinessOf(ctx))
      ? { reason: Reason.RollingOut, message: `generation ${generationOf(ctx)} is in place; confirming on the next sync` }
      : describeWait(ctx, readinessOf(ctx));
    ctx.conditions.set(type, waitingStatus(type), reason, message);
    return CONTINUE;
  });
}

export const markConditionInitializingAsTrue = markWaiting('MarkConditionInitializingAsTrue', Initializing);
export const markConditionRunningAsFalse = markWaiting('MarkConditionRunningAsFalse', Running);
export const markConditionUpgradingAsTrue = markWaiting('MarkConditionUpgradingAsTrue', Upgrading);

/**
 * A condition just moved to a waiting value (a new RisingWave, a spec change): its next step needs
 * another sync, so ask for one soon rather than rely on child events alone.
 */
export const resyncSoon = reaction<R>('ResyncSoon', () => requeue(FIRST_RESYNC_SECONDS));

export const removeConditionInitializing = reaction<R>('RemoveConditionInitializing', (ctx) => {
  ctx.conditions.remove(Initializing);
  return CONTINUE;
});

export const markConditionRunningAsTrue = reaction<R>('MarkConditionRunningAsTrue', (ctx) => {
  ctx.conditions.set(Running, 'True', Reason.AllComponentsReady, 'every required child exists and every workload is rolled out');
  return CONTINUE;
});

export const markConditionUpgradingAsFalse = reaction<R>('MarkConditionUpgradingAsFalse', (ctx) => {
  ctx.conditions.set(Upgrading, 'False', Reason.RolledOut, `generation ${generationOf(ctx)} is rolled out`);
  return CONTINUE;
});

const OUR_REASONS: ReadonlySet<string> = new Set(Object.values(Reason));

/** A settled condition written by another controller (risingwave-operator leaves reason and message empty). */
function inOtherWords(c: Condition | undefined, status: ConditionStatus): boolean {
  return c !== undefined && c.status === status && !OUR_REASONS.has(c.reason);
}

/**
 * After a switch from the operator, Running=True (and Upgrading=False) come in the operator's form, and
 * no transition would ever rewrite them: the state machine only writes a condition when it moves.
 */
export const barrierConditionsInOtherWords = barrier(
  'BarrierConditionsInOtherWords',
  (ctx) => inOtherWords(ctx.conditions.before(Running), 'True') || inOtherWords(ctx.conditions.before(Upgrading), 'False'),
);

/**
 * Says the same state in our words once every component is ready. The status value is unchanged, so
 * lastTransitionTime is kept; a condition another branch already moved in this sync is left to it.
 */
export const rewordSettledConditions = reaction<R>('RewordSettledConditions', (ctx) => {
  const untouched = (type: string) => ctx.conditions.get(type) === ctx.conditions.before(type);
  if (inOtherWords(ctx.conditions.before(Running), 'True') && untouched(Running)) {
    ctx.conditions.set(Running, 'True', Reason.AllComponentsReady, 'every required child exists and every workload is rolled out');
  }
  if (inOtherWords(ctx.conditions.before(Upgrading), 'False') && untouched(Upgrading)) {
    ctx.conditions.set(Upgrading, 'False', Reason.RolledOut, `generation ${generationOf(ctx)} is rolled out`);
  }
  return CONTINUE;
});
