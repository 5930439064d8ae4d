import type { RisingWaveContext } from '../context.js';
import { configUses, missingConfigurations } from '../../builders/config-hash.js';
import { ConditionType, listForMessage, Reason } from './vocabulary.js';
import { CONTINUE, reaction } from '../../workflow/index.js';
import { CONFIGMAP_KEY, SECRET_KEY } from '../../kube/child-keys.js';

type R = RisingWaveContext;

const RELATED_KEY = { ConfigMap: CONFIGMAP_KEY, Secret: SECRET_KEY } as const;

/**
 * `ConfigurationFound`: whether the ConfigMaps/Secrets the spec names for risingwave.toml exist. Absent when
 * the spec names none (the default ConfigMap is a child, covered by Running). A missing one is reported,
 * never fatal: the pods that mount it wait for it, and the config-hash annotation is left out until it
 * appears (src/builders/config-hash.ts). `Unknown` when Metacontroller sent no objects of that kind at all,
 * which is what a CompositeController without the customize hook looks like.
 */
export const syncConfigurationStatus = reaction<R>('SyncConfigurationStatus', (ctx) => {
  const uses = configUses(ctx.rw);
  if (uses.length === 0) {
    ctx.conditions.remove(ConditionType.ConfigurationFound);
    return CONTINUE;
  }
  const missing = missingConfigurations(ctx.rw, ctx.related).filter((m) => !m.source.optional);
  if (missing.length > 0) {
    ctx.conditions.set(ConditionType.ConfigurationFound, 'False', Reason.ConfigurationMissing, listForMessage(missing.map((m) => m.message)));
    return CONTINUE;
  }
  const unseen = uses.filter((u) => !ctx.related.hasGroup(RELATED_KEY[u.source.kind]));
  if (unseen.length > 0) {
    const names = unseen.map((u) => `${u.source.kind} ${u.source.name}`);
    ctx.conditions.set(
      ConditionType.ConfigurationFound,
      'Unknown',
      Reason.NotObserved,
      `the sync request carries no ${[...new Set(unseen.map((u) => u.source.kind))].sort().join('/')} objects, so ${listForMessage(names)} cannot be checked (is the customize hook configured?)`,
    );
    return CONTINUE;
  }
  const names = uses.map((u) => `${u.source.kind} ${u.source.name}`);
  ctx.conditions.set(ConditionType.ConfigurationFound, 'True', Reason.ConfigurationPresent, `found ${listForMessage(names)}`);
  return CONTINUE;
});
