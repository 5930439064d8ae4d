import { hash } from 'node:crypto';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { API_VERSION, KIND, RisingWaveSpecSchema, RisingWaveStatusSchema, type RisingWave, type RisingWaveSpec, type RisingWaveStatus } from './risingwave.js';
import { applyDefaults } from './defaults.js';
import { applyOperatorMutations } from './mutate.js';
import { validateSpec } from './validation.js';
import { deepFreeze, isDeepFrozen } from '../kube/deep-freeze.js';
import { BoundedLru } from '../cache/bounded-lru.js';
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
 * `prepareRisingWave`, shared between syncs of an unchanged parent: Metacontroller sends the same parent
 * (spec, metadata, the hook's own status) on every resync until something changes, and defaulting plus
 * validating it was a sixth of a typical sync. Keyed by a SHA-256 of the parent's JSON; the result is
 * deep-frozen (a reaction that wrote to it would throw rather than corrupt the next sync). Callers that
 * want a copy of their own use `prepareRisingWave`.
 *
 * Bounded by the parents' JSON size as well as their number: 256 parents carrying a 1 MiB annotation each
 * kept 275 MiB alive (found by the fuzz suite), the body limit allows 8 MiB parents, and the hook's pod is
 * limited to 512 MiB (metacontroller/base/deployment.yaml). A parent of 100 node groups per component is
 * well under the per-parent bound.
 */
export function prepareRisingWaveShared(raw: unknown): PreparedRisingWave {
  if (!isRecord(raw)) return prepareRisingWave(raw);
  const version = versionOf(raw);
  const seenKey = version === undefined ? undefined : sharedByVersion.get(version);
  const seen = seenKey === undefined ? undefined : sharedPrepared.peek(seenKey);
  if (seen !== undefined && sameValue(raw, seen.raw)) {
    // The body parser shares an unchanged parent between syncs, frozen from its second one on: keeping
    // that object makes the next comparison an identity check instead of a walk.
    if (seen.raw !== raw && isDeepFrozen(raw)) seen.raw = raw;
    sharedPrepared.get(seenKey!); // now the most recently used
    return seen.prepared;
  }
  const json = JSON.stringify(raw);
  if (json.length > MAX_SHARED_ENTRY_CHARS) return prepareRisingWave(raw);
  // The digest names a candidate only: JSON.stringify writes -0 as 0 and a non-finite number as null, so
  // two different parents can share it. An entry is used only for the very parent it was prepared from.
  const key = hash('sha256', json, 'base64');
  const found = sharedPrepared.peek(key);
  // The parent as it came, frozen, for the comparisons above (the parent itself if the body parser already
  // froze it: the next sync of an unchanged parent then compares it by identity); counted in the cost.
  const entry =
    found !== undefined && sameValue(raw, found.raw)
      ? found
      : { prepared: deepFreeze(prepareRisingWave(raw)), raw: isDeepFrozen(raw) ? raw : deepFreeze(structuredClone(raw)) };
  sharedPrepared.set(key, entry, ENTRY_OVERHEAD_BYTES + 2 * (key.length + 2 * json.length));
  // A version longer than any the API server writes is not indexed (it would only cost memory).
  if (version !== undefined && version.length <= MAX_VERSION_CHARS) sharedByVersion.set(version, key, ENTRY_OVERHEAD_BYTES + 2 * (version.length + key.length));
  return entry.prepared;
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

/**
 * The same value as JSON.parse builds them: same keys in the same order, the same numbers (-0 is not 0;
 * a number is never null), the same strings.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    if (a.length !== bs.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], bs[i])) return false;
    return true;
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i] || !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const MAX_SHARED = 256;
/** A parent this large is prepared for its own sync only; it would push out a hundred ordinary ones. */
const MAX_SHARED_ENTRY_CHARS = 2 ** 20;
/** `uid/resourceVersion` as the API server writes them is about 50 characters. */
const MAX_VERSION_CHARS = 256;
/** Besides the strings: the map slot and the entry objects. */
const ENTRY_OVERHEAD_BYTES = 256;
interface SharedEntry {
  readonly prepared: PreparedRisingWave;
  raw: unknown;
}
/**
 * By the SHA-256 of the parent's JSON. Costed in bytes (two per character): the key, and the JSON counted
 * twice (the prepared copy and the parent as it came; the frozen objects take a few times that), 16 MiB
 * (8 Mi characters) for all shared parents together.
 */
export const SHARED_PREPARED_MAX_BYTES = 16 * 2 ** 20;
const sharedPrepared = new BoundedLru<string, SharedEntry>({ maxCost: SHARED_PREPARED_MAX_BYTES, maxEntries: MAX_SHARED });
/**
 * The key of the parent last prepared at each stored version, to find its entry without hashing (see
 * versionOf); bounded by bytes, keys included.
 */
export const SHARED_VERSIONS_MAX_BYTES = 256 * 2 ** 10;
const sharedByVersion = new BoundedLru<string, string>({ maxCost: SHARED_VERSIONS_MAX_BYTES, maxEntries: MAX_SHARED });

/** What the shared parents hold, in bytes as they are costed, for the bounds test and operators. */
export function sharedPreparedBytes(): { readonly prepared: number; readonly versions: number } {
  return { prepared: sharedPrepared.cost, versions: sharedByVersion.cost };
}

/** For tests: forget every shared parent, as a new process would start. */
export function clearSharedPrepared(): void {
  sharedPrepared.clear();
  sharedByVersion.clear();
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
