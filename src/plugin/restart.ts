import { COMPONENTS } from '../api/risingwave.js';
import { CliError, UsageError } from '../cli/io.js';
import { rfc3339 } from '../kube/time.js';
import { CLUSTER_HELP, kubectlFor, parseCommandArgs, stringOption, type PluginContext } from './args.js';
import { groupLabel, groupPath, isStandaloneMode, nameOf, nodeGroupsOf, parseComponent, selectGroups, setStandaloneField, testGroupName, type ComponentName, type GroupRef } from './groups.js';
import type { JsonPatchOp, RwObject } from './kubectl.js';

export const RESTART_HELP = `Usage: kubectl risingwave restart NAME [--component C [--group G]] [options]

Restarts pods by setting restartAt to the current time (RFC 3339) on the chosen node groups: every group of
every component when no --component is given (in standalone mode: the standalone pod), every group of C
with --component C, one group with --group G as well.

Options:
      --component C          meta, frontend, compute, compactor or standalone
      --group G              node group name (needs --component)
${CLUSTER_HELP}`;

export interface RestartPlan {
  readonly ops: JsonPatchOp[];
  /** What restarts, e.g. `meta`, `compute/analytics`, `standalone`. */
  readonly targets: string[];
}

/** The JSON patch setting `restartAt = at` on the chosen groups of the stored RisingWave (pure). */
export function planRestart(rw: RwObject, component: ComponentName | undefined, group: string | undefined, at: string): RestartPlan {
  if (group !== undefined && component === undefined) throw new UsageError('--group needs --component');
  if (component === 'standalone' || (component === undefined && isStandaloneMode(rw))) {
    if (group !== undefined) throw new CliError('standalone has no node groups: drop --group');
    return { ops: setStandaloneField(rw, 'restartAt', at), targets: ['standalone'] };
  }
  const refs: GroupRef[] = component !== undefined ? selectGroups(rw, component, group) : COMPONENTS.flatMap((c) => nodeGroupsOf(rw, c));
  if (refs.length === 0) throw new CliError(`${nameOf(rw)} has no node groups to restart`);
  return {
    ops: refs.flatMap((ref) => [testGroupName(ref), { op: 'add' as const, path: `${groupPath(ref)}/restartAt`, value: at }]),
    targets: refs.map((ref) => groupLabel(ref.component, ref.name)),
  };
}

export async function restartCommand(args: string[], ctx: PluginContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { component: { type: 'string' }, group: { type: 'string' } });
  if (values.help) {
    ctx.io.stdout.write(RESTART_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects exactly one NAME');
  const componentText = stringOption(values, 'component');
  const group = stringOption(values, 'group');
  if (group !== undefined && componentText === undefined) throw new UsageError('--group needs --component');
  const component = componentText === undefined ? undefined : parseComponent(componentText);
  const name = positionals[0]!;

  const kubectl = kubectlFor(values, ctx);
  const rw = await kubectl.getRisingWave(name);
  const at = rfc3339(ctx.now());
  const plan = planRestart(rw, component, group, at);
  await kubectl.patchRisingWave(name, plan.ops);
  ctx.io.stdout.write(`${name}: restartAt ${at} set on ${plan.targets.join(', ')}\n`);
  return 0;
}
