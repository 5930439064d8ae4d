import type { Reaction } from './reaction.js';

/**
 * An indented text tree of a workflow, for docs and review. A chain of decorators is printed on one
 * line in front of what it wraps (`Parallel > Timeout(1000ms) > sync-meta`); composites list their
 * children two spaces deeper. A Shared sub-workflow reached a second time is not expanded again but
 * marked, because it will not run again either.
 */
export function describeWorkflow<C>(root: Reaction<C>): string {
  const lines: string[] = [];
  const expanded = new Set<Reaction<C>>();
  const walk = (node: Reaction<C>, depth: number): void => {
    const chain: string[] = [];
    let n = node;
    let repeat = false;
    while (n.decorator !== undefined && n.children?.length === 1) {
      chain.push(n.decorator);
      if (n.decorator === 'Shared') {
        if (expanded.has(n)) repeat = true;
        expanded.add(n);
      }
      n = n.children[0]!;
    }
    chain.push(n.reactionName);
    const indent = '  '.repeat(depth);
    lines.push(`${indent}${chain.join(' > ')}${repeat ? '  (shared, see above)' : ''}`);
    if (repeat) return;
    for (const child of n.children ?? []) walk(child, depth + 1);
  };
  walk(root, 0);
  return lines.join('\n');
}
