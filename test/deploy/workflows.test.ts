// .github/workflows cannot run here; actionlint (built from its Go module by test/e2e/cluster/build-tools.sh)
// checks them: syntax, expressions, job and step outputs, and the inputs of the pinned actions.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireTool } from './tools.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORKFLOWS = join(ROOT, '.github/workflows');
const ACTIONLINT = requireTool('actionlint', 'test/deploy/workflows.test.ts');

type Obj = Record<string, any>;
const workflow = (name: string) => parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Obj;
const steps = (wf: Obj) => Object.values(wf.jobs as Obj).flatMap((j: Obj) => (j.steps ?? []) as Obj[]);

describe.skipIf(!ACTIONLINT)('actionlint', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
  const lint = (input: string, name: string) =>
    spawnSync(ACTIONLINT!, ['-no-color', '-oneline', '-stdin-filename', name, '-'], { cwd: ROOT, input, encoding: 'utf8' });

  it('passes on every workflow', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
    const r = spawnSync(ACTIONLINT!, ['-no-color', '-oneline', ...files.map((f) => join(WORKFLOWS, f))], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  // actionlint knows the inputs and outputs of popular actions by major version (actions/checkout@v4), not by the
  // full versions the workflows pin; linting a copy with each pin cut to its major checks them too.
  it.each(files)('passes on %s with each pin cut to its major version, so action inputs are checked', (file) => {
    const text = readFileSync(join(WORKFLOWS, file), 'utf8');
    const majors = text.replace(/(uses: [\w.-]+\/[\w.-]+@v\d+)\.\d+\.\d+/g, '$1');
    expect(majors).not.toBe(text);
    const r = lint(majors, file);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails on a broken workflow (so the check above can fail)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n      - run: echo ${{ steps.nope.outputs.x }}\n';
    const r = lint(broken, 'broken.yml');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('input "no-such-input" is not defined');
    expect(r.stdout).toContain('property "nope" is not defined');
  });
});

describe('workflows', () => {
  it('every action is pinned to a full version (vX.Y.Z), never a branch or a moving major tag', () => {
    for (const name of ['ci.yml', 'release.yml']) {
      for (const s of steps(workflow(name)).filter((s) => s.uses)) expect(s.uses, `${name}: ${s.uses}`).toMatch(/^[\w.-]+\/[\w.-]+@v\d+\.\d+\.\d+$/);
    }
  });

  it('pull requests run bash .ci/run', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toContain('pull_request');
    expect(steps(ci).map((s) => s.run)).toContain('bash .ci/run');
  });

  it('a v* tag builds amd64 and arm64 with SBOM and provenance, and attaches digest-pinned manifests and chart', () => {
    const release = workflow('release.yml');
    expect(release.on.push.tags).toEqual(['v*']);
    const build = steps(release).find((s) => String(s.uses).startsWith('docker/build-push-action@'))!;
    expect(build.with).toMatchObject({ platforms: 'linux/amd64,linux/arm64', push: true, sbom: true, provenance: 'mode=max' });
    expect(steps(release).some((s) => String(s.uses).startsWith('actions/attest-build-provenance@'))).toBe(true);
    const runs = steps(release).map((s) => String(s.run ?? '')).join('\n');
    expect(runs).toContain('digest: ${DIGEST}');
    expect(runs).toContain('helm package charts/risingwave-hook');
    expect(runs).toMatch(/gh release create[^\n]*\\\n[^\n]*risingwave-hook-\$\{VERSION\}\.yaml" "out\/risingwave-hook-\$\{VERSION\}\.tgz"/);
  });

  it('the release job pins the chart\'s digest in the values line that exists', () => {
    const values = readFileSync(join(ROOT, 'charts/risingwave-hook/values.yaml'), 'utf8');
    expect(values).toMatch(/^ {2}digest: ""$/m);
  });
});

