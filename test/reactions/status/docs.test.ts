import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { risingWaveWorkflow } from '../../../src/controller/risingwave.js';
import { ConditionType, Reason } from '../../../src/reactions/status/vocabulary.js';
import { describeWorkflow } from '../../../src/workflow/index.js';

const doc = readFileSync(new URL('../../../docs/status.md', import.meta.url), 'utf8');
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface ConditionWrite {
  readonly at: string;
  /** The string literals the argument can be, or undefined when its type is a plain `string`. */
  readonly types: readonly string[] | undefined;
  readonly reasons: readonly string[] | undefined;
}

/** The literal values a string-typed expression can take, as the compiler sees them (undefined: any string). */
function literals(checker: ts.TypeChecker, node: ts.Expression): string[] | undefined {
  const type = checker.getTypeAtLocation(node);
  const parts = type.isUnion() ? type.types : [type];
  const values: string[] = [];
  for (const part of parts) {
    if (!part.isStringLiteral()) return undefined;
    values.push(part.value);
  }
  return values;
}

/**
 * Every `ConditionBook#set` call in src/, read with the type checker: a type or reason passed as a
 * literal, a vocabulary member, a union-typed parameter or a variable all resolve to their literal values,
 * so a condition written anywhere is found wherever its name comes from.
 */
function conditionWrites(): ConditionWrite[] {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram({ rootNames: config.fileNames.filter((f) => f.startsWith(`${root}src/`)), options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const writes: ConditionWrite[] = [];
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(`${root}src/`)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') {
        const receiver = checker.getTypeAtLocation(node.expression.expression);
        if (receiver.getSymbol()?.getName() === 'ConditionBook') {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart());
          writes.push({
            at: `${file.fileName.slice(root.length)}:${line + 1}`,
            types: literals(checker, node.arguments[0]!),
            reasons: literals(checker, node.arguments[2]!),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return writes;
}

describe('docs/status.md', () => {
  it('documents every condition type and reason the hook writes', () => {
    for (const type of Object.values(ConditionType)) expect(doc, type).toContain(`| \`${type}\` |`);
    for (const reason of Object.values(Reason)) expect(doc, reason).toContain(`\`${reason}\``);
  });

  it('names only condition types the vocabulary has', () => {
    const rows = [...doc.matchAll(/^\| `([A-Za-z]+)` \| (?:True|False|Unknown) \|/gm)].map((m) => m[1]);
    expect(rows.length).toBeGreaterThan(0);
    expect([...new Set(rows)].filter((t) => !(Object.values(ConditionType) as string[]).includes(t!))).toEqual([]);
  });

  it('shows the current workflow tree', () => {
    expect(doc).toContain(`\`\`\`\n${describeWorkflow(risingWaveWorkflow)}\n\`\`\``);
  });
});

describe('the vocabulary', () => {
  it('has every condition type and reason src/ sets, each as a literal the compiler can see', () => {
    const writes = conditionWrites();
    // The vocabulary's own users: the lifecycle, gates, configuration, recreate, sync, service monitor, autoscaler.
    expect(writes.length).toBeGreaterThanOrEqual(15);
    const types: readonly string[] = Object.values(ConditionType);
    const reasons: readonly string[] = Object.values(Reason);
    const offences = writes.flatMap((w) => [
      ...(w.types === undefined ? [`${w.at}: condition type is a plain string`] : w.types.filter((t) => !types.includes(t)).map((t) => `${w.at}: type ${t}`)),
      ...(w.reasons === undefined ? [`${w.at}: reason is a plain string`] : w.reasons.filter((r) => !reasons.includes(r)).map((r) => `${w.at}: reason ${r}`)),
    ]);
    expect(offences).toEqual([]);
    // And nothing in the vocabulary is dead: every member is set somewhere.
    expect([...new Set(writes.flatMap((w) => w.types ?? []))].sort()).toEqual([...types].sort());
    expect([...new Set(writes.flatMap((w) => w.reasons ?? []))].sort()).toEqual([...reasons].sort());
  });
});
