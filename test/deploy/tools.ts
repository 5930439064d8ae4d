import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where test/e2e/cluster/build-tools.sh put helm and actionlint: RW_TOOLS_BIN when .ci/run exported it, else the
 * same cache path the script computes. undefined (with the reason) when the tool is not built: the test file
 * then skips with that message, except under CI, where .ci/run builds the tools first and a missing one fails.
 */
export function releaseTool(name: 'helm' | 'actionlint'): { path?: string; missing?: string } {
  let dir = process.env.RW_TOOLS_BIN;
  if (!dir) {
    const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
    if (go.status !== 0) return { missing: `${name}: no RW_TOOLS_BIN and no Go to locate the cache (bash test/e2e/cluster/build-tools.sh builds it)` };
    const root = process.env.RW_E2E_CACHE ?? join(homedir(), '.cache/rw-hook-e2e');
    dir = join(root, `tools-helm-v4.3.2-actionlint-v1.7.12-${go.stdout.trim()}`, 'bin');
  }
  const path = join(dir, name);
  if (existsSync(path)) return { path };
  return { missing: `${name} is not built at ${path} (bash test/e2e/cluster/build-tools.sh builds it)` };
}

/** Skip message for a missing tool, or an error under CI where it must be there. */
export function requireTool(name: 'helm' | 'actionlint', file: string): string | undefined {
  const tool = releaseTool(name);
  if (tool.path) return tool.path;
  if (process.env.CI === 'true') throw new Error(`${file}: ${tool.missing}; .ci/run builds it before the tests`);
  console.warn(`${file}: SKIPPED, ${tool.missing}`);
  return undefined;
}
