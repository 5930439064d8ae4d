// The kubectl plugin against the real control plane, run the way a user runs it: the e2e kubectl binary
// finds `kubectl-risingwave` on PATH (a wrapper around the built dist/plugin/main.js) and execs it for
// `kubectl risingwave …`. A RisingWave with two compute groups is driven to Running by the real
// Metacontroller and the production hook (global setup); then `status` must show what the API server stores, and `scale`, `restart`,
// `upgrade` must change the stored spec (read back with GET) in a way the hook converges on. A patch planned
// on a stale read is refused by the real API server (the JSON-patch test op). Needs `npm run build` first.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/io.js';
import { Kubectl } from '../../../src/plugin/kubectl.js';
import { planScale } from '../../../src/plugin/scale.js';
import { createNamespace, useCluster, waitFor } from '../support.js';
import { runningAt, storedRw, isSettledRunning } from '../metacontroller/support.js';
import { condition, deleteNamespace, getRw, REPO, rwRef, smallRisingWave, type Obj } from './harness.js';

const cluster = useCluster();
const NAME = 'rw';
const NEW_IMAGE = 'risingwavelabs/risingwave:v2.5.0';
const PLUGIN_MAIN = join(REPO, 'dist', 'plugin', 'main.js');
let ns = '';
let binDir = '';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubectl risingwave ARGS --kubeconfig K`, through kubectl's plugin lookup on PATH. */
function kubectlRisingwave(args: string[]): Promise<Run> {
  const c = cluster();
  return new Promise((resolve) => {
    execFile(
      c.kubectlPath,
      ['risingwave', ...args, '--kubeconfig', c.kubeconfig],
      // KUBECTL: the plugin calls the same kubectl binary back (the one on PATH may be another version).
      { env: { PATH: `${binDir}:${process.env.PATH ?? ''}`, HOME: binDir, KUBECTL: c.kubectlPath }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await kubectlRisingwave(args);
  expect(r.stderr, `kubectl risingwave ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Rows of the first table under `header` in the status output, split on the header's column offsets. */
function tableRows(text: string, header: string): Array<Record<string, string>> {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(header));
  expect(at, `table "${header}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const head = lines[at]!;
  const columns = head.split(/\s{2,}/);
  const starts = columns.map((c) => head.indexOf(c));
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '') break;
    rows.push(Object.fromEntries(columns.map((c, i) => [c, line.slice(starts[i], starts[i + 1]).trim()])));
  }
  return rows;
}

const replicaTable = (text: string) => tableRows(text, 'COMPONENT ');
const conditionTable = (text: string) => tableRows(text, 'TYPE ');
const computeGroups = (rw: Obj): Obj[] => rw.spec.components.compute.nodeGroups;
/** Metacontroller and the hook have rolled out the stored spec: Running=True at its generation. */
const settled = async (): Promise<Obj> => runningAt(cluster(), ns, NAME, (await getRw(cluster().kube, ns, NAME)).metadata.generation);

beforeAll(async () => {
  if (!existsSync(PLUGIN_MAIN)) throw new Error(`${PLUGIN_MAIN} is missing: run npm run build first`);
  binDir = mkdtempSync(join(tmpdir(), 'rw-plugin-path-'));
  writeFileSync(join(binDir, 'kubectl-risingwave'), `#!/bin/sh\nexec '${process.execPath}' '${PLUGIN_MAIN}' "$@"\n`);
  chmodSync(join(binDir, 'kubectl-risingwave'), 0o755);

  ns = await createNamespace(cluster(), 'plugin');
  const rw = smallRisingWave(NAME, ns);
  rw.spec.components.compute.nodeGroups.push({ ...structuredClone(rw.spec.components.compute.nodeGroups[0]), name: 'analytics' });
  await cluster().kubectl(['apply', '-f', '-'], JSON.stringify(rw));
});

afterAll(async () => {
  await deleteNamespace(cluster(), ns);
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

describe('kubectl risingwave against the API server', () => {
  it('status shows the groups, ready/target and the Running condition of a real RisingWave', async () => {
    await settled();
    const stored = await getRw(cluster().kube, ns, NAME);
    const out = await ok(['status', NAME, '-n', ns]);

    expect(out).toContain(`Name:        ${NAME}\n`);
    expect(out).toContain(`Namespace:   ${ns}\n`);
    expect(out).toContain(`Image:       ${stored.spec.image}\n`);
    expect(out).toContain(`Version:     ${stored.status.version}\n`);
    expect(out).toContain('Meta store:  Memory\nState store: Memory\n');
    expect(replicaTable(out)).toEqual([
      { COMPONENT: 'meta', GROUP: '(default)', 'READY/TARGET': '1/1' },
      { COMPONENT: 'frontend', GROUP: '(default)', 'READY/TARGET': '1/1' },
      { COMPONENT: 'compute', GROUP: '(default)', 'READY/TARGET': '1/1' },
      { COMPONENT: 'compute', GROUP: 'analytics', 'READY/TARGET': '1/1' },
      { COMPONENT: 'compactor', GROUP: '(default)', 'READY/TARGET': '1/1' },
    ]);
    const conditions = conditionTable(out);
    expect(conditions.map((c) => c.TYPE)).toEqual((stored.status.conditions as Obj[]).map((c) => c.type));
    expect(conditions.find((c) => c.TYPE === 'Running')).toMatchObject({ STATUS: 'True', REASON: 'AllComponentsReady' });
    expect(conditions.find((c) => c.TYPE === 'Synced')).toMatchObject({ STATUS: 'True', REASON: 'Reconciled' });
    for (const c of conditions) expect(c.AGE, c.TYPE).toMatch(/^\d+(s|m\d*s?)$/);
  });

  it('status without NAME lists the namespace; -o json is the stored object; flags before the command work too', async () => {
    const list = await ok(['-n', ns, 'status']);
    expect(tableRows(list, 'NAME ')).toEqual([{ NAME, RUNNING: 'True', VERSION: 'v2.4.2', AGE: expect.stringMatching(/^\d+(s|m\d*s?)$/) }]);
    // Metacontroller may write the status between two reads, so the plugin's object is compared with a
    // read of the same resourceVersion.
    const [json, stored] = await waitFor('status -o json and a GET at one resourceVersion', async () => {
      const fromPlugin = JSON.parse(await ok(['status', NAME, '-n', ns, '-o', 'json'])) as Obj;
      const fromServer = await getRw(cluster().kube, ns, NAME);
      return fromPlugin.metadata.resourceVersion === fromServer.metadata.resourceVersion ? ([fromPlugin, fromServer] as const) : undefined;
    }, { timeoutMs: 10_000 });
    expect(json.metadata.uid).toBe(stored.metadata.uid);
    expect(json.status).toEqual(stored.status);
  });

  it('errors come back through kubectl as one line and exit 1 (unknown name), usage errors as exit 2', async () => {
    expect(await kubectlRisingwave(['status', 'nope', '-n', ns])).toEqual({ code: 1, stdout: '', stderr: `kubectl-risingwave status: RisingWave "nope" not found in namespace "${ns}"\n` });
    const group = await kubectlRisingwave(['scale', NAME, '-n', ns, '--component', 'compute', '--group', 'nope', '--replicas', '2']);
    expect(group).toEqual({ code: 1, stdout: '', stderr: 'kubectl-risingwave scale: compute has no group "nope" (groups: "", "analytics")\n' });
    expect((await kubectlRisingwave(['scale', NAME, '-n', ns])).code).toBe(2);
  });

  it('scale sets the group replicas on the server; the hook converges and status shows the new target', async () => {
    const before = await getRw(cluster().kube, ns, NAME);
    expect(await ok(['scale', NAME, '-n', ns, '--component', 'compute', '--group', 'analytics', '--replicas', '2'])).toBe(
      `${NAME}: scaled compute/analytics from 1 to 2 replicas\n`,
    );
    const after = await getRw(cluster().kube, ns, NAME);
    expect(computeGroups(after).map((g) => `${g.name}=${g.replicas}`)).toEqual(['=1', 'analytics=2']);
    // Nothing else in the spec moved.
    const want = structuredClone(before.spec);
    want.components.compute.nodeGroups[1].replicas = 2;
    expect(after.spec).toEqual(want);

    await settled();
    expect(replicaTable(await ok(['status', NAME, '-n', ns]))).toContainEqual({ COMPONENT: 'compute', GROUP: 'analytics', 'READY/TARGET': '2/2' });
  });

  it('a patch planned on a stale read is refused by the API server once the groups moved', async () => {
    const c = cluster();
    const stale = await getRw(c.kube, ns, NAME);
    const plan = planScale(stale, 'compute', 'analytics', 5);
    // Someone else reorders the compute groups in between.
    await c.kube.mergePatch(rwRef(ns, NAME), { spec: { components: { compute: { nodeGroups: [...computeGroups(stale)].reverse() } } } });
    const kubectl = new Kubectl(c.kubectlPath, { namespace: ns, kubeconfig: c.kubeconfig });
    const err = await kubectl.patchRisingWave(NAME, plan.ops).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/^RisingWave "rw" changed while it was being patched/);
    expect(computeGroups(await getRw(c.kube, ns, NAME)).map((g) => `${g.name}=${g.replicas}`)).toEqual(['analytics=2', '=1']);
    // Planned again on a fresh read, the same change lands on the right group.
    const fresh = planScale(await getRw(c.kube, ns, NAME), 'compute', 'analytics', 2);
    expect(fresh.ops[0]).toEqual({ op: 'test', path: '/spec/components/compute/nodeGroups/0/name', value: 'analytics' });
  });

  it('restart sets restartAt (RFC 3339, now) on the component\'s groups only; the hook converges', async () => {
    const before = Date.now();
    const out = await ok(['restart', NAME, '-n', ns, '--component', 'compute']);
    const m = /^rw: restartAt (\S+) set on compute\/analytics, compute\n$/.exec(out);
    expect(m, out).not.toBeNull();
    const at = m![1]!;
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const rw = await getRw(cluster().kube, ns, NAME);
    expect(computeGroups(rw).map((g) => g.restartAt)).toEqual([at, at]);
    for (const comp of ['meta', 'frontend', 'compactor']) expect(rw.spec.components[comp].nodeGroups[0].restartAt, comp).toBeUndefined();
    await settled();
  });

  it('upgrade sets spec.image; once rolled out, status shows the new version', async () => {
    expect(await ok(['upgrade', NAME, '-n', ns, '--image', NEW_IMAGE])).toBe(`${NAME}: image risingwavelabs/risingwave:v2.4.2 -> ${NEW_IMAGE}\n`);
    expect((await getRw(cluster().kube, ns, NAME)).spec.image).toBe(NEW_IMAGE);
    expect(condition(await settled(), 'Upgrading')).toMatchObject({ status: 'False', reason: 'RolledOut' });
    const out = await ok(['status', NAME, '-n', ns]);
    expect(out).toContain('Version:     v2.5.0\n');
    expect(conditionTable(out).find((c) => c.TYPE === 'Upgrading')).toMatchObject({ STATUS: 'False', REASON: 'RolledOut' });
    expect(replicaTable(out).every((r) => /^(\d+)\/\1$/.test(r['READY/TARGET']!))).toBe(true);
  });

  it('an autoscaled group: status shows what its HorizontalPodAutoscaler reports; scale says the HPA owns the count', async () => {
    const c = cluster();
    const rw = await getRw(c.kube, ns, NAME);
    const groups = structuredClone(computeGroups(rw));
    groups.find((g) => g.name === 'analytics')!.autoscaling = { minReplicas: 2, maxReplicas: 3, targetCPUUtilizationPercentage: 50 };
    await c.kube.mergePatch(rwRef(ns, NAME), { spec: { components: { compute: { nodeGroups: groups } } } });
    const now = await storedRw(
      c,
      ns,
      NAME,
      'Running with the HPA at 2',
      (x) => isSettledRunning(x) && (x.status.componentReplicas.compute.groups as Obj[]).some((g) => g.autoscaling?.currentReplicas === 2),
      120_000,
    );
    const stored = (now.status.componentReplicas.compute.groups as Obj[]).find((g) => g.name === 'analytics')!;

    const rows = replicaTable(await ok(['status', NAME, '-n', ns]));
    const expected = ['min=2', 'max=3', 'current=2', ...(stored.autoscaling.desiredReplicas !== undefined ? [`desired=${stored.autoscaling.desiredReplicas}`] : [])].join(' ');
    expect(rows).toContainEqual({ COMPONENT: 'compute', GROUP: 'analytics', 'READY/TARGET': '2/2', AUTOSCALING: expected });
    expect(rows).toContainEqual({ COMPONENT: 'meta', GROUP: '(default)', 'READY/TARGET': '1/1', AUTOSCALING: '-' });

    const r = await kubectlRisingwave(['scale', NAME, '-n', ns, '--component', 'compute', '--group', 'analytics', '--replicas', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: compute/analytics is autoscaled: its HorizontalPodAutoscaler owns the replica count, so replicas has no effect until autoscaling is removed\n');
  });
});
