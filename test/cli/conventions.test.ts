// The CLI conventions both bins share, on the built files (what npm puts on PATH; `npm test` builds first).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNode } from '../support/process.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
const BINS = { 'rw-hook': `${ROOT}dist/cli/main.js`, 'kubectl-risingwave': `${ROOT}dist/plugin/main.js` };

const run = (file: string, args: string[]) => runNode(file, args, { timeout: 20_000 });

describe.each(Object.entries(BINS))('%s', (bin, file) => {
  it('--version prints the package.json version, exit 0', async () => {
    expect(await run(file, ['--version'])).toEqual({ code: 0, stdout: `${bin} ${VERSION}\n`, stderr: '' });
  });

  it('a usage error exits 2 with kubectl\'s wording', async () => {
    const r = await run(file, ['render', '--foo']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: unknown flag: --foo');
  });

  it('no command is a usage error too (exit 2, usage on stderr)', async () => {
    const r = await run(file, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: /);
  });
});
