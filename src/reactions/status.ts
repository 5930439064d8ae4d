/**
 * What the status reports, in reactions the workflow tree (src/controller/risingwave.ts) places like the
 * Go operator's diagram. The pure computations live in src/status/.
 */
export { syncInternalStatus, syncRunningStatus } from './status/collect.js';
export { syncConfigurationStatus } from './status/configuration.js';
export { recreateOnImmutableFieldChange } from './status/recreate.js';
export * from './status/lifecycle.js';
export { readinessOf } from './status/facts.js';
