// The built plugin (dist/plugin/main.js, what `kubectl risingwave` runs) as a separate process, with a fake
// kubectl script standing in for the cluster: exit codes and the one-line errors of the failure paths, and
// arguments reaching kubectl as an array (no shell). `npm test` builds first (pretest).
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode, type ProcessRun } from '../support/process.js';
import { storedRisingWave } from './helpers.js';

const MAIN = new URL('../../dist/plugin/main.js', import.meta.url).pathname;
let dir = '';

/**
 * Logs its argv (one JSON line per call) and answers by FAKE_MODE: `ok` serves FAKE_DIR/rw.json for get and
 * patch, `notfound`, `nocrd`, `unreachable` (klog noise then kubectl's last line) fail like kubectl does.
 */
const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const dir = process.env.FAKE_DIR;
fs.appendFileSync(dir + '/calls.log', JSON.stringify(process.argv.slice(2)) + '\\n');
const mode = process.env.FAKE_MODE || 'ok';
if (mode === 'notfound') { process.stderr.write('Error from server (NotFound): risingwaves.risingwave.risingwavelabs.com "rw" not found\\n'); process.exit(1); }
if (mode === 'nocrd') { process.stderr.write('error: the server doesn\\'t have a resource type "risingwaves"\\n'); process.exit(1); }
if (mode === 'unreachable') {
  for (let i = 0; i < 5; i++) process.stderr.write('E1125 15:46:58.656521   23791 memcache.go:265] "Unhandled Error" err="couldn\\'t get current server API group list"\\n');
  process.stderr.write('The connection to the server localhost:8080 was refused - did you specify the right host or port?\\n');
  process.exit(1);
}
if (mode === 'garbage') { process.stdout.write('not json'); process.exit(0); }
process.stdout.write(fs.readFileSync(dir + '/rw.json', 'utf8'));
`;

const run = (args: string[], env: Record<string, string> = {}, file = MAIN): Promise<ProcessRun> =>
  runNode(file, args, { env: { PATH: process.env.PATH ?? '', KUBECTL: join(dir, 'kubectl'), FAKE_DIR: dir, ...env } });

const calls = (): string[][] =>
  readFileSync(join(dir, 'calls.log'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as string[]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-plugin-bin-'));
  writeFileSync(join(dir, 'kubectl'), FAKE);
  chmodSync(join(dir, 'kubectl'), 0o755);
  writeFileSync(join(dir, 'rw.json'), JSON.stringify(storedRisingWave()));
  writeFileSync(join(dir, 'calls.log'), '');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dist/plugin/main.js with a fake kubectl', () => {
  it('starts with a node shebang, so npm can link it as a bin', () => {
    expect(readFileSync(MAIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('status prints the table; arguments reach kubectl unsplit and unexpanded', async () => {
    writeFileSync(join(dir, 'calls.log'), '');
    const r = await run(['status', 'rw', '-n', 'my ns; echo $HOME', '--kubeconfig', '/tmp/k c']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compute     analytics   2/3\n');
    expect(calls()).toEqual([['--kubeconfig', '/tmp/k c', '--namespace', 'my ns; echo $HOME', 'get', 'risingwaves.risingwave.risingwavelabs.com', 'rw', '--output', 'json']]);
  });

  it('runs through a symlink named kubectl-risingwave (how kubectl finds plugins)', async () => {
    const link = join(dir, 'kubectl-risingwave');
    symlinkSync(MAIN, link);
    const r = await run(['status', 'rw'], {}, link);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Name:        rw\n');
  });

  it.each([
    [{ KUBECTL: '/nonexistent/kubectl' }, 'kubectl-risingwave status: kubectl not found: cannot run "/nonexistent/kubectl" (install kubectl, or set KUBECTL to its path)'],
    [{ FAKE_MODE: 'notfound' }, 'kubectl-risingwave status: RisingWave "rw" not found in namespace "ns"'],
    [{ FAKE_MODE: 'nocrd' }, 'kubectl-risingwave status: the RisingWave CRD (risingwaves.risingwave.risingwavelabs.com) is not installed on this cluster (kubectl apply -f crds/)'],
    [{ FAKE_MODE: 'unreachable' }, 'kubectl-risingwave status: kubectl: The connection to the server localhost:8080 was refused - did you specify the right host or port?'],
    [{ FAKE_MODE: 'garbage' }, 'kubectl-risingwave status: kubectl get did not print a JSON object (is KUBECTL a real kubectl?)'],
  ])('%o: one line on stderr, exit 1', async (env, line) => {
    expect(await run(['status', 'rw', '-n', 'ns'], env)).toEqual({ code: 1, stdout: '', stderr: `${line}\n` });
  });

  it('invalid replicas and other usage errors exit 2 without touching the cluster', async () => {
    writeFileSync(join(dir, 'calls.log'), '');
    expect(await run(['scale', 'rw', '--component', 'compute', '--replicas', '-3'])).toMatchObject({ code: 2 });
    expect(await run(['scale', 'rw', '--component', 'compute', '--replicas=-3'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: invalid --replicas "-3": a whole number >= 0 is required\nSee \'kubectl risingwave scale --help\' for usage.\n',
    });
    expect(await run(['frobnicate'])).toMatchObject({ code: 2 });
    expect(calls()).toEqual([]);
  });

  it('scale sends one JSON patch with the test op, then reports the change', async () => {
    writeFileSync(join(dir, 'calls.log'), '');
    const r = await run(['scale', 'rw', '--component', 'frontend', '--replicas', '4']);
    expect(r).toEqual({ code: 0, stdout: 'rw: scaled frontend from 2 to 4 replicas\n', stderr: '' });
    const [get, patch] = calls();
    expect(get![0]).toBe('get');
    expect(patch!.slice(0, 5)).toEqual(['patch', 'risingwaves.risingwave.risingwavelabs.com', 'rw', '--type', 'json']);
    expect(JSON.parse(patch![patch!.indexOf('--patch') + 1]!)).toEqual([
      { op: 'test', path: '/spec/components/frontend/nodeGroups/0/name', value: '' },
      { op: 'add', path: '/spec/components/frontend/nodeGroups/0/replicas', value: 4 },
    ]);
  });
});
