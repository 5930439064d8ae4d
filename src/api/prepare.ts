import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { API_VERSION, KIND, RisingWaveSpecSchema, RisingWaveStatusSchema, type RisingWave, type RisingWaveSpec, type RisingWaveStatus } from './risingwave.js';
import { applyDefaults } from './defaults.js';
import { applyOperatorMutations } from './mutate.js';
import { validateSpec } from './validation.js';
import type { SharedValues } from '../cache/shared-values.js';
import { isRecord } from '../kube/records.js';

export interface PreparedRisingWave {
  /** A fresh copy of the parent with every CRD default applied; the input is never modified. */
  readonly rw: RisingWave;
  /** Why the spec cannot be acted on as written; empty when it is valid. Each message starts with a field path. */
  readonly problems: string[];
}

/** Schema errors past this many are summarised: one wrong field often yields a cascade. */
const MAX_SCHEMA_PROBLEMS = 20;

/**
 * Turns the parent of a sync request into a typed, defaulted RisingWave plus the hook-side validation problems.
 * Never throws: a parent that is not even an object still yields a best-effort RisingWave (with an empty spec
 * defaulted) and problems that say what is wrong, so the caller can report it in a status condition.
 *
 * The semantic rules (validation.ts) run only on a spec that matches the schema; their code relies on the
 * types. The API server guarantees that for stored objects, so in a cluster both kinds of problems are rare.
 */
export function prepareRisingWave(raw: unknown): PreparedRisingWave {
  const problems: string[] = [];
  const parent = isRecord(raw) ? (structuredClone(raw) as Record<string, unknown>) : {};
  if (!isRecord(raw)) problems.push('RisingWave: must be an object');

  let spec: Record<string, unknown>;
  if (isRecord(parent.spec)) {
    spec = parent.spec;
  } else {
    problems.push(parent.spec === undefined ? 'spec: required' : 'spec: must be an object');
    spec = {};
  }
  applyDefaults(RisingWaveSpecSchema, spec);
  // Defaults, then the operator's mutating webhook, then validation: the API server's order for the operator.
  applyOperatorMutations(spec);

  const schemaProblems = schemaErrors('spec', RisingWaveSpecSchema, spec);
  problems.push(...schemaProblems);
  if (typeof spec.image !== 'string') spec.image = '';

  if (schemaProblems.length === 0) problems.push(...validateSpec(spec as unknown as RisingWaveSpec));

  const metadata = isRecord(parent.metadata) ? parent.metadata : {};
  if (typeof metadata.name !== 'string') metadata.name = '';

  const rw = {
    ...parent,
    apiVersion: typeof parent.apiVersion === 'string' ? parent.apiVersion : API_VERSION,
    kind: typeof parent.kind === 'string' ? parent.kind : KIND,
    metadata,
    spec,
  } as Record<string, unknown>;
  // The status is the hook's own output from earlier syncs: kept when it has the expected shape, dropped
  // otherwise so nothing downstream trips over a hand-edited one.
  compiledStatus ??= TypeCompiler.Compile(RisingWaveStatusSchema);
  if (parent.status !== undefined && !compiledStatus.Check(parent.status)) delete rw.status;

  return { rw: rw as unknown as RisingWave & { status?: RisingWaveStatus }, problems };
}

/**
 * `prepareRisingWave`, shared between syncs of an unchanged parent through `parents` (src/cache/shared-values.ts):
 * Metacontroller sends the same parent (spec, metadata, the hook's own status) on every resync until
 * something changes, and defaulting plus validating it was a sixth of a typical sync. The result is
 * deep-frozen (a reaction that wrote to it would throw rather than corrupt the next sync). Callers that
 * want a copy of their own use `prepareRisingWave`.
 */
export function prepareRisingWaveShared(raw: unknown, parents: SharedValues): PreparedRisingWave {
  if (!isRecord(raw)) return prepareRisingWave(raw);
  return parents.shared(raw, versionOf(raw), prepareRisingWave);
}

/**
 * The stored version of a parent, `uid/resourceVersion`: it names a candidate only. Serialising and hashing
 * the parent was a fifth of a settled parent's sync; comparing it with the parent last seen at that version
 * is a few microseconds, and nothing is trusted without that comparison (replays and tests reuse versions).
 */
function versionOf(raw: Record<string, unknown>): string | undefined {
  const metadata = raw.metadata;
  if (!isRecord(metadata)) return undefined;
  const { uid, resourceVersion } = metadata;
  return typeof uid === 'string' && typeof resourceVersion === 'string' ? `${uid}/${resourceVersion}` : undefined;
}

// Compiled on first use: checking a RisingWave with thousands of node groups is ~10x faster than Value.Check.
let compiledSpec: TypeCheck<typeof RisingWaveSpecSchema> | undefined;
let compiledStatus: TypeCheck<typeof RisingWaveStatusSchema> | undefined;

/** Schema violations as `path: message`, JSON pointers turned into `a.b[0].c`, first message per path. */
function schemaErrors(root: string, schema: typeof RisingWaveSpecSchema, value: unknown): string[] {
  compiledSpec ??= TypeCompiler.Compile(schema);
  if (compiledSpec.Check(value)) return [];
  const byPath = new Map<string, string>();
  let total = 0;
  for (const error of compiledSpec.Errors(value)) {
    const path = root + pointerToPath(error.path);
    if (byPath.has(path)) continue;
    total++;
    if (byPath.size < MAX_SCHEMA_PROBLEMS) byPath.set(path, `${path}: ${error.message}`);
  }
  const problems = [...byPath.values()];
  if (total > problems.length) problems.push(`spec: ${total - problems.length} more schema violations not shown`);
  return problems;
}

function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}
