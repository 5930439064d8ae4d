import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { forbiddenRules, LAYERS } from './layers.js';

const ROOT = join(import.meta.dirname, '../..');

async function violations(baseDir: string): Promise<string[]> {
  const result = await cruise(['src'], {
    baseDir,
    validate: true,
    ruleSet: { forbidden: forbiddenRules() },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  });
  if (typeof result.output === 'string') throw new Error(result.output);
  return result.output.summary.violations.map((v: IViolation) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`);
}

describe('layers', () => {
  it('every folder of src/ is in exactly one layer', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect([...LAYERS.flat()].sort()).toEqual(folders);
    expect(new Set(LAYERS.flat()).size).toBe(LAYERS.flat().length);
  });

  it('src/ has no file outside a layer folder', () => {
    const files = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
    expect(files).toEqual([]);
  });

  it('no import points up a layer and no module is in a cycle', async () => {
    expect(await violations(ROOT)).toEqual([]);
  }, 60_000);

  it('docs/architecture.md lists the layers in the same order', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const listed = [...doc.matchAll(/^\| *\d+ *\| *([^|]+?) *\|/gm)].map((m) => m[1]!.split(',').map((s) => s.trim().replace(/`|src\/|\//g, '')));
    expect(listed).toEqual(LAYERS.map((l) => [...l]));
  });
});

describe('the rules catch what they forbid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rw-layers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('src/kube/object.ts', "import { schema } from '../api/schema.js';\nexport const object = schema;\n");
  write('src/api/schema.ts', 'export const schema = 1;\n');
  write('src/reactions/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
  write('src/reactions/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
  write('src/controller/tree.ts', "import { a } from '../reactions/a.js';\nexport const tree = a;\n");
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));

  it('an upward import and a cycle are both reported; a downward import is not', async () => {
    const found = await violations(dir);
    expect(found).toContain('no-upward-from-kube: src/kube/object.ts -> src/api/schema.ts');
    expect(found.some((v) => v.startsWith('no-circular: src/reactions/'))).toBe(true);
    expect(found.some((v) => v.includes('src/controller/tree.ts'))).toBe(false);
  }, 60_000);
});
