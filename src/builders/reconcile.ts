import type { KubeObject } from '../kube/kube-object.js';
import type { ObservedIndex } from '../kube/observed.js';
import { LABEL_COMPONENT, LABEL_GROUP, LABEL_NAME } from './labels.js';
import type { WorkloadComponent } from './names.js';
import { WORKLOAD_KEY_BY_KIND } from '../kube/child-keys.js';

/**
 * Group reconciliation (reference §4.1), as a pure decision: which observed workloads of a component
 * must go. The hook puts every expected workload anyway, so the only decision left is removal, and it is
 * made per object with a reason a human can read in logs.
 */



export interface Removal {
  readonly obj: KubeObject;
  readonly reason: string;
}

export interface ExpectedWorkloads {
  /** Names of the workloads that should exist, by kind; an empty map means the component has none. */
  readonly StatefulSet: ReadonlySet<string>;
  readonly Deployment: ReadonlySet<string>;
  /** Why nothing of a kind is expected (standalone mode, the frontend's other form), for removal reasons. */
  readonly whyNone?: Partial<Record<'StatefulSet' | 'Deployment', string>>;
}

/**
 * Every observed workload of this RisingWave's component (selected by `risingwave/name` and
 * `risingwave/component`) that is not expected under its kind.
 */
export function workloadRemovals(
  observed: ObservedIndex,
  rwName: string,
  component: WorkloadComponent,
  expected: ExpectedWorkloads,
): Removal[] {
  const out: Removal[] = [];
  for (const kind of ['StatefulSet', 'Deployment'] as const) {
    const keep = expected[kind];
    for (const obj of observed.select(WORKLOAD_KEY_BY_KIND[kind], { [LABEL_NAME]: rwName, [LABEL_COMPONENT]: component })) {
      if (keep.has(obj.metadata.name)) continue;
      const group = obj.metadata.labels?.[LABEL_GROUP];
      const reason =
        keep.size === 0 && expected.whyNone?.[kind]
          ? expected.whyNone[kind]!
          : group === undefined
            ? `${component} ${kind} ${obj.metadata.name} belongs to no node group in the spec`
            : `${component} node group "${group}" is no longer in the spec`;
      out.push({ obj, reason });
    }
  }
  return out;
}
