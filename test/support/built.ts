import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const ROOT = new URL('../..', import.meta.url).pathname;
/** The built CLI, as Kubernetes and the benchmarks run it. */
export const MAIN = join(ROOT, 'dist/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * For a `beforeAll` of tests that run dist/: rebuilds it when any source file is newer (CI builds before
 * testing, so this is a no-op there).
 */
export function ensureBuilt(): void {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'pipe' });
    } catch {
      // Type errors elsewhere still emit JavaScript; the tests judge what was emitted.
    }
  }
  expect(existsSync(MAIN), 'dist/cli/main.js missing: run npm run build').toBe(true);
}
