import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/server/config.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');

/** Rows of the table under `## Settings`: `| \`NAME\` | \`default\` or (unset) | meaning |`. */
function settingsTable(): Array<{ name: string; default: string }> {
  const section = doc.slice(doc.indexOf('\n## Settings'));
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \| (?:`([^`]*)`|\(unset\)) \|/gm)].map((m) => ({ name: m[1]!, default: m[2] ?? '' }));
}

describe('docs/operations.md', () => {
  it('lists every hook setting with its real default, in the order of src/server/config.ts', () => {
    expect(settingsTable()).toEqual(SETTINGS.map((s) => ({ name: s.name, default: s.default })));
  });

  it('names only kustomize directories, examples and files that exist', () => {
    const paths = new Set<string>();
    for (const m of doc.matchAll(/(?:^|[\s`(])((?:metacontroller|crds|examples|docs)\/[\w./-]*[\w/])/gm)) paths.add(m[1]!);
    expect(paths.size).toBeGreaterThan(5);
    for (const p of paths) {
      // The token file is created by the operator and is never in the repository.
      if (p === 'metacontroller/overlays/auth/token') continue;
      expect(existsSync(join(ROOT, p)), p).toBe(true);
    }
  });
});
