import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../src/cli/io.js';
import { clusterFlags, parseCommandArgs, splitCommand } from '../../src/plugin/args.js';
import { parseComponent } from '../../src/plugin/groups.js';
import { Kubectl, kubectlFailure, startFailure } from '../../src/plugin/kubectl.js';
import { parseReplicas } from '../../src/plugin/scale.js';
import { validateImage } from '../../src/plugin/upgrade.js';

describe('splitCommand', () => {
  it('takes the first argument as the command', () => {
    expect(splitCommand(['status', 'rw', '-n', 'ns'])).toEqual({ command: 'status', args: ['rw', '-n', 'ns'] });
  });

  it('moves cluster flags given before the command after it', () => {
    expect(splitCommand(['-n', 'ns', '--kubeconfig', '/k', 'scale', 'rw'])).toEqual({ command: 'scale', args: ['rw', '-n', 'ns', '--kubeconfig', '/k'] });
    expect(splitCommand(['--namespace=ns', '-nfoo', '--context=c', 'status'])).toEqual({ command: 'status', args: ['--namespace=ns', '-nfoo', '--context=c'] });
  });

  it('leaves anything else where it is, so main reports it', () => {
    expect(splitCommand([])).toEqual({ command: undefined, args: [] });
    expect(splitCommand(['--help'])).toEqual({ command: '--help', args: [] });
    expect(splitCommand(['-n'])).toEqual({ command: '-n', args: [] });
  });
});

describe('parseCommandArgs', () => {
  const opts = { replicas: { type: 'string' as const } };

  it('accepts cluster flags and positionals in any order', () => {
    const { values, positionals } = parseCommandArgs(['rw', '--replicas', '3', '-n', 'ns', '--context', 'c', '--kubeconfig=/k'], opts);
    expect(positionals).toEqual(['rw']);
    expect(clusterFlags(values)).toEqual({ namespace: 'ns', context: 'c', kubeconfig: '/k' });
    expect(values.replicas).toBe('3');
  });

  it('turns unknown options, missing values and empty values into one-line usage errors', () => {
    for (const args of [['--frobnicate'], ['--replicas'], ['-n', ''], ['--replicas', '-1']]) {
      let err: unknown;
      try {
        parseCommandArgs(args, opts);
      } catch (e) {
        err = e;
      }
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

describe('values', () => {
  it('replicas: whole numbers from 0 to 2^31-1', () => {
    expect(parseReplicas('0')).toBe(0);
    expect(parseReplicas('12')).toBe(12);
    expect(parseReplicas('2147483647')).toBe(2147483647);
    for (const bad of ['-1', '1.5', 'three', '', '2147483648', '1e3', '0x10']) {
      expect(() => parseReplicas(bad), bad).toThrow(UsageError);
    }
  });

  it('component: the four node-group components and standalone', () => {
    for (const c of ['meta', 'frontend', 'compute', 'compactor', 'standalone']) expect(parseComponent(c)).toBe(c);
    expect(() => parseComponent('computer')).toThrow('no such component "computer" (one of meta, frontend, compute, compactor, standalone)');
  });

  it('image: no blanks', () => {
    expect(validateImage('reg.example/rw@sha256:abc')).toBe('reg.example/rw@sha256:abc');
    expect(() => validateImage(' ')).toThrow(UsageError);
    expect(() => validateImage('a b')).toThrow(UsageError);
  });
});

describe('kubectl invocation', () => {
  it('puts the cluster flags in front of every command, as separate arguments', async () => {
    const calls: string[][] = [];
    const k = new Kubectl('/bin/kc', { namespace: 'n s', kubeconfig: '/k; rm -rf /', context: 'c' }, async (file, args) => {
      calls.push([file, ...args]);
      return { code: 0, stdout: '{"items":[]}', stderr: '' };
    });
    await k.listRisingWaves(false);
    expect(calls).toEqual([
      ['/bin/kc', '--kubeconfig', '/k; rm -rf /', '--context', 'c', '--namespace', 'n s', 'get', 'risingwaves.risingwave.risingwavelabs.com', '--output', 'json'],
    ]);
  });

  it('says in one line why kubectl failed', () => {
    const where = 'in namespace "ns"';
    expect(kubectlFailure('Error from server (NotFound): risingwaves.risingwave.risingwavelabs.com "rw" not found\n', { subject: 'RisingWave "rw"', where })).toBe(
      'RisingWave "rw" not found in namespace "ns"',
    );
    expect(kubectlFailure(`error: the server doesn't have a resource type "risingwaves"\n`, { where })).toMatch(/^the RisingWave CRD .* is not installed/);
    const rejected = 'The request is invalid: the server rejected our request due to an error in our request\n';
    expect(kubectlFailure(rejected, { subject: 'RisingWave "rw"', where, patch: true })).toMatch(/^RisingWave "rw" changed while it was being patched/);
    expect(kubectlFailure(rejected, { where })).toBe('kubectl: The request is invalid: the server rejected our request due to an error in our request');
    const klog =
      'E1125 15:46:58.656521   23791 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list"\n' +
      'E1125 15:46:58.656758   23791 memcache.go:265] "Unhandled Error"\n' +
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n';
    expect(kubectlFailure(klog, { where })).toBe('kubectl: The connection to the server localhost:8080 was refused - did you specify the right host or port?');
    expect(kubectlFailure('error: line one\n  line two\n', { where })).toBe('kubectl: line one line two');
    expect(kubectlFailure('', { where })).toBe('kubectl failed without a message');
  });

  it('names the binary when it cannot start', () => {
    const enoent = Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' });
    expect(startFailure('/opt/kubectl', enoent)).toBe('kubectl not found: cannot run "/opt/kubectl" (install kubectl, or set KUBECTL to its path)');
    expect(startFailure('k', Object.assign(new Error('x'), { code: 'EACCES' }))).toMatch(/^kubectl not executable: "k"/);
  });
});
