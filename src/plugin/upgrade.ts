import { COMPONENTS } from '../api/risingwave.js';
import { CliError, UsageError } from '../cli/io.js';
import { CLUSTER_HELP, kubectlFor, parseCommandArgs, stringOption, type PluginContext } from './args.js';
import { groupLabel } from './groups.js';
import type { JsonPatchOp, RwObject } from './kubectl.js';

export const UPGRADE_HELP = `Usage: kubectl risingwave upgrade NAME --image IMAGE [options]

Sets spec.image, the image of every RisingWave container. Node groups that set their own
template.spec.image keep it (they are listed).

Options:
      --image IMAGE          e.g. risingwavelabs/risingwave:v2.5.0
${CLUSTER_HELP}`;

export interface UpgradePlan {
  readonly ops: JsonPatchOp[];
  readonly from: string;
  readonly to: string;
  /** Groups whose own image overrides spec.image, so the upgrade does not reach them. */
  readonly pinned: string[];
}

export function validateImage(image: string): string {
  if (image.trim() === '' || /\s/.test(image)) throw new UsageError(`invalid --image ${JSON.stringify(image)}: an image reference has no spaces`);
  return image;
}

/** Pure: the patch replacing spec.image, pinned to the image we read so a concurrent upgrade is not overwritten blindly. */
export function planUpgrade(rw: RwObject, image: string): UpgradePlan {
  const from = typeof rw.spec?.image === 'string' ? (rw.spec.image as string) : '';
  const ops: JsonPatchOp[] = [
    { op: 'test', path: '/spec/image', value: rw.spec?.image },
    { op: 'replace', path: '/spec/image', value: image },
  ];
  return { ops, from, to: image, pinned: pinnedGroups(rw) };
}

function pinnedGroups(rw: RwObject): string[] {
  const out: string[] = [];
  for (const component of COMPONENTS) {
    const groups: unknown = rw.spec?.components?.[component]?.nodeGroups;
    if (!Array.isArray(groups)) continue;
    for (const g of groups as RwObject[]) {
      const own = g?.template?.spec?.image;
      if (typeof own === 'string' && own !== '') out.push(`${groupLabel(component, String(g.name ?? ''))} (${own})`);
    }
  }
  const standalone = rw.spec?.components?.standalone?.template?.spec?.image;
  if (typeof standalone === 'string' && standalone !== '') out.push(`standalone (${standalone})`);
  return out;
}

export async function upgradeCommand(args: string[], ctx: PluginContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { image: { type: 'string' } });
  if (values.help) {
    ctx.io.stdout.write(UPGRADE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects exactly one NAME');
  const imageText = stringOption(values, 'image');
  if (imageText === undefined) throw new UsageError('--image is required');
  const image = validateImage(imageText);
  const name = positionals[0]!;

  const kubectl = kubectlFor(values, ctx);
  const rw = await kubectl.getRisingWave(name);
  const plan = planUpgrade(rw, image);
  if (plan.pinned.length > 0) ctx.io.stderr.write(`note: these groups set their own image and keep it: ${plan.pinned.join(', ')}\n`);
  if (plan.from === plan.to) {
    ctx.io.stdout.write(`${name}: image is already ${plan.to} (no change)\n`);
    return 0;
  }
  await kubectl.patchRisingWave(name, plan.ops);
  ctx.io.stdout.write(`${name}: image ${plan.from} -> ${plan.to}\n`);
  return 0;
}
