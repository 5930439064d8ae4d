import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../src/cli/io.js';
import type { RwObject } from '../../src/plugin/kubectl.js';
import { planRestart } from '../../src/plugin/restart.js';
import { planScale } from '../../src/plugin/scale.js';
import { planUpgrade } from '../../src/plugin/upgrade.js';
import { applyJsonPatch, storedRisingWave } from './helpers.js';

const AT = '2026-01-01T12:00:00Z';
const groupsOf = (rw: RwObject, c: string): RwObject[] => rw.spec.components[c].nodeGroups;

describe('scale', () => {
  it('sets the named group and nothing else, pinned to the group name', () => {
    const rw = storedRisingWave();
    const plan = planScale(rw, 'compute', 'analytics', 7);
    expect(plan.ops).toEqual([
      { op: 'test', path: '/spec/components/compute/nodeGroups/1/name', value: 'analytics' },
      { op: 'add', path: '/spec/components/compute/nodeGroups/1/replicas', value: 7 },
    ]);
    expect(plan).toMatchObject({ target: 'compute/analytics', from: 3, to: 7, notes: [] });
    const after = applyJsonPatch(rw, plan.ops);
    const want = structuredClone(rw);
    want.spec.components.compute.nodeGroups[1].replicas = 7;
    expect(after).toEqual(want);
  });

  it('without --group: the default group "", else the only group', () => {
    expect(planScale(storedRisingWave(), 'compute', undefined, 4)).toMatchObject({ target: 'compute', from: 2 });
    expect(planScale(storedRisingWave(), 'compactor', undefined, 4)).toMatchObject({ target: 'compactor/iceberg', from: 1 });
  });

  it('several groups and no default: an error listing them', () => {
    const rw = storedRisingWave();
    rw.spec.components.compute.nodeGroups.shift();
    expect(() => planScale(rw, 'compute', undefined, 4)).toThrow('compute has several groups and none is the default "", choose one with --group (groups: "analytics", "serving")');
  });

  it('an unknown group or a component without groups is an error naming what exists', () => {
    const rw = storedRisingWave();
    expect(() => planScale(rw, 'compute', 'nope', 1)).toThrow('compute has no group "nope" (groups: "", "analytics", "serving")');
    delete rw.spec.components.frontend;
    expect(() => planScale(rw, 'frontend', undefined, 1)).toThrow('frontend has no node groups in RisingWave "rw"');
  });

  it('a group without replicas counts as 0 and gets the field added', () => {
    const rw = storedRisingWave();
    delete rw.spec.components.meta.nodeGroups[0].replicas;
    const plan = planScale(rw, 'meta', undefined, 1);
    expect(plan.from).toBe(0);
    expect(applyJsonPatch(rw, plan.ops).spec.components.meta.nodeGroups[0]).toEqual({ name: '', replicas: 1 });
  });

  it('standalone: spec.components.standalone.replicas (0 or 1), created when absent and pinned to the resourceVersion then', () => {
    const rw = storedRisingWave({ spec: { enableStandaloneMode: true } });
    const plan = planScale(rw, 'standalone', undefined, 0);
    expect(plan).toMatchObject({ target: 'standalone', from: 1, to: 0, notes: [] });
    expect(plan.ops).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '100' },
      { op: 'add', path: '/spec/components/standalone', value: { replicas: 0 } },
    ]);
    expect(applyJsonPatch(rw, plan.ops).spec.components.standalone).toEqual({ replicas: 0 });

    rw.spec.components.standalone = { replicas: 0, logLevel: 'DEBUG' };
    const again = planScale(rw, 'standalone', undefined, 1);
    expect(again.ops).toEqual([{ op: 'add', path: '/spec/components/standalone/replicas', value: 1 }]);
    expect(applyJsonPatch(rw, again.ops).spec.components.standalone).toEqual({ replicas: 1, logLevel: 'DEBUG' });

    delete rw.spec.components;
    expect(applyJsonPatch(rw, planScale(rw, 'standalone', undefined, 1).ops).spec.components).toEqual({ standalone: { replicas: 1 } });
    expect(() => planScale(rw, 'standalone', undefined, 2)).toThrow('standalone runs 0 or 1 replica');
    expect(() => planScale(rw, 'standalone', '', 1)).toThrow('standalone has no node groups');
  });

  it('notes when the scaled part is not used in the current mode', () => {
    expect(planScale(storedRisingWave({ spec: { enableStandaloneMode: true } }), 'compute', undefined, 1).notes[0]).toMatch(/standalone mode is on/);
    expect(planScale(storedRisingWave(), 'standalone', undefined, 1).notes[0]).toMatch(/standalone mode is off/);
    const rw = storedRisingWave();
    rw.spec.components.compute.nodeGroups[2].autoscaling = { minReplicas: 1, maxReplicas: 4 };
    expect(planScale(rw, 'compute', 'serving', 3).notes).toEqual([
      'compute/serving is autoscaled: its HorizontalPodAutoscaler owns the replica count, so replicas has no effect until autoscaling is removed',
    ]);
  });

  it('property: applied to the list it was planned on, exactly the chosen group changes; on a reordered list it changes the same group or is refused', () => {
    const names = fc.uniqueArray(fc.constantFrom('', 'a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(names, fc.nat(), fc.nat({ max: 1000 }), fc.func(fc.integer()), (groupNames, pick, replicas, order) => {
        const rw = storedRisingWave();
        rw.spec.components.compute.nodeGroups = groupNames.map((name, i) => ({ name, replicas: i }));
        const chosen = groupNames[pick % groupNames.length]!;
        const plan = planScale(rw, 'compute', chosen, replicas);

        const after = applyJsonPatch(rw, plan.ops);
        for (const g of groupsOf(after, 'compute')) {
          expect(g.replicas).toBe(g.name === chosen ? replicas : groupNames.indexOf(g.name));
        }

        // A concurrent writer reordered the groups between our read and our patch.
        const moved = structuredClone(rw);
        moved.spec.components.compute.nodeGroups = [...groupsOf(rw, 'compute')].sort((x, y) => order(x.name) - order(y.name) || x.name.localeCompare(y.name));
        let patched: RwObject | undefined;
        try {
          patched = applyJsonPatch(moved, plan.ops);
        } catch {
          return; // refused: nothing written
        }
        for (const g of groupsOf(patched, 'compute')) {
          expect(g.replicas).toBe(g.name === chosen ? replicas : groupNames.indexOf(g.name));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('restart', () => {
  it('no --component: restartAt on every group of every component, each pinned to its name', () => {
    const rw = storedRisingWave();
    const plan = planRestart(rw, undefined, undefined, AT);
    expect(plan.targets).toEqual(['meta', 'frontend', 'compute', 'compute/analytics', 'compute/serving', 'compactor/iceberg']);
    expect(plan.ops.filter((o) => o.op === 'test')).toHaveLength(6);
    const after = applyJsonPatch(rw, plan.ops);
    for (const c of ['meta', 'frontend', 'compute', 'compactor']) for (const g of groupsOf(after, c)) expect(g.restartAt).toBe(AT);
    // Nothing but restartAt changed.
    for (const c of ['meta', 'frontend', 'compute', 'compactor']) for (const g of groupsOf(after, c)) delete g.restartAt;
    expect(after).toEqual(rw);
  });

  it('--component: all its groups; --group: that one only', () => {
    const rw = storedRisingWave();
    expect(planRestart(rw, 'compute', undefined, AT).targets).toEqual(['compute', 'compute/analytics', 'compute/serving']);
    const one = planRestart(rw, 'compute', 'serving', AT);
    expect(one.ops).toEqual([
      { op: 'test', path: '/spec/components/compute/nodeGroups/2/name', value: 'serving' },
      { op: 'add', path: '/spec/components/compute/nodeGroups/2/restartAt', value: AT },
    ]);
    expect(() => planRestart(rw, 'compute', 'nope', AT)).toThrow(CliError);
    expect(() => planRestart(rw, undefined, 'serving', AT)).toThrow(UsageError);
  });

  it('standalone mode without --component restarts the standalone pod; standalone takes no group', () => {
    const rw = storedRisingWave({ spec: { enableStandaloneMode: true } });
    rw.spec.components.standalone = { replicas: 1 };
    expect(planRestart(rw, undefined, undefined, AT)).toEqual({ ops: [{ op: 'add', path: '/spec/components/standalone/restartAt', value: AT }], targets: ['standalone'] });
    expect(() => planRestart(rw, 'standalone', 'x', AT)).toThrow('standalone has no node groups');
  });

  it('nothing to restart is an error', () => {
    const rw = storedRisingWave();
    rw.spec.components = {};
    expect(() => planRestart(rw, undefined, undefined, AT)).toThrow('RisingWave "rw" has no node groups to restart');
  });
});

describe('upgrade', () => {
  it('replaces spec.image, pinned to the image read, and lists groups that keep their own image', () => {
    const rw = storedRisingWave();
    const plan = planUpgrade(rw, 'risingwavelabs/risingwave:v2.5.0');
    expect(plan).toEqual({
      ops: [
        { op: 'test', path: '/spec/image', value: 'risingwavelabs/risingwave:v2.4.2' },
        { op: 'replace', path: '/spec/image', value: 'risingwavelabs/risingwave:v2.5.0' },
      ],
      from: 'risingwavelabs/risingwave:v2.4.2',
      to: 'risingwavelabs/risingwave:v2.5.0',
      pinned: ['compute/analytics (custom/rw:pinned)'],
    });
    expect(applyJsonPatch(rw, plan.ops).spec.image).toBe('risingwavelabs/risingwave:v2.5.0');
    const raced = structuredClone(rw);
    raced.spec.image = 'someone/else:v9';
    expect(() => applyJsonPatch(raced, plan.ops)).toThrow();
  });
});
