import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { risingWaveWorkflow } from '../../../src/controller/risingwave.js';
import { ConditionType, Reason } from '../../../src/reactions/status/vocabulary.js';
import { describeWorkflow } from '../../../src/workflow/index.js';

const doc = readFileSync(new URL('../../../docs/status.md', import.meta.url), 'utf8');

describe('docs/status.md', () => {
  it('documents every condition type and reason the hook writes', () => {
    for (const type of Object.values(ConditionType)) expect(doc, type).toContain(`| \`${type}\` |`);
    for (const reason of Object.values(Reason)) expect(doc, reason).toContain(`\`${reason}\``);
  });

  it('shows the current workflow tree', () => {
    expect(doc).toContain(`\`\`\`\n${describeWorkflow(risingWaveWorkflow)}\n\`\`\``);
  });
});
