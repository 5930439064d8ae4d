import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/flags.js';
import { UsageError } from '../../src/cli/io.js';
import { RESOURCE } from '../../src/plugin/kubectl.js';
import { cli } from '../cli/helpers.js';
import { fakeKubectl, plugin, storedRisingWave } from './helpers.js';

const SPEC = { output: { type: 'string', short: 'o' }, quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } } as const;

describe('flag errors in kubectl\'s words', () => {
  it.each([
    [['--foo'], 'unknown flag: --foo'],
    [['--foo=bar'], 'unknown flag: --foo'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['-qx'], "unknown shorthand flag: 'x' in -qx"],
    [['--output'], 'flag needs an argument: --output'],
    [['-o'], 'flag needs an argument: --output'],
    [['--quiet=maybe'], 'invalid argument "maybe" for "--quiet" flag: a boolean flag takes no value'],
  ])('%j -> %s', (args, message) => {
    let err: unknown;
    try {
      parseFlags(args, SPEC);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(message);
  });

  it('booleans take pflag\'s =true / =false; `--` ends the flags', () => {
    expect(parseFlags(['--quiet=true', 'a'], SPEC)).toEqual({ values: { quiet: true }, positionals: ['a'] });
    expect(parseFlags(['--quiet=false', 'a'], SPEC)).toEqual({ values: {}, positionals: ['a'] });
    expect(parseFlags(['--', '--quiet=true'], SPEC).positionals).toEqual(['--quiet=true']);
  });

  it.each([
    ['rw-hook', () => cli(['render', '--foo']), "error: unknown flag: --foo\nSee 'rw-hook render --help' for usage.\n"],
    ['rw-hook', () => cli(['replay', '-x']), "error: unknown shorthand flag: 'x' in -x\nSee 'rw-hook replay --help' for usage.\n"],
    ['kubectl risingwave', () => plugin(['status', '--foo']), "error: unknown flag: --foo\nSee 'kubectl risingwave status --help' for usage.\n"],
    ['kubectl risingwave', () => plugin(['scale', 'rw', '--replicas']), "error: flag needs an argument: --replicas\nSee 'kubectl risingwave scale --help' for usage.\n"],
  ])('%s: printed as kubectl prints them, exit 2', async (_bin, run, stderr) => {
    const r = await run();
    expect(r).toMatchObject({ code: 2, stdout: '', stderr });
  });
});

describe('kubectl risingwave passes kubectl\'s global flags through', () => {
  it('before or after the command, every kubectl call gets them as given', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    const argv = [
      '--as', 'jane',
      'status', 'rw',
      '--as-group=devs', '--as-group', 'ops',
      '--request-timeout', '5s',
      '-s', 'https://api.example:6443',
      '--token=t0k',
      '--certificate-authority', '/ca.crt',
      '--insecure-skip-tls-verify',
      '--user', 'u', '--cluster', 'c',
      '-n', 'prod',
    ];
    const r = await plugin(argv, { exec: k.exec });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(k.calls).toEqual([
      [
        'kubectl',
        '--namespace', 'prod',
        '--as=jane', '--as-group=devs', '--as-group=ops',
        '--certificate-authority=/ca.crt', '--cluster=c', '--insecure-skip-tls-verify',
        '--request-timeout=5s', '--server=https://api.example:6443', '--token=t0k', '--user=u',
        'get', RESOURCE, 'rw', '--output', 'json',
      ],
    ]);
  });

  it('a boolean global flag takes =false as kubectl does (and then is not passed)', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    await plugin(['status', 'rw', '--insecure-skip-tls-verify=false', '--warnings-as-errors=true'], { exec: k.exec });
    expect(k.calls[0]!.slice(1, 2)).toEqual(['--warnings-as-errors']);
  });

  it('scale, restart and upgrade pass them to the patch too', async () => {
    const k = fakeKubectl([storedRisingWave()]);
    await plugin(['upgrade', 'rw', '--image', 'risingwavelabs/risingwave:v2.5.0', '--as', 'jane'], { exec: k.exec });
    expect(k.calls.map((c) => [c[1], c[2]])).toEqual([
      ['--as=jane', 'get'],
      ['--as=jane', 'patch'],
    ]);
  });
});
