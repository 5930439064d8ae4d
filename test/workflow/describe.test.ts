import { describe, expect, it } from 'vitest';
import {
  CONTINUE,
  describeWorkflow,
  If,
  Join,
  Parallel,
  Retry,
  Sequential,
  Shared,
  Timeout,
} from '../../src/workflow/index.js';
import { leaf, type Ctx } from './helpers.js';

describe('describeWorkflow', () => {
  it('prints a leaf as its name', () => {
    expect(describeWorkflow(leaf('only', CONTINUE))).toBe('only');
  });

  it('prints the tree: composites indent children, decorator chains share a line, Shared expands once', () => {
    const l = (n: string) => leaf(n, CONTINUE);
    const sync = Shared(
      Join<Ctx>('SyncComponents', l('SyncConfigMap'), Parallel(Timeout(30000, Retry(2, l('SyncMeta')))), Parallel(l('SyncCompute'))),
    );
    const tree = Sequential<Ctx>(
      'RisingWave',
      l('ValidSpec'),
      Join(
        'Reconcile',
        Sequential('Initializing', l('BarrierInitializing'), sync, l('MarkInitialized')),
        Sequential('Upgrading', l('BarrierUpgrading'), sync),
        If(true, l('SyncServiceMonitor')),
        If(false, l('NeverShown')),
        Sequential('Empty'),
      ),
    );
    expect(describeWorkflow(tree)).toBe(
      [
        'Sequential(RisingWave)',
        '  ValidSpec',
        '  Join(Reconcile)',
        '    Sequential(Initializing)',
        '      BarrierInitializing',
        '      Shared > Join(SyncComponents)',
        '        SyncConfigMap',
        '        Parallel > Timeout(30000ms) > Retry(2) > SyncMeta',
        '        Parallel > SyncCompute',
        '      MarkInitialized',
        '    Sequential(Upgrading)',
        '      BarrierUpgrading',
        '      Shared > Join(SyncComponents)  (shared, see above)',
        '    SyncServiceMonitor',
        '    Nop',
        '    Sequential(Empty)',
      ].join('\n'),
    );
  });

  it('prints a decorator on a composite on the composite’s line', () => {
    const tree = Timeout(500, Sequential<Ctx>('S', leaf('a', CONTINUE)));
    expect(describeWorkflow(tree)).toBe('Timeout(500ms) > Sequential(S)\n  a');
  });
});
