/**
 * docs/status.md's ServiceMonitor row against what the hook sets: every (status, reason) the sync produces
 * for the ServiceMonitor condition, over the cases that decide it (asked for or not, child type registered
 * or not), is the row's, and the row names nothing the code never sets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDetailed } from '../../src/cli/render.js';
import { loadExample } from '../support/render.js';

function docRow(type: string): { statuses: string[]; reasons: string[] } {
  const doc = readFileSync(new URL('../../docs/status.md', import.meta.url), 'utf8');
  const rows = doc.split('\n').filter((l) => l.startsWith(`| \`${type}\` |`));
  expect(rows, `${type} rows in docs/status.md`).toHaveLength(1);
  const [, , status, reason] = rows[0]!.split('|').map((c) => c.trim());
  const list = (cell: string) => cell.split('/').map((s) => s.trim().replace(/`/g, '')).sort();
  return { statuses: list(status!), reasons: list(reason!) };
}

describe('docs/status.md ServiceMonitor row', () => {
  it('lists exactly the statuses and reasons the sync sets', async () => {
    const seen = new Set<string>();
    const statuses = new Set<string>();
    const reasons = new Set<string>();
    for (const enabled of [true, false]) {
      for (const registered of [true, false]) {
        const rw = loadExample('state-store-memory') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        rw.spec.enableDefaultServiceMonitor = enabled;
        const result = await renderDetailed(rw, { serviceMonitor: registered });
        const c = ((result.status.conditions ?? []) as Array<Record<string, string>>).find((x) => x.type === 'ServiceMonitor');
        seen.add(`${enabled}/${registered}: ${c ? `${c.status}/${c.reason}` : 'absent'}`);
        if (c) {
          statuses.add(c.status!);
          reasons.add(c.reason!);
        }
        expect(result.children.some((o) => o.kind === 'ServiceMonitor'), `${enabled}/${registered}`).toBe(enabled && registered);
      }
    }
    expect([...seen].sort()).toEqual(['false/false: absent', 'false/true: absent', 'true/false: False/CRDNotRegistered', 'true/true: absent']);
    expect(docRow('ServiceMonitor')).toEqual({ statuses: [...statuses].sort(), reasons: [...reasons].sort() });
  });
});
