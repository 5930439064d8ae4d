// The CLI conventions both bins share, on the built files (what npm puts on PATH; `npm test` builds first).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
const BINS = { 'rw-hook': `${ROOT}dist/cli/main.js`, 'kubectl-risingwave': `${ROOT}dist/plugin/main.js` };

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

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
