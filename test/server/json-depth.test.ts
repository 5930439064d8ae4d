import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/server/json-depth.js';

const nested = (depth: number, array = false) => (array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

describe('nestsDeeperThan', () => {
  it.each([false, true])('counts objects and arrays alike (arrays: %s): max levels pass, one more does not', (array) => {
    expect(nestsDeeperThan(nested(5, array), 5)).toBe(false);
    expect(nestsDeeperThan(nested(6, array), 5)).toBe(true);
  });

  it('measures depth, not the number of containers', () => {
    expect(nestsDeeperThan(`[${Array.from({ length: 50 }, () => nested(3)).join(',')}]`, 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}],"c":{"d":{"e":{}}}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[{}]}]}', 4)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const s = JSON.stringify({ a: '[[[[[{{{{{', b: 'quote \\" then [[[[', c: 'ends with backslash \\', d: '"[["' });
    expect(nestsDeeperThan(s, 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify([{ k: '\\"]]]]' }, ['x']]), 2)).toBe(false);
  });

  it('leaves malformed text to JSON.parse', () => {
    expect(nestsDeeperThan('{"a":"unterminated [[[[[[', 2)).toBe(false);
    expect(nestsDeeperThan('', 2)).toBe(false);
  });

  it('every recorded request is far within MAX_JSON_DEPTH', () => {
    for (const name of ['new-v2', 'standalone-v1', 'typical-v1', 'typical-v2', 'upgrading-v2']) {
      const text = readFileSync(new URL(`../fixtures/${name}.request.json`, import.meta.url), 'utf8');
      expect(nestsDeeperThan(text, 32), name).toBe(false);
    }
    expect(nestsDeeperThan(nested(10_000), MAX_JSON_DEPTH)).toBe(true);
  });
});
