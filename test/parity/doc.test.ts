import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedDifferencesTable } from './compare.js';

/**
 * docs/parity.md's table of allowed differences is compare.ts's ALLOWED_DIFFERENCES, word for word, so the
 * document and what the suite lets through cannot drift apart. UPDATE_PARITY_DOC=1 rewrites the table.
 */
const DOC = resolve(import.meta.dirname, '../../docs/parity.md');
const BEGIN = '<!-- allowed-differences:begin (generated from test/parity/compare.ts; UPDATE_PARITY_DOC=1 npm run test:parity -- doc) -->';
const END = '<!-- allowed-differences:end -->';

describe('docs/parity.md', () => {
  it('lists exactly the allowed differences the suite applies', () => {
    const text = readFileSync(DOC, 'utf8');
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, `docs/parity.md needs the line ${BEGIN}`).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const table = text.slice(start + BEGIN.length, end).trim();
    if (process.env.UPDATE_PARITY_DOC === '1' && table !== allowedDifferencesTable()) {
      writeFileSync(DOC, `${text.slice(0, start + BEGIN.length)}\n${allowedDifferencesTable()}\n${text.slice(end)}`);
      return;
    }
    expect(table).toBe(allowedDifferencesTable());
  });
});
