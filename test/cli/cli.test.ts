import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderRequest, renderRisingWave, SERVICE_MONITOR_GROUP } from '../../src/cli/render.js';
import { cli, FIXTURE } from './helpers.js';

const EXPECTED_CHILDREN = [
  'ConfigMap/demo-default-config',
  'Deployment/demo-compactor',
  'Deployment/demo-frontend',
  'Service/demo-compactor',
  'Service/demo-compute',
  'Service/demo-frontend',
  'Service/demo-meta',
  'StatefulSet/demo-compute',
  'StatefulSet/demo-meta',
];

const ids = (items: Array<{ kind: string; metadata: { name: string } }>) => items.map((i) => `${i.kind}/${i.metadata.name}`);

describe('rw-hook (dispatch)', () => {
  it('prints usage on stderr and exits 2 without a command or with an unknown one', async () => {
    for (const argv of [[], ['bogus']]) {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: rw-hook <command>');
    }
    expect((await cli(['bogus'])).stderr).toMatch(/^rw-hook: unknown command "bogus"/);
  });

  it('--help prints usage on stdout and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('render FILE|-');
  });

  for (const [command, marker] of [
    ['serve', 'MAX_IN_FLIGHT'],
    ['render', 'Usage: rw-hook render FILE|-'],
    ['replay', 'Usage: rw-hook replay PATH...'],
    ['crd', 'Usage: rw-hook crd'],
  ] as const) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(marker);
      expect(r.stderr).toBe('');
    });
  }

  it('unknown options are usage errors (exit 2) that point at --help', async () => {
    const r = await cli(['render', '--frobnicate', FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--frobnicate'");
    expect(r.stderr).toContain("Run 'rw-hook render --help' for usage.");
  });

  it('serve refuses bad settings with every problem named (exit 1)', async () => {
    const r = await cli(['serve'], { env: { PORT: 'eighty', MAX_IN_FLIGHT: '0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PORT="eighty" must be an integer from 0 to 65535');
    expect(r.stderr).toContain('MAX_IN_FLIGHT="0" must be an integer from 1');
  });
});

describe('rw-hook render', () => {
  it('prints a YAML stream of the children and skips other kinds', async () => {
    const r = await cli(['render', FIXTURE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('rw-hook render: skipping Secret unrelated\n');
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(r.stdout.startsWith('---\napiVersion: ')).toBe(true);
    expect(ids(docs)).toEqual(EXPECTED_CHILDREN);
    for (const d of docs) expect(d.metadata.namespace).toBe('default');
  });

  it('-o json prints a kubectl List of the same objects', async () => {
    const yamlRun = await cli(['render', FIXTURE]);
    const r = await cli(['render', '-o', 'json', FIXTURE]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(Object.keys(list)).toEqual(['apiVersion', 'kind', 'items']);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items).toEqual(parseAllDocuments(yamlRun.stdout).map((d) => d.toJS()));
  });

  it('reads stdin, JSON, and kubectl Lists', async () => {
    const manifest = (await readFile(FIXTURE, 'utf8')).split('---\n')[1]!;
    const asJson = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [parse(manifest)] });
    const r = await cli(['render', '-'], { stdin: asJson });
    expect(r.code).toBe(0);
    expect(ids(parseAllDocuments(r.stdout).map((d) => d.toJS()))).toEqual(EXPECTED_CHILDREN);
  });

  it('--max-unavailable-statefulset renders Recreate as maxUnavailable 100%; by default no StatefulSet carries the field', async () => {
    const manifest = readFileSync(new URL('../../examples/multi-group-compute.yaml', import.meta.url), 'utf8');
    const strategy = async (args: string[]) =>
      Object.fromEntries(
        parseAllDocuments((await cli(['render', ...args, '-'], { stdin: manifest })).stdout)
          .map((d) => d.toJS())
          .filter((d) => d.kind === 'StatefulSet')
          .map((d) => [d.metadata.name, d.spec.updateStrategy.rollingUpdate]),
      );
    const plain = await strategy([]);
    for (const ru of Object.values(plain)) expect(ru).toEqual({ partition: 0 });
    const gated = await strategy(['--max-unavailable-statefulset']);
    expect(gated['rw-groups-compute-analytics']).toEqual({ maxUnavailable: '100%', partition: 0 });
    expect(gated['rw-groups-compute-serving']).toEqual({ maxUnavailable: 1, partition: 0 });
  });

  it('is deterministic', async () => {
    expect((await cli(['render', FIXTURE])).stdout).toBe((await cli(['render', FIXTURE])).stdout);
  });

  it('keeps the manifest namespace', async () => {
    const manifest = (await readFile(FIXTURE, 'utf8')).split('---\n')[1]!.replace('  name: demo\n', '  name: demo\n  namespace: prod\n');
    const r = await cli(['render', '-'], { stdin: manifest });
    for (const d of parseAllDocuments(r.stdout).map((x) => x.toJS())) expect(d.metadata.namespace).toBe('prod');
  });

  it('reports a missing file (exit 1), a file without RisingWave (exit 1) and broken YAML with its line', async () => {
    let r = await cli(['render', '/does/not/exist.yaml']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'rw-hook render: cannot read /does/not/exist.yaml: no such file\n' });
    r = await cli(['render', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rw-hook render: -: no RisingWave found');
    r = await cli(['render', '-'], { stdin: 'kind: RisingWave\nmetadata: {name: [\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rw-hook render: stdin: document 1 \(line \d+\): /);
    r = await cli(['render']);
    expect(r.code).toBe(2);
    r = await cli(['render', '-o', 'xml', FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output must be yaml or json');
  });

  it('explains an invalid spec on stderr and exits 1', async () => {
    const manifest = (await readFile(FIXTURE, 'utf8')).split('---\n')[1]!.replace('replicas: 1', 'replicas: -3');
    const r = await cli(['render', '-'], { stdin: manifest });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rw-hook render: demo: Valid=False \(InvalidSpec\): spec\.components\.meta\.nodeGroups\[0\]\.replicas: /m);
  });

  it('a parent without a name is rejected like the server would', async () => {
    const r = await cli(['render', '-'], { stdin: 'apiVersion: risingwave.risingwavelabs.com/v1alpha1\nkind: RisingWave\nmetadata: {}\nspec: {}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not a valid parent: /metadata");
  });
});

describe('renderRisingWave / renderRequest', () => {
  it('builds the first sync: every child rule empty, no status, defaults for namespace and generation', () => {
    const req = renderRequest(
      { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', kind: 'RisingWave', metadata: { name: 'x' }, spec: {}, status: { phase: 'old' } },
      { serviceMonitor: true },
    );
    expect(req.parent.metadata).toEqual({ name: 'x', namespace: 'default', generation: 1 });
    expect(req.parent.status).toBeUndefined();
    expect(Object.keys(req.children!)).toEqual(['ConfigMap.v1', 'Service.v1', 'StatefulSet.apps/v1', 'Deployment.apps/v1', 'HorizontalPodAutoscaler.autoscaling/v2', SERVICE_MONITOR_GROUP]);
    expect(Object.values(req.children!).every((m) => Object.keys(m).length === 0)).toBe(true);
    expect(req.finalizing).toBe(false);
  });

  it('returns the children for golden tests and does not modify its input', async () => {
    const obj = parse((await readFile(FIXTURE, 'utf8')).split('---\n')[1]!);
    const before = structuredClone(obj);
    const children = await renderRisingWave(obj);
    expect(ids(children)).toEqual(EXPECTED_CHILDREN);
    expect(obj).toEqual(before);
  });
});
