import type { RisingWaveContext } from '../context.js';
import { immutableFieldChanges } from './immutable.js';
import { ConditionType, listForMessage, Reason } from './vocabulary.js';
import { CONTINUE, reaction } from '../../workflow/index.js';
import { STATEFULSET_KEY } from '../../kube/child-keys.js';

type R = RisingWaveContext;


/**
 * StatefulSets whose desired immutable fields (volumeClaimTemplates, serviceName, selector,
 * podManagementPolicy) differ from what was last applied cannot be updated: the API server would refuse
 * every update, forever. Like the Go operator's delete-and-recreate, such a StatefulSet is left out of
 * this response (Metacontroller deletes it, Background propagation) and the next sync, finding it absent,
 * creates it with the new fields. It cannot repeat: a created object's last-applied copy is the desired one.
 *
 * `Recreating=True reason=ImmutableFieldChanged` names the StatefulSets and fields in the sync that
 * deletes them; the condition is removed when no recreate is under way.
 */
export const recreateOnImmutableFieldChange = reaction<R>('RecreateOnImmutableFieldChange', (ctx) => {
  const recreated: string[] = [];
  for (const want of ctx.desired.putObjects()) {
    if (`${want.kind}.${want.apiVersion}` !== STATEFULSET_KEY) continue;
    const have = ctx.observed.get(STATEFULSET_KEY, want.metadata.name);
    if (!have) continue;
    const fields = immutableFieldChanges(have, want);
    if (fields.length === 0) continue;
    const what = `StatefulSet ${want.metadata.name} (${fields.map((f) => `spec.${f}`).join(', ')})`;
    ctx.desired.recreate(want, `immutable fields changed: ${fields.join(', ')}`);
    recreated.push(what);
  }
  if (recreated.length === 0) {
    ctx.conditions.remove(ConditionType.Recreating);
  } else {
    ctx.conditions.set(
      ConditionType.Recreating,
      'True',
      Reason.ImmutableFieldChanged,
      `deleting ${listForMessage(recreated)}: these fields cannot change in place; created again on the next sync (its pods restart, PersistentVolumeClaims are kept)`,
    );
  }
  return CONTINUE;
});
