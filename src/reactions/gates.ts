import type { RisingWaveContext } from './context.js';
import { ConditionType, PAUSE_ANNOTATION, Reason } from './status/vocabulary.js';
import { CONTINUE, exit, reaction } from '../workflow/index.js';

type R = RisingWaveContext;

/** Exit reasons of the gates; src/controller/sync.ts maps them to the sync outcome for logs and metrics. */
export const INVALID_SPEC_EXIT = 'InvalidSpec';
export const PAUSED_EXIT = 'Paused';

/**
 * A spec the hook cannot act on stops the sync before any reaction decides, so every observed child is
 * carried over unchanged (nothing is deleted because, say, a group list failed to parse) and the status
 * says why. Every other status field keeps its previous value.
 */
export const validSpecGate = reaction<R>('ValidSpecGate', (ctx) => {
  if (ctx.problems.length === 0) {
    ctx.conditions.set(ConditionType.Valid, 'True', Reason.SpecValid, 'the spec passed validation');
    return CONTINUE;
  }
  ctx.conditions.set(ConditionType.Valid, 'False', Reason.InvalidSpec, ctx.problems.join('; '));
  ctx.conditions.set(ConditionType.Synced, 'False', Reason.InvalidSpec, 'the spec is invalid (see Valid); every child is kept as it is');
  return exit(INVALID_SPEC_EXIT);
});

/**
 * `risingwave.risingwavelabs.com/pause-reconcile` (any value) stops the sync: every child is carried over
 * as last applied, the status fields keep their values, and `Synced=False reason=Paused` says so.
 */
export const pauseGate = reaction<R>('PauseGate', (ctx) => {
  const value = ctx.raw.metadata.annotations?.[PAUSE_ANNOTATION];
  if (value === undefined) return CONTINUE;
  ctx.conditions.set(
    ConditionType.Synced,
    'False',
    Reason.Paused,
    `annotation ${PAUSE_ANNOTATION} is set: every child is kept as it is until it is removed`,
  );
  return exit(PAUSED_EXIT);
});
