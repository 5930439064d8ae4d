/**
 * Every condition type and reason the hook writes, and nothing else: docs/status.md has the same table in
 * prose, and test/reactions/status/docs.test.ts keeps the two in step and fails on any `conditions.set`
 * in src/ whose type or reason is not one of these.
 */
export const ConditionType = {
  /** A RisingWave that has never been Running: the first rollout is under way. Removed once Running. */
  Initializing: 'Initializing',
  /** Every required child exists, is built from the current spec and is rolled out (set at that moment). */
  Running: 'Running',
  /** A spec change reached a Running RisingWave and is being rolled out. */
  Upgrading: 'Upgrading',
  /** Whether the spec can be acted on. */
  Valid: 'Valid',
  /** Whether the hook decided about every child in this sync (see src/controller/sync.ts). */
  Synced: 'Synced',
  /** A StatefulSet is deleted in this sync to be created again with changed immutable fields. */
  Recreating: 'Recreating',
  /** Whether the ConfigMaps/Secrets the spec names for risingwave.toml exist. */
  ConfigurationFound: 'ConfigurationFound',
  /** Present only while a wanted ServiceMonitor cannot be created (src/reactions/service-monitor.ts). */
  ServiceMonitor: 'ServiceMonitor',
  /** Present only while node groups ask for autoscaling that cannot be done (src/reactions/autoscaler.ts). */
  Autoscaling: 'Autoscaling',
} as const;

export const Reason = {
  // Initializing / Upgrading = True, Running = False while waiting
  RollingOut: 'RollingOut',
  RolloutStuck: 'RolloutStuck',
  ChildrenMissing: 'ChildrenMissing',
  // Running = True
  AllComponentsReady: 'AllComponentsReady',
  // Upgrading = False
  RolledOut: 'RolledOut',
  // Valid
  SpecValid: 'SpecValid',
  InvalidSpec: 'InvalidSpec',
  // Synced (Paused and InvalidSpec set by the gates; the others by src/controller/sync.ts)
  Reconciled: 'Reconciled',
  ReactionFailed: 'ReactionFailed',
  Paused: 'Paused',
  // Recreating = True
  ImmutableFieldChanged: 'ImmutableFieldChanged',
  // ConfigurationFound
  ConfigurationPresent: 'ConfigurationPresent',
  ConfigurationMissing: 'ConfigurationMissing',
  NotObserved: 'NotObserved',
  // ServiceMonitor = False
  CRDNotRegistered: 'CRDNotRegistered',
  // Autoscaling = False
  NotRegistered: 'NotRegistered',
} as const;

export type ConditionTypeName = (typeof ConditionType)[keyof typeof ConditionType];
export type ReasonName = (typeof Reason)[keyof typeof Reason];

/** The annotation that stops the hook from changing anything (reference §3.2). */
export const PAUSE_ANNOTATION = 'risingwave.risingwavelabs.com/pause-reconcile';

/** Longest list a condition message spells out; the rest is counted. Keeps messages short and stable. */
export const MAX_LISTED = 10;

/** `a, b, c and 4 more`: a sorted, capped list for a message. */
export function listForMessage(items: readonly string[]): string {
  const sorted = [...new Set(items)].sort();
  const shown = sorted.slice(0, MAX_LISTED).join(', ');
  return sorted.length > MAX_LISTED ? `${shown} and ${sorted.length - MAX_LISTED} more` : shown;
}
