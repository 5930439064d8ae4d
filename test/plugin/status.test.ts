import { describe, expect, it } from 'vitest';
import { autoscalingText, formatTable, humanDuration, renderList, renderStatus } from '../../src/plugin/status.js';
import { NOW, storedRisingWave } from './helpers.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [5 * M + 30 * S, '5m30s'],
    [10 * M + 59 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 10 * D, '3y10d'],
    [9 * 365 * D, '9y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('formatTable', () => {
  it('pads every column but the last to its widest cell plus three spaces', () => {
    expect(formatTable(['A', 'LONGER', 'C'], [['aaaa', 'b', 'the last column is not padded'], ['x', '', '']])).toBe(
      'A      LONGER   C\n' + 'aaaa   b        the last column is not padded\n' + 'x\n',
    );
  });
});

describe('renderStatus', () => {
  it('summary, one row per group with ready/target, and the conditions with reasons and ages', () => {
    expect(renderStatus(storedRisingWave(), NOW)).toBe(
      [
        'Name:        rw',
        'Namespace:   prod',
        'Image:       risingwavelabs/risingwave:v2.4.2',
        'Version:     v2.4.2',
        'Meta store:  Memory',
        'State store: Memory',
        'Generation:  3 (observed 3)',
        'Age:         3h',
        '',
        'COMPONENT   GROUP       READY/TARGET',
        'meta        (default)   1/1',
        'frontend    (default)   2/2',
        'compute     (default)   2/2',
        'compute     analytics   2/3',
        'compute     serving     0/1 (no workload)',
        'compactor   iceberg     1/1',
        '',
        'Conditions:',
        'TYPE      STATUS   REASON               AGE   MESSAGE',
        'Running   True     AllComponentsReady   45s   every component is ready',
        'Synced    True     Reconciled           3h    every reaction decided',
        '',
      ].join('\n'),
    );
  });

  it('an AUTOSCALING column appears when a group reports autoscaling', () => {
    const rw = storedRisingWave();
    rw.status.componentReplicas.compute.groups[1].autoscaling = { minReplicas: 2, maxReplicas: 8, currentReplicas: 3, desiredReplicas: 4 };
    const out = renderStatus(rw, NOW);
    expect(out).toContain('COMPONENT   GROUP       READY/TARGET        AUTOSCALING\n');
    expect(out).toContain('compute     analytics   2/3                 min=2 max=8 current=3 desired=4\n');
    expect(out).toContain('compute     serving     0/1 (no workload)   -\n');
    expect(renderStatus(storedRisingWave(), NOW)).not.toContain('AUTOSCALING');
  });

  it('says what is missing: not synced yet, behind the spec, paused, standalone', () => {
    const fresh = storedRisingWave();
    fresh.status = {};
    fresh.metadata.annotations = { 'risingwave.risingwavelabs.com/pause-reconcile': 'true' };
    fresh.spec.enableStandaloneMode = true;
    fresh.metadata.generation = 4;
    const out = renderStatus(fresh, NOW);
    expect(out).toContain('Version:     -\n');
    expect(out).toContain('Mode:        standalone\n');
    expect(out).toContain('Generation:  4 (observed -)\n');
    expect(out).toContain('Paused:      yes (risingwave.risingwavelabs.com/pause-reconcile)\n');
    expect(out).toContain('No replica status yet (the hook has not synced this RisingWave).\n\nConditions:\nnone\n');

    const behind = storedRisingWave();
    behind.metadata.generation = 5;
    expect(renderStatus(behind, NOW)).toContain('Generation:  5 (observed 3, the latest spec is not synced yet)\n');
  });

  it('multi-line messages stay on one row', () => {
    const rw = storedRisingWave();
    rw.status.conditions[0].message = 'line one\n  line two';
    expect(renderStatus(rw, NOW)).toContain('45s   line one line two\n');
  });
});

describe('renderList', () => {
  it('NAME RUNNING VERSION AGE, with NAMESPACE for all namespaces', () => {
    const other = storedRisingWave();
    other.metadata = { name: 'new-one', namespace: 'dev', creationTimestamp: '2026-01-01T11:59:50Z' };
    other.status = {};
    expect(renderList([storedRisingWave(), other], NOW, false)).toBe('NAME      RUNNING   VERSION   AGE\nrw        True      v2.4.2    3h\nnew-one   -         -         10s\n');
    expect(renderList([storedRisingWave()], NOW, true)).toBe('NAMESPACE   NAME   RUNNING   VERSION   AGE\nprod        rw     True      v2.4.2    3h\n');
  });
});

describe('autoscalingText', () => {
  it('shows scalars with short names and leaves nested values out', () => {
    expect(autoscalingText({ minReplicas: 1, maxReplicas: 3, extra: 'x', nested: { a: 1 } })).toBe('min=1 max=3 extra=x');
    // Stored objects come with sorted keys; the known ones still read min, max, current, desired.
    expect(autoscalingText({ currentReplicas: 2, desiredReplicas: 3, maxReplicas: 5, minReplicas: 2, zeta: true, alpha: 1 })).toBe('min=2 max=5 current=2 desired=3 alpha=1 zeta=true');
    expect(autoscalingText(undefined)).toBe('-');
    expect(autoscalingText({})).toBe('-');
  });
});
