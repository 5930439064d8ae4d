// The subcommands end to end in-process, with an in-memory kubectl: what they ask kubectl, what they write
// to the stored object, what they print, and their exit codes (0 done, 1 failed, 2 usage).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FIXTURE } from '../cli/helpers.js';
import { cli } from '../cli/helpers.js';
import { fakeKubectl, NOW, plugin, storedRisingWave } from './helpers.js';

const RESOURCE = 'risingwaves.risingwave.risingwavelabs.com';

describe('kubectl risingwave (dispatch)', () => {
  it('usage on stderr, exit 2, without a command or with an unknown one; --help on stdout, exit 0', async () => {
    for (const argv of [[], ['bogus']]) {
      const r = await plugin(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Usage: kubectl risingwave <command>');
    }
    expect((await plugin(['bogus'])).stderr).toMatch(/^kubectl-risingwave: unknown command "bogus"/);
    const help = await plugin(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('scale NAME --component C [--group G] --replicas N');
  });

  for (const [command, marker] of [
    ['status', 'Usage: kubectl risingwave status [NAME]'],
    ['scale', 'Usage: kubectl risingwave scale NAME --component C'],
    ['restart', 'Usage: kubectl risingwave restart NAME'],
    ['upgrade', 'Usage: kubectl risingwave upgrade NAME --image IMAGE'],
    ['render', 'Usage: kubectl risingwave render -f FILE'],
  ] as const) {
    it(`${command} --help prints its usage (with the cluster options where they apply) and asks kubectl nothing`, async () => {
      const k = fakeKubectl([]);
      const r = await plugin([command, '--help'], { exec: k.exec });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain(marker);
      if (command !== 'render') expect(r.stdout).toContain('-n, --namespace NS');
      expect(k.calls).toEqual([]);
    });
  }

  it('usage errors exit 2 with one line and a pointer to --help, before any kubectl call', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    for (const argv of [
      ['scale', 'rw', '--replicas', '1'],
      ['scale', 'rw', '--component', 'compute'],
      ['scale', '--component', 'compute', '--replicas', '1'],
      ['restart', 'rw', '--group', 'x'],
      ['upgrade', 'rw'],
      ['status', 'a', 'b'],
      ['status', 'rw', '-o', 'wide'],
      ['status', 'rw', '--frobnicate'],
    ]) {
      const r = await plugin(argv, { exec: k.exec });
      expect(r.code, argv.join(' ')).toBe(2);
      const [first, second, ...rest] = r.stderr.split('\n');
      expect(first).toMatch(/^error: \S/);
      expect(second).toBe(`See 'kubectl risingwave ${argv[0]} --help' for usage.`);
      expect(rest).toEqual(['']);
    }
    expect(k.calls).toEqual([]);
  });
});

describe('status', () => {
  it('reads the RisingWave through kubectl with the cluster flags and prints the table', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const r = await plugin(['status', 'rw', '-n', 'prod', '--context', 'c1', '--kubeconfig', '/kc'], { exec: k.exec, env: { KUBECTL: '/opt/kubectl' } });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(k.calls).toEqual([['/opt/kubectl', '--kubeconfig', '/kc', '--context', 'c1', '--namespace', 'prod', 'get', RESOURCE, 'rw', '--output', 'json']]);
    expect(r.stdout).toContain('compute     analytics   2/3\n');
    expect(r.stdout).toContain('Running   True     AllComponentsReady   45s');
  });

  it('-o yaml passes through to kubectl; no NAME lists; an unknown NAME is one line, exit 1', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    await plugin(['status', 'rw', '-o', 'yaml'], { exec: k.exec });
    expect(k.calls[0]!.slice(1)).toEqual(['get', RESOURCE, 'rw', '--output', 'yaml']);
    const list = await plugin(['-n', 'prod', 'status'], { exec: k.exec });
    expect(list.stdout).toBe('NAME   RUNNING   VERSION   AGE\nrw     True      v2.4.2    3h\n');
    expect(k.calls[1]!.slice(1)).toEqual(['--namespace', 'prod', 'get', RESOURCE, '--output', 'json']);
    expect((await plugin(['status', '-A'], { exec: k.exec })).stdout).toMatch(/^NAMESPACE   NAME/);
    expect(k.calls[2]!.slice(1)).toEqual(['get', RESOURCE, '--all-namespaces', '--output', 'json']);
    expect(await plugin(['status', 'nope', '-n', 'prod'], { exec: k.exec })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'kubectl-risingwave status: RisingWave "nope" not found in namespace "prod"\n',
    });
    const empty = await plugin(['status'], { exec: fakeKubectl([]).exec });
    expect(empty).toEqual({ code: 0, stdout: '', stderr: "No RisingWave found in the context's namespace.\n" });
  });
});

describe('scale / restart / upgrade', () => {
  it('scale patches the chosen group with a JSON patch and prints the change', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const r = await plugin(['scale', 'rw', '--component', 'compute', '--group', 'analytics', '--replicas', '5'], { exec: k.exec });
    expect(r).toEqual({ code: 0, stdout: 'rw: scaled compute/analytics from 3 to 5 replicas\n', stderr: '' });
    const patch = k.calls[1]!;
    expect(patch.slice(1, 6)).toEqual(['patch', RESOURCE, 'rw', '--type', 'json']);
    expect(k.objects.get('rw')!.spec.components.compute.nodeGroups.map((g: { replicas: number }) => g.replicas)).toEqual([2, 5, 1]);
  });

  it('scale to the current value writes nothing', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const r = await plugin(['scale', 'rw', '--component', 'meta', '--replicas', '1'], { exec: k.exec });
    expect(r).toEqual({ code: 0, stdout: 'rw: meta already has 1 replica (no change)\n', stderr: '' });
    expect(k.calls.map((c) => c[1])).toEqual(['get']);
  });

  it('a malformed flag value is wrong usage: exit 2 in kubectl\'s words, before any kubectl call', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const cases: Array<[string[], string]> = [
      [['scale', 'rw', '--component', 'compute', '--replicas', 'lots'], 'invalid --replicas "lots": a whole number >= 0 is required'],
      [['scale', 'rw', '--component', 'computer', '--replicas', '1'], 'no such component "computer" (one of meta, frontend, compute, compactor, standalone)'],
      [['upgrade', 'rw', '--image', 'a b'], 'invalid --image "a b": an image reference has no spaces'],
    ];
    for (const [argv, message] of cases) {
      const r = await plugin(argv, { exec: k.exec });
      expect(r, argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nSee 'kubectl risingwave ${argv[0]} --help' for usage.\n` });
    }
    expect(k.calls.filter((c) => c[1] === 'patch')).toEqual([]);
  });

  it('errors are one line on stderr and exit 1: unknown group, ambiguous group, missing RisingWave', async () => {
    const rw = storedRisingWave();
    rw.spec.components.compute.nodeGroups.shift();
    const k = fakeKubectl([rw]);
    const cases: Array<[string[], string]> = [
      [['scale', 'rw', '--component', 'compute', '--group', 'x', '--replicas', '1'], 'compute has no group "x" (groups: "analytics", "serving")'],
      [['scale', 'rw', '--component', 'compute', '--replicas', '1'], 'compute has several groups and none is the default "", choose one with --group (groups: "analytics", "serving")'],
      [['restart', 'rw', '--component', 'compute', '--group', 'x'], 'compute has no group "x" (groups: "analytics", "serving")'],
      [['upgrade', 'gone', '--image', 'x:1'], "RisingWave \"gone\" not found in the context's namespace"],
    ];
    for (const [argv, message] of cases) {
      const r = await plugin(argv, { exec: k.exec });
      expect(r, argv.join(' ')).toEqual({ code: 1, stdout: '', stderr: `kubectl-risingwave ${argv[0]}: ${message}\n` });
    }
    expect(k.calls.filter((c) => c[1] === 'patch')).toEqual([]);
  });

  it('a patch refused because the group moved is reported as such, exit 1', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const exec = async (file: string, args: readonly string[]) => {
      const res = await k.exec(file, args);
      // Between our read and our patch, someone removes the default compute group.
      if (args[0] === 'get') k.objects.get('rw')!.spec.components.compute.nodeGroups.shift();
      return res;
    };
    const r = await plugin(['scale', 'rw', '--component', 'compute', '--replicas', '9'], { exec });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('kubectl-risingwave scale: RisingWave "rw" changed while it was being patched (a node group moved, or the image changed); nothing was written, run the command again\n');
    expect(k.objects.get('rw')!.spec.components.compute.nodeGroups.map((g: { name: string; replicas: number }) => `${g.name}=${g.replicas}`)).toEqual(['analytics=3', 'serving=1']);
  });

  it('restart sets restartAt to now (RFC 3339, seconds) on every group; upgrade sets spec.image', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const r = await plugin(['restart', 'rw'], { exec: k.exec });
    expect(r).toEqual({ code: 0, stdout: 'rw: restartAt 2026-01-01T12:00:00Z set on meta, frontend, compute, compute/analytics, compute/serving, compactor/iceberg\n', stderr: '' });
    const stored = k.objects.get('rw')!;
    expect(new Set(['meta', 'frontend', 'compute', 'compactor'].flatMap((c) => stored.spec.components[c].nodeGroups.map((g: { restartAt: string }) => g.restartAt)))).toEqual(
      new Set([NOW.toISOString().replace('.000', '')]),
    );

    const u = await plugin(['upgrade', 'rw', '--image', 'risingwavelabs/risingwave:v2.5.0'], { exec: k.exec });
    expect(u).toEqual({
      code: 0,
      stdout: 'rw: image risingwavelabs/risingwave:v2.4.2 -> risingwavelabs/risingwave:v2.5.0\n',
      stderr: 'note: these groups set their own image and keep it: compute/analytics (custom/rw:pinned)\n',
    });
    expect(k.objects.get('rw')!.spec.image).toBe('risingwavelabs/risingwave:v2.5.0');
  });
});

describe('render', () => {
  it('prints exactly what rw-hook render prints, stderr lines named after the plugin', async () => {
    for (const output of ['yaml', 'json']) {
      const mine = await plugin(['render', '-f', FIXTURE, '-o', output]);
      const hook = await cli(['render', FIXTURE, '-o', output]);
      expect(mine.code).toBe(hook.code);
      expect(mine.stdout).toBe(hook.stdout);
      expect(mine.stdout.length).toBeGreaterThan(1000);
      expect(mine.stderr).toBe(hook.stderr.replaceAll('rw-hook render: ', 'kubectl-risingwave render: '));
    }
    const stdin = await plugin(['render', '-f', '-'], { stdin: await readFile(FIXTURE, 'utf8') });
    expect(stdin.stdout).toBe((await cli(['render', FIXTURE])).stdout);
  });

  it('works offline: cluster flags and positionals are usage errors; a missing file is exit 1', async () => {
    expect((await plugin(['render', '-f', FIXTURE, '-n', 'x'])).code).toBe(2);
    expect((await plugin(['render', FIXTURE])).code).toBe(2);
    expect((await plugin(['render'])).code).toBe(2);
    expect(await plugin(['render', '-f', '/nonexistent.yaml'])).toEqual({ code: 1, stdout: '', stderr: 'kubectl-risingwave render: cannot read /nonexistent.yaml: no such file\n' });
  });
});
