// The one dispatcher both bins run through (src/cli/command.ts), on a made-up bin so every branch is seen
// with loaders that count their calls; then the two real command tables against their usage.
import { describe, expect, it } from 'vitest';
import { dispatch, usage, type Program } from '../../src/cli/command.js';
import { CliError, UsageError } from '../../src/cli/io.js';
import { RW_HOOK } from '../../src/cli/main.js';
import { KUBECTL_RISINGWAVE } from '../../src/plugin/main.js';
import { capturedIO } from './helpers.js';

interface Ctx {
  readonly tag: string;
}

function fakeBin() {
  const loaded: string[] = [];
  const ran: Array<{ args: string[]; ctx: Ctx }> = [];
  const command = (name: string, run: (args: string[], ctx: Ctx) => Promise<number>) => ({
    name,
    synopsis: `${name} ARG`,
    summary: `does ${name}`,
    load: async () => {
      loaded.push(name);
      return run;
    },
  });
  const program: Program<Ctx, number> = {
    name: 'fake-bin',
    invocation: 'fake bin',
    head: 'Usage: fake <command>\n\nCommands:\n',
    summaryColumn: 14,
    tail: 'the end\n',
    commands: [
      command('ok', async (args, ctx) => {
        ran.push({ args, ctx });
        return 0;
      }),
      command('usage', async () => {
        throw new UsageError('unknown flag: --x');
      }),
      command('fails', async () => {
        throw new CliError('the cluster said no');
      }),
      command('bug', async () => {
        throw new TypeError('x is undefined');
      }),
      command('a-very-long-name', async () => 0),
    ],
  };
  const run = async (argv: string[]) => {
    const { io, stdout, stderr } = capturedIO();
    const [name, ...args] = argv;
    const code = await dispatch(program, name, args, io, () => ({ tag: 'context' }));
    return { code, stdout: stdout(), stderr: stderr() };
  };
  return { program, loaded, ran, run };
}

const FAKE_USAGE = `Usage: fake <command>

Commands:
  ok ARG      does ok
  usage ARG   does usage
  fails ARG   does fails
  bug ARG     does bug
  a-very-long-name ARG does a-very-long-name

the end
`;

describe('dispatch', () => {
  it('lays the usage out from the table: summaries in one column, one space after a synopsis too long for it', () => {
    expect(usage(fakeBin().program)).toBe(FAKE_USAGE);
  });

  it('no command: usage on stderr, exit 2; help in any spelling: usage on stdout, exit 0; nothing loaded', async () => {
    const bin = fakeBin();
    expect(await bin.run([])).toEqual({ code: 2, stdout: '', stderr: FAKE_USAGE });
    for (const help of ['-h', '--help', 'help']) expect(await bin.run([help, 'ok'])).toEqual({ code: 0, stdout: FAKE_USAGE, stderr: '' });
    expect(bin.loaded).toEqual([]);
  });

  it('an unknown command (inherited object keys included) is a usage error naming it, exit 2, nothing loaded', async () => {
    const bin = fakeBin();
    for (const name of ['bogus', 'toString', '__proto__', 'constructor', 'OK']) {
      expect(await bin.run([name])).toEqual({ code: 2, stdout: '', stderr: `fake-bin: unknown command ${JSON.stringify(name)}\n\n${FAKE_USAGE}` });
    }
    expect(bin.loaded).toEqual([]);
  });

  it('version in either spelling prints the bin name and package version, exit 0', async () => {
    const bin = fakeBin();
    for (const v of ['--version', 'version']) {
      const r = await bin.run([v]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^fake-bin \d+\.\d+\.\d+\S*\n$/);
    }
    expect(bin.loaded).toEqual([]);
  });

  it('loads only the named command and runs it with the rest of argv and the context', async () => {
    const bin = fakeBin();
    expect(await bin.run(['ok', 'a', '--b'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(bin.loaded).toEqual(['ok']);
    expect(bin.ran).toEqual([{ args: ['a', '--b'], ctx: { tag: 'context' } }]);
  });

  it('turns what a command throws into the exit code: usage 2 (kubectl wording), failure 1 (bin and command), bug 1 (stack)', async () => {
    const bin = fakeBin();
    expect(await bin.run(['usage'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown flag: --x\nSee 'fake bin usage --help' for usage.\n" });
    expect(await bin.run(['fails'])).toEqual({ code: 1, stdout: '', stderr: 'fake-bin fails: the cluster said no\n' });
    const bug = await bin.run(['bug']);
    expect(bug.code).toBe(1);
    expect(bug.stderr).toMatch(/^fake-bin bug: TypeError: x is undefined\n\s+at /);
  });
});

describe.each([
  ['rw-hook', RW_HOOK],
  ['kubectl-risingwave', KUBECTL_RISINGWAVE],
] as const)('%s command table', (_bin, program: Program<never, number | undefined>) => {
  it('names each command once and lists it by its own name in the usage', () => {
    const names = program.commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const text = usage(program);
    for (const c of program.commands) {
      expect(c.synopsis.split(' ')[0]).toBe(c.name);
      expect(text).toContain(`\n  ${c.synopsis} `);
    }
  });

  it('every row loads a command', async () => {
    for (const c of program.commands) expect(typeof (await c.load())).toBe('function');
  });
});
