import { CliError, UsageError } from '../cli/io.js';
import { CLUSTER_HELP, kubectlFor, parseCommandArgs, stringOption, type PluginContext } from './args.js';
import { groupLabel, groupPath, isStandaloneMode, parseComponent, resolveGroup, setStandaloneField, testGroupName, type ComponentName } from './groups.js';
import type { JsonPatchOp, RwObject } from './kubectl.js';

export const SCALE_HELP = `Usage: kubectl risingwave scale NAME --component C [--group G] --replicas N [options]

Sets the replicas of one node group: spec.components.<C>.nodeGroups[<G>].replicas. Without --group the
default group "" is scaled, or the only group when there is just one. --component standalone sets
spec.components.standalone.replicas (0 or 1) and takes no --group.

Options:
      --component C          meta, frontend, compute, compactor or standalone
      --group G              node group name (default: "" or the only group)
      --replicas N           a whole number >= 0
${CLUSTER_HELP}`;

const countReplicas = (n: number): string => `${n} ${n === 1 ? 'replica' : 'replicas'}`;

const MAX_INT32 = 2 ** 31 - 1;

export function parseReplicas(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`invalid --replicas ${JSON.stringify(text)}: a whole number >= 0 is required`);
  const n = Number(text.trim());
  if (n > MAX_INT32) throw new UsageError(`invalid --replicas ${text}: at most ${MAX_INT32}`);
  return n;
}

export interface ScalePlan {
  readonly ops: JsonPatchOp[];
  /** What is scaled, e.g. `compute/analytics`. */
  readonly target: string;
  readonly from: number;
  readonly to: number;
  /** Things worth knowing that do not stop the change. */
  readonly notes: string[];
}

/** The JSON patch that scales one group of the stored RisingWave (pure: reads only `rw`). */
export function planScale(rw: RwObject, component: ComponentName, group: string | undefined, replicas: number): ScalePlan {
  const standaloneMode = isStandaloneMode(rw);
  if (component === 'standalone') {
    if (group !== undefined) throw new CliError('standalone has no node groups: drop --group');
    if (replicas > 1) throw new CliError(`invalid --replicas ${replicas}: standalone runs 0 or 1 replica`);
    const current = rw.spec?.components?.standalone?.replicas;
    return {
      ops: setStandaloneField(rw, 'replicas', replicas),
      target: 'standalone',
      from: typeof current === 'number' ? current : 1,
      to: replicas,
      notes: standaloneMode ? [] : ['standalone mode is off (spec.enableStandaloneMode), so components.standalone is not used'],
    };
  }
  const ref = resolveGroup(rw, component, group);
  const stored: RwObject = rw.spec.components[component].nodeGroups[ref.index] ?? {};
  const current = stored.replicas;
  const target = groupLabel(component, ref.name);
  const notes: string[] = [];
  if (standaloneMode) notes.push(`standalone mode is on (spec.enableStandaloneMode), so ${component} node groups are not used`);
  if (stored.autoscaling !== undefined && stored.autoscaling !== null) {
    notes.push(`${target} is autoscaled: its HorizontalPodAutoscaler owns the replica count, so replicas has no effect until autoscaling is removed`);
  }
  return {
    ops: [testGroupName(ref), { op: 'add', path: `${groupPath(ref)}/replicas`, value: replicas }],
    target,
    from: typeof current === 'number' ? current : 0,
    to: replicas,
    notes,
  };
}

export async function scaleCommand(args: string[], ctx: PluginContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    component: { type: 'string' },
    group: { type: 'string' },
    replicas: { type: 'string' },
  });
  if (values.help) {
    ctx.io.stdout.write(SCALE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects exactly one NAME');
  const componentText = stringOption(values, 'component');
  const replicasText = stringOption(values, 'replicas');
  if (componentText === undefined) throw new UsageError('--component is required');
  if (replicasText === undefined) throw new UsageError('--replicas is required');
  const component = parseComponent(componentText);
  const replicas = parseReplicas(replicasText);
  const name = positionals[0]!;

  const kubectl = kubectlFor(values, ctx);
  const rw = await kubectl.getRisingWave(name);
  const plan = planScale(rw, component, stringOption(values, 'group'), replicas);
  for (const note of plan.notes) ctx.io.stderr.write(`note: ${note}\n`);
  if (plan.from === plan.to) {
    ctx.io.stdout.write(`${name}: ${plan.target} already has ${countReplicas(plan.to)} (no change)\n`);
    return 0;
  }
  await kubectl.patchRisingWave(name, plan.ops);
  ctx.io.stdout.write(`${name}: scaled ${plan.target} from ${plan.from} to ${countReplicas(plan.to)}\n`);
  return 0;
}
