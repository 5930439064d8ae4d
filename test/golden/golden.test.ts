import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateChild } from '../support/validate.js';
import { GOLDEN_DIR, exampleNames, loadExample, render, toYaml } from '../support/render.js';

/**
 * Every example rendered through the hook core with nothing observed: the complete first answer to
 * Metacontroller. `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the files; review the diff.
 */
const update = process.env.UPDATE_GOLDEN === '1';

describe('golden children of every example', () => {
  for (const name of exampleNames()) {
    it(name, async () => {
      const result = await render(loadExample(name));
      expect(result.outcome, JSON.stringify(result.response.status)).not.toBe('error');
      const children = result.response.children;
      expect(children.length).toBeGreaterThan(0);
      for (const child of children) validateChild(child);
      const text = toYaml(children);
      const file = join(GOLDEN_DIR, `${name}.yaml`);
      if (update || !existsSync(file)) {
        if (!update) throw new Error(`missing golden file ${file}; run UPDATE_GOLDEN=1 npx vitest run test/golden`);
        writeFileSync(file, text);
      }
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('renders byte-identically twice', async () => {
    for (const name of exampleNames()) {
      const a = toYaml((await render(loadExample(name))).response.children);
      const b = toYaml((await render(loadExample(name))).response.children);
      expect(a).toBe(b);
    }
  });
});
