/**
 * The changes the switch makes to each child, as JSON patches pinned to the object they were planned
 * from (its uid, and its resourceVersion where a list is rewritten). Planned from the object as it is now,
 * so a rerun after an interruption plans only what is left, and a finished child plans nothing.
 */
import type { JsonPatchOp, RwObject } from '../kubectl.js';

/** Metacontroller's selector label under `generateSelector: true`. */
export const CONTROLLER_UID_LABEL = 'controller-uid';
export const LAST_APPLIED_ANNOTATION = 'metacontroller.k8s.io/last-applied-configuration';
/** The field manager of the operator's writes: controller-runtime names it after the binary, `manager`. */
export const DEFAULT_OPERATOR_MANAGERS = ['manager'] as const;


/** JSON pointer escaping of one segment (`/` and `~` in label keys). */
export function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export interface ChildSteps {
  readonly kind: string;
  readonly name: string;
  /** The patch adding the selector label; undefined when the child has it. */
  readonly labelPatch: JsonPatchOp[] | undefined;
  /** Managers whose managedFields entries go (the patch is planned after the label patch, see managedFieldsPatch). */
  readonly droppedManagers: string[];
  /** Set when the child carries another parent's selector label: the switch refuses. */
  readonly conflict?: string;
}

function labels(o: RwObject): Record<string, string> {
  return (o.metadata?.labels ?? {}) as Record<string, string>;
}

/** Forward: label the child for Metacontroller's selector, then drop the operator's managedFields entries. */
export function planAdoption(child: RwObject, uid: string, operatorManagers: readonly string[]): ChildSteps {
  const kind = child.kind as string;
  const name = child.metadata.name as string;
  const current = labels(child)[CONTROLLER_UID_LABEL];
  const droppedManagers = [...new Set(((child.metadata.managedFields ?? []) as RwObject[]).map((e) => String(e.manager)).filter((m) => operatorManagers.includes(m)))];
  if (current !== undefined && current !== uid) {
    return { kind, name, labelPatch: undefined, droppedManagers, conflict: `${kind} ${name} carries ${CONTROLLER_UID_LABEL}=${current}, another parent's selector` };
  }
  const pinUid: JsonPatchOp = { op: 'test', path: '/metadata/uid', value: child.metadata.uid };
  const labelPatch: JsonPatchOp[] | undefined =
    current !== undefined
      ? undefined
      : child.metadata.labels === undefined
        ? [pinUid, { op: 'add', path: '/metadata/labels', value: { [CONTROLLER_UID_LABEL]: uid } }]
        : [pinUid, { op: 'add', path: `/metadata/labels/${pointer(CONTROLLER_UID_LABEL)}`, value: uid }];
  return { kind, name, labelPatch, droppedManagers };
}

/**
 * The patch dropping the operator's managedFields entries, planned from the object as it is (after the
 * label patch, whose own entry is then kept), pinned to its resourceVersion so a concurrent write is not
 * overwritten. `[{}]` is the API server's way to clear the list; an empty list would leave it unchanged.
 */
export function managedFieldsPatch(child: RwObject, operatorManagers: readonly string[]): JsonPatchOp[] | undefined {
  const entries = (child.metadata.managedFields ?? []) as RwObject[];
  const keep = entries.filter((e) => !operatorManagers.includes(String(e.manager)));
  if (keep.length === entries.length) return undefined;
  return [
    { op: 'test', path: '/metadata/uid', value: child.metadata.uid },
    { op: 'test', path: '/metadata/resourceVersion', value: child.metadata.resourceVersion },
    { op: 'replace', path: '/metadata/managedFields', value: keep.length > 0 ? keep : [{}] },
  ];
}

export interface RollbackSteps {
  readonly kind: string;
  readonly name: string;
  readonly patch: JsonPatchOp[] | undefined;
  readonly unlabel: boolean;
  readonly dropLastApplied: boolean;
}

/** Rollback: the selector label (only ours) and Metacontroller's last-applied annotation go; nothing else changes. */
export function planRollback(child: RwObject, uid: string): RollbackSteps {
  const kind = child.kind as string;
  const name = child.metadata.name as string;
  const unlabel = labels(child)[CONTROLLER_UID_LABEL] === uid;
  const dropLastApplied = child.metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined;
  if (!unlabel && !dropLastApplied) return { kind, name, patch: undefined, unlabel, dropLastApplied };
  const ops: JsonPatchOp[] = [{ op: 'test', path: '/metadata/uid', value: child.metadata.uid }];
  if (unlabel) {
    const path = `/metadata/labels/${pointer(CONTROLLER_UID_LABEL)}`;
    ops.push({ op: 'test', path, value: uid }, { op: 'remove', path });
  }
  if (dropLastApplied) ops.push({ op: 'remove', path: `/metadata/annotations/${pointer(LAST_APPLIED_ANNOTATION)}` });
  return { kind, name, patch: ops, unlabel, dropLastApplied };
}
