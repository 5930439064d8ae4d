import { CliError, UsageError } from '../../cli/io.js';
import { CLUSTER_HELP, kubectlFor, parseCommandArgs, stringOption, type PluginContext } from '../args.js';
import type { JsonPatchOp, Kubectl, RwObject } from '../kubectl.js';
import { showValue } from './diff.js';
import {
  CC_CRD_NAME,
  checkCrd,
  checkMetacontroller,
  checkOperator,
  checkWebhooks,
  hookAddress,
  readyzTarget,
  risingWaveController,
  RW_CRD_NAME,
  type Check,
} from './preflight.js';
import { CHILD_KINDS, ownedChildren, previewRisingWave, relatedRules, resourceOf, type RisingWavePreview } from './preview.js';
import { DEFAULT_OPERATOR_MANAGERS, managedFieldsPatch, planAdoption, planRollback, type ChildSteps, type RollbackSteps } from './steps.js';

export const MIGRATE_HELP = `Usage: kubectl risingwave migrate [NAME | -A] [--dry-run] [--rollback] [options]

Prepares RisingWaves run by risingwave-operator for adoption by Metacontroller and the hook without
restarting a pod (see docs/migration.md for the whole switch). For each RisingWave (NAME, every one in the
namespace, or -A every one in the cluster) it labels every child controller-uid=<RisingWave uid>, the
selector Metacontroller adopts children by, and drops the operator's managedFields entries, so fields the
operator set cannot outlive the switch. Each step is skipped where it is done: rerun it after an
interruption.

First it checks, and refuses (changing nothing) when one fails: the operator is stopped, no admission
webhook intercepts RisingWaves, the RisingWave CRD is the hook's without a conversion webhook, Metacontroller
runs, the hook answers, no CompositeController syncs RisingWaves yet; and per RisingWave: no OpenKruise, no
RisingWaveScaleView, the hook finds the spec valid, and its first sync would delete, recreate or roll
nothing (the hook's children for the live state, compared field by field with the live ones).

  --dry-run      print the checks and that comparison (per workload: whether its pod template changes, i.e.
                 whether its pods would be replaced) and change nothing; exit 1 if the switch would refuse
  --rollback     undo it for a return to the operator (after the CompositeController is deleted): remove the
                 label and Metacontroller's last-applied annotation from every child

Options:
  -A, --all-namespaces             every RisingWave in the cluster
  -o, --output text|json           json: the checks, the comparison and the steps as one object
      --allow-restarts             proceed although some pod templates change (their pods are replaced)
      --operator-field-manager M   the operator's field manager name(s), comma-separated (default: manager)
      --hook-url URL               where the hook answers, when it runs outside the cluster
      --hook-service NS/NAME:PORT  the hook's Service (default: risingwave-hook/risingwave-hook:80)
      --skip-check C               skip checks that cannot see outside the cluster: operator, metacontroller,
                                   hook (comma-separated)
${CLUSTER_HELP}`;

const SKIPPABLE = ['operator', 'metacontroller', 'hook'] as const;

export interface MigrateDeps {
  /** GET a URL and resolve its status code (the hook's /readyz when it runs outside the cluster). */
  readonly httpStatus?: (url: string) => Promise<number>;
}

const defaultHttpStatus = async (url: string): Promise<number> => (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;

interface Options {
  readonly dryRun: boolean;
  readonly rollback: boolean;
  readonly json: boolean;
  readonly allowRestarts: boolean;
  readonly managers: string[];
  readonly skip: Set<string>;
  readonly hookUrl: string | undefined;
  readonly hookService: string;
}

interface Target {
  readonly rw: RwObject;
  readonly children: RwObject[];
  readonly preview?: RisingWavePreview;
  readonly adoption?: ChildSteps[];
  readonly rollback?: RollbackSteps[];
  readonly refusals: string[];
}

function parseJson(text: string, what: string): RwObject | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as RwObject;
  } catch {
    throw new CliError(`${what}: kubectl did not print JSON`);
  }
}

async function getJson(k: Kubectl, args: string[], what: string): Promise<RwObject | undefined> {
  return parseJson(await k.run([...args, '--output', 'json']), what);
}

async function listJson(k: Kubectl, args: string[], what: string): Promise<RwObject[]> {
  return ((await getJson(k, args, what))?.items ?? []) as RwObject[];
}

/** A list that is empty when the resource type is not installed (e.g. RisingWaveScaleView after the CRD switch). */
async function listOptional(k: Kubectl, args: string[], what: string): Promise<RwObject[]> {
  try {
    return await listJson(k, args, what);
  } catch (err) {
    if (err instanceof CliError && /not installed|doesn't have a resource type/.test(err.message)) return [];
    throw err;
  }
}

function inNamespace(k: Kubectl, ns: string): Kubectl {
  return k.withNamespace(ns);
}

export async function migrateCommand(args: string[], ctx: PluginContext, deps: MigrateDeps = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    'all-namespaces': { type: 'boolean', short: 'A' },
    'dry-run': { type: 'boolean' },
    rollback: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    'allow-restarts': { type: 'boolean' },
    'operator-field-manager': { type: 'string' },
    'hook-url': { type: 'string' },
    'hook-service': { type: 'string' },
    'skip-check': { type: 'string' },
  });
  if (values.help) {
    ctx.io.stdout.write(MIGRATE_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('expects at most one NAME');
  const all = values['all-namespaces'] === true;
  if (all && positionals.length > 0) throw new UsageError('NAME and --all-namespaces exclude each other');
  if (all && values.namespace !== undefined) throw new UsageError('--all-namespaces and --namespace exclude each other');
  const output = stringOption(values, 'output') ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got ${JSON.stringify(output)}`);
  const skip = new Set((stringOption(values, 'skip-check') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  for (const s of skip) if (!(SKIPPABLE as readonly string[]).includes(s)) throw new UsageError(`--skip-check takes ${SKIPPABLE.join(', ')}; got ${JSON.stringify(s)}`);
  const hookService = stringOption(values, 'hook-service') ?? 'risingwave-hook/risingwave-hook:80';
  if (!/^[^/]+\/[^:/]+(:\d+)?$/.test(hookService)) throw new UsageError(`--hook-service must be NAMESPACE/NAME[:PORT], got ${JSON.stringify(hookService)}`);
  const hookUrl = stringOption(values, 'hook-url');
  if (hookUrl !== undefined && !/^https?:\/\//.test(hookUrl)) throw new UsageError(`--hook-url must be an http(s) URL, got ${JSON.stringify(hookUrl)}`);
  const opts: Options = {
    dryRun: values['dry-run'] === true,
    rollback: values.rollback === true,
    json: output === 'json',
    allowRestarts: values['allow-restarts'] === true,
    managers: (stringOption(values, 'operator-field-manager') ?? DEFAULT_OPERATOR_MANAGERS.join(',')).split(',').map((s) => s.trim()).filter(Boolean),
    skip,
    hookUrl,
    hookService,
  };

  const kubectl = kubectlFor(values, ctx);
  const rws = await selectRisingWaves(kubectl, positionals[0], all);
  const checks = opts.rollback ? await rollbackChecks(kubectl) : await forwardChecks(kubectl, opts, ctx, deps);
  const byNamespace = new Map<string, RwObject[]>();
  const targets: Target[] = [];
  for (const rw of rws) {
    const ns = rw.metadata.namespace as string;
    const k = inNamespace(kubectl, ns);
    if (!byNamespace.has(ns)) {
      byNamespace.set(ns, await listJson(k, ['get', CHILD_KINDS.map((c) => c.resource).join(','), '--show-managed-fields'], `children in ${ns}`));
    }
    const children = ownedChildren(rw, byNamespace.get(ns)!);
    targets.push(opts.rollback ? planRollbackTarget(rw, children) : await planForwardTarget(k, rw, children, opts, ctx));
  }

  const failed = checks.filter((c) => !c.ok);
  const refused = failed.length > 0 || targets.some((t) => t.refusals.length > 0);
  const report: RwObject = { mode: opts.rollback ? 'rollback' : 'migrate', dryRun: opts.dryRun, checks, risingwaves: targets.map(describeTarget) };
  if (!opts.json) ctx.io.stdout.write(renderReport(checks, targets, opts));
  if (refused) {
    if (opts.json) ctx.io.stdout.write(`${JSON.stringify({ ...report, refused: true }, null, 2)}\n`);
    const reasons = [...failed.map((c) => c.message), ...targets.flatMap((t) => t.refusals.map((r) => `${nsName(t.rw)}: ${r}`))];
    if (opts.dryRun) {
      ctx.io.stderr.write(`the switch would refuse:\n${reasons.map((r) => `  - ${r}\n`).join('')}`);
      return 1;
    }
    throw new CliError(`refused, nothing was changed:\n${reasons.map((r) => `  - ${r}`).join('\n')}`);
  }
  if (opts.dryRun) {
    if (opts.json) ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const done = opts.rollback ? await applyRollback(kubectl, targets) : await applyAdoption(kubectl, targets, opts);
  if (opts.json) ctx.io.stdout.write(`${JSON.stringify({ ...report, applied: done }, null, 2)}\n`);
  else ctx.io.stdout.write(done.map((d) => `${d}\n`).join(''));
  return 0;
}

async function selectRisingWaves(kubectl: Kubectl, name: string | undefined, all: boolean): Promise<RwObject[]> {
  if (name !== undefined) return [await kubectl.getRisingWave(name)];
  const items = await kubectl.listRisingWaves(all);
  if (items.length === 0) throw new CliError(`no RisingWave found ${all ? 'in any namespace' : kubectl.where()}`);
  return [...items].sort((a, b) => nsName(a).localeCompare(nsName(b)));
}

function nsName(rw: RwObject): string {
  return `${rw.metadata.namespace as string}/${rw.metadata.name as string}`;
}

async function forwardChecks(kubectl: Kubectl, opts: Options, ctx: PluginContext, deps: MigrateDeps): Promise<Check[]> {
  const crd = await getJson(kubectl, ['get', 'customresourcedefinitions.apiextensions.k8s.io', RW_CRD_NAME, '--ignore-not-found'], 'the RisingWave CRD');
  const webhooks = await listJson(kubectl, ['get', 'mutatingwebhookconfigurations.admissionregistration.k8s.io,validatingwebhookconfigurations.admissionregistration.k8s.io'], 'webhook configurations');
  const workloads = await listJson(kubectl, ['get', 'deployments.apps,statefulsets.apps', '--all-namespaces'], 'workloads');
  const checks: Check[] = [checkCrd(crd), checkWebhooks(webhooks)];
  if (opts.skip.has('operator')) checks.push({ name: 'operator', ok: true, message: 'skipped (--skip-check operator)' });
  else checks.push(checkOperator(workloads, await listJson(kubectl, ['get', 'leases.coordination.k8s.io', '--all-namespaces'], 'leases'), ctx.now()));
  const ccCrd = await getJson(kubectl, ['get', 'customresourcedefinitions.apiextensions.k8s.io', CC_CRD_NAME, '--ignore-not-found'], 'the CompositeController CRD');
  if (opts.skip.has('metacontroller')) checks.push({ name: 'metacontroller', ok: ccCrd !== undefined, message: ccCrd ? 'skipped (--skip-check metacontroller)' : `Metacontroller is not installed (no ${CC_CRD_NAME} CRD)` });
  else checks.push(checkMetacontroller(ccCrd, workloads));
  const cc = ccCrd ? risingWaveController(await listJson(kubectl, ['get', 'compositecontrollers.metacontroller.k8s.io'], 'CompositeControllers')) : undefined;
  checks.push(
    cc === undefined
      ? { name: 'controller', ok: true, message: 'no CompositeController syncs RisingWaves yet (apply it after this command)' }
      : {
          name: 'controller',
          ok: false,
          message: `CompositeController ${cc.metadata.name as string} already syncs RisingWaves: Metacontroller releases (removes the ownerReference of) every child without the label; delete it, run migrate, apply it again`,
        },
  );
  if (opts.skip.has('hook')) checks.push({ name: 'hook', ok: true, message: 'skipped (--skip-check hook)' });
  else checks.push(await checkHook(kubectl, hookAddress(cc, opts.hookUrl, opts.hookService), deps));
  return checks;
}

async function checkHook(kubectl: Kubectl, addr: ReturnType<typeof hookAddress>, deps: MigrateDeps): Promise<Check> {
  const target = readyzTarget(addr);
  try {
    if ('raw' in target) {
      await kubectl.run(['get', '--raw', target.raw]);
      return { name: 'hook', ok: true, message: `the hook answers (${target.raw})` };
    }
    const status = await (deps.httpStatus ?? defaultHttpStatus)(target.url);
    return status === 200 ? { name: 'hook', ok: true, message: `the hook answers (${target.url})` } : { name: 'hook', ok: false, message: `the hook is not ready: ${target.url} answered ${status}` };
  } catch (err) {
    const where = 'raw' in target ? target.raw : target.url;
    return { name: 'hook', ok: false, message: `the hook does not answer at ${where}: ${(err as Error).message}` };
  }
}

async function rollbackChecks(kubectl: Kubectl): Promise<Check[]> {
  const ccCrd = await getJson(kubectl, ['get', 'customresourcedefinitions.apiextensions.k8s.io', CC_CRD_NAME, '--ignore-not-found'], 'the CompositeController CRD');
  const cc = ccCrd ? risingWaveController(await listJson(kubectl, ['get', 'compositecontrollers.metacontroller.k8s.io'], 'CompositeControllers')) : undefined;
  return [
    cc === undefined
      ? { name: 'controller', ok: true, message: 'no CompositeController syncs RisingWaves' }
      : {
          name: 'controller',
          ok: false,
          message: `CompositeController ${cc.metadata.name as string} still syncs RisingWaves: without the label Metacontroller would release every child; delete it first`,
        },
  ];
}

async function planForwardTarget(k: Kubectl, rw: RwObject, children: RwObject[], opts: Options, ctx: PluginContext): Promise<Target> {
  const refusals: string[] = [];
  if (rw.spec?.enableOpenKruise === true) refusals.push('enableOpenKruise: OpenKruise workloads are not covered by the hook');
  const views = await listOptional(k, ['get', 'risingwavescaleviews.risingwave.risingwavelabs.com'], 'RisingWaveScaleViews');
  for (const v of views) {
    if (v.spec?.targetRef?.name === rw.metadata.name) refusals.push(`RisingWaveScaleView ${v.metadata.name as string} targets it: scale views are not covered; delete it first`);
  }
  const related: RwObject[] = [];
  for (const rule of relatedRules(rw)) {
    for (const name of rule.names ?? []) {
      const obj = await getJson(k, ['get', rule.resource === 'secrets' ? 'secrets' : 'configmaps', name, '--ignore-not-found'], `${rule.resource} ${name}`);
      if (obj) related.push(obj);
    }
  }
  const preview = await previewRisingWave(rw, children, related, { now: ctx.now });
  for (const p of preview.hookProblems) refusals.push(`the hook would not take it over as it is: ${p}`);
  for (const c of preview.children) {
    if (c.verdict === 'delete') refusals.push(`${c.kind} ${c.name} would be deleted (the hook does not produce it)`);
    if (c.verdict === 'recreate') refusals.push(`${c.kind} ${c.name} would be deleted and created again (a field the API server cannot change in place differs)`);
    if (c.verdict === 'rolls' && !opts.allowRestarts) refusals.push(`${c.kind} ${c.name}: its pod template changes, its pods would be replaced (--allow-restarts to accept)`);
  }
  const adoption = children.map((c) => planAdoption(c, rw.metadata.uid as string, opts.managers));
  for (const a of adoption) if (a.conflict) refusals.push(a.conflict);
  return { rw, children, preview, adoption, refusals };
}

function planRollbackTarget(rw: RwObject, children: RwObject[]): Target {
  return { rw, children, rollback: children.map((c) => planRollback(c, rw.metadata.uid as string)), refusals: [] };
}

function describeTarget(t: Target): RwObject {
  return {
    namespace: t.rw.metadata.namespace,
    name: t.rw.metadata.name,
    uid: t.rw.metadata.uid,
    refusals: t.refusals,
    ...(t.preview ? { hookProblems: t.preview.hookProblems, children: t.preview.children } : {}),
    ...(t.adoption ? { steps: t.adoption.map((a) => ({ kind: a.kind, name: a.name, label: a.labelPatch !== undefined, dropManagedFields: a.droppedManagers })) } : {}),
    ...(t.rollback ? { steps: t.rollback.map((r) => ({ kind: r.kind, name: r.name, unlabel: r.unlabel, dropLastApplied: r.dropLastApplied })) } : {}),
  };
}

const VERDICT_TEXT: Record<string, string> = {
  unchanged: 'unchanged',
  'in-place': 'updated in place',
  rolls: 'POD TEMPLATE CHANGES: pods would be replaced',
  create: 'would be created',
  delete: 'WOULD BE DELETED',
  recreate: 'WOULD BE DELETED AND CREATED AGAIN',
};

function renderReport(checks: readonly Check[], targets: readonly Target[], opts: Options): string {
  const lines: string[] = [];
  lines.push(opts.rollback ? 'Rollback to risingwave-operator' : 'Switch from risingwave-operator to the hook', 'Checks:');
  for (const c of checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(15)}${c.message}`);
  let workloads = 0;
  let rolls = 0;
  for (const t of targets) {
    lines.push('', `RisingWave ${nsName(t.rw)} (uid ${t.rw.metadata.uid as string}): ${t.children.length} children`);
    for (const c of t.preview?.children ?? []) {
      const kind = `${c.kind} ${c.name}`;
      if (c.podTemplateChanges !== undefined) {
        workloads += 1;
        if (c.podTemplateChanges) rolls += 1;
      }
      const template = c.podTemplateChanges === undefined || c.verdict === 'rolls' ? '' : ', pod template unchanged (no pod replaced)';
      lines.push(`  ${kind.padEnd(44)} ${VERDICT_TEXT[c.verdict]}${template}`);
      for (const f of c.changes) lines.push(`      ${f.path}: ${showValue(f.live)} -> ${showValue(f.desired)}`);
    }
    for (const a of t.adoption ?? []) {
      const steps = [a.labelPatch ? 'label controller-uid' : '', a.droppedManagers.length ? `drop managedFields of ${a.droppedManagers.join(', ')}` : ''].filter(Boolean);
      if (steps.length > 0) lines.push(`  step: ${a.kind} ${a.name}: ${steps.join(', ')}`);
    }
    for (const r of t.rollback ?? []) {
      const steps = [r.unlabel ? 'remove label controller-uid' : '', r.dropLastApplied ? 'remove the last-applied annotation' : ''].filter(Boolean);
      if (steps.length > 0) lines.push(`  step: ${r.kind} ${r.name}: ${steps.join(', ')}`);
    }
    for (const r of t.refusals) lines.push(`  REFUSED: ${r}`);
  }
  const childCount = targets.reduce((n, t) => n + t.children.length, 0);
  lines.push('', `${targets.length} RisingWave(s), ${childCount} children${opts.rollback ? '' : `, ${workloads} workloads, ${rolls} with a changed pod template`}${opts.dryRun ? ' (dry run: nothing changed)' : ''}`, '');
  return lines.join('\n');
}

async function patch(k: Kubectl, kind: string, name: string, ops: readonly JsonPatchOp[]): Promise<RwObject> {
  // The patched object's managedFields plan the next step; kubectl hides them without the flag.
  const out = await k.run(['patch', resourceOf(kind), name, '--type', 'json', '--patch', JSON.stringify(ops), '--output', 'json', '--show-managed-fields'], `${kind} "${name}"`, true);
  return parseJson(out, `patch ${kind} ${name}`) ?? {};
}

async function applyAdoption(kubectl: Kubectl, targets: readonly Target[], opts: Options): Promise<string[]> {
  const done: string[] = [];
  for (const t of targets) {
    const k = inNamespace(kubectl, t.rw.metadata.namespace as string);
    let labelled = 0;
    let cleaned = 0;
    for (const [i, steps] of (t.adoption ?? []).entries()) {
      let obj = t.children[i]!;
      if (steps.labelPatch) {
        obj = await patch(k, steps.kind, steps.name, steps.labelPatch);
        labelled += 1;
      }
      const mf = managedFieldsPatch(obj, opts.managers);
      if (mf) {
        await patch(k, steps.kind, steps.name, mf);
        cleaned += 1;
      }
    }
    done.push(`${nsName(t.rw)}: ${labelled} of ${t.children.length} children labelled controller-uid=${t.rw.metadata.uid as string} (the rest had it), operator managedFields dropped from ${cleaned}`);
  }
  return done;
}

async function applyRollback(kubectl: Kubectl, targets: readonly Target[]): Promise<string[]> {
  const done: string[] = [];
  for (const t of targets) {
    const k = inNamespace(kubectl, t.rw.metadata.namespace as string);
    let changed = 0;
    for (const steps of t.rollback ?? []) {
      if (!steps.patch) continue;
      await patch(k, steps.kind, steps.name, steps.patch);
      changed += 1;
    }
    done.push(`${nsName(t.rw)}: label and last-applied annotation removed from ${changed} of ${t.children.length} children`);
  }
  return done;
}

