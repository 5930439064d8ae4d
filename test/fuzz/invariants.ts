/**
 * What every answer of the hook must satisfy, whatever it was sent (issue #8): never a 5xx; a 400 says why;
 * a 413 for a body past the limit; a 200 is a response Metacontroller's strict decoder accepts and in which
 * no observed child was lost (the same oracle as the nothing-lost property); and nothing ever reaches the
 * prototypes of the process.
 */
import { expect } from 'vitest';
import { prepareRisingWave } from '../../src/api/prepare.js';
import { SYNC_RESPONSE_KEYS } from '../../src/server/response.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { PAUSE_ANNOTATION } from '../../src/reactions/status/vocabulary.js';
import { mayRemove } from '../properties/may-remove.js';

/** Number of cases per family; FUZZ_RUNS scales every family (the `fuzz` npm script sets a large value). */
export function runs(share: number): number {
  const total = Number(process.env.FUZZ_RUNS ?? 0);
  return total > 0 ? Math.max(1, Math.round(total * share)) : Math.round(DEFAULT_TOTAL * share);
}
const DEFAULT_TOTAL = 4000;

/** fast-check parameters: FUZZ_SEED replays a run (fast-check prints the seed and path of a failure). */
export function fcParams(numRuns: number): { numRuns: number; seed?: number; endOnFailure: boolean } {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  // Shrinking a 10k-deep or 1 MB case can take minutes; the case label already says what it was.
  return { numRuns, ...(seed === undefined ? {} : { seed }), endOnFailure: true };
}

/** Test timeout for `n` cases: a long run (npm run fuzz) must not be cut short by the default one. */
export function budget(n: number): number {
  return 120_000 + n * 400;
}

// ---------------------------------------------------------------------------------------------------------
// Prototype pollution.

const PROTOTYPES: [string, object][] = [
  ['Object', Object.prototype],
  ['Array', Array.prototype],
  ['Function', Function.prototype],
  ['String', String.prototype],
  ['Number', Number.prototype],
  ['Boolean', Boolean.prototype],
];

export type ProtoSnapshot = Map<string, unknown>;

/** Every own property (and its value) of the built-in prototypes. */
export function protoSnapshot(): ProtoSnapshot {
  const snap = new Map<string, unknown>();
  for (const [name, proto] of PROTOTYPES) {
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      snap.set(`${name}.${String(key)}`, d.value ?? d.get);
    }
  }
  return snap;
}

export function expectNoPollution(before: ProtoSnapshot, label: string): void {
  const after = protoSnapshot();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k) || before.has(k) !== after.has(k));
  expect(changed, `prototypes changed by ${label}`).toEqual([]);
  const probe: Record<string, unknown> = {};
  expect([probe.polluted, probe.isAdmin, ([] as unknown as Record<string, unknown>).polluted], label).toEqual([undefined, undefined, undefined]);
  expect(Object.keys(Object.prototype), label).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------------
// Answers.

export interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly contentType?: string | undefined;
}

/** What the fuzz saw, for the coverage figures printed at the end of each run. */
export type Tally = Record<string, number>;

export function count(t: Tally, key: string): void {
  t[key] = (t[key] ?? 0) + 1;
}

/** Checks the status code and the error body; returns the parsed body of a 200. */
export function expectWellFormed(a: Answer, label: string, allowed: readonly number[] = [200, 400, 413]): unknown {
  const where = `${short(label, 400)} → ${a.statusCode} ${short(a.body, 300)}`;
  expect(a.statusCode, where).toBeLessThan(500);
  expect(allowed, where).toContain(a.statusCode);
  const parsed = JSON.parse(a.body) as Record<string, unknown>;
  if (a.statusCode !== 200) {
    expect(typeof parsed.error, where).toBe('string');
    expect(typeof parsed.message, where).toBe('string');
    expect((parsed.message as string).length, where).toBeGreaterThan(0);
  }
  return parsed;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** Observed children as the hook indexes them: objects with a non-empty `metadata.name`. */
export function observedChildren(request: Record<string, any>): KubeObject[] {
  const out: KubeObject[] = [];
  for (const byName of Object.values(request.children ?? {})) {
    for (const obj of Object.values(byName as Record<string, any>)) {
      if (obj && typeof obj.metadata?.name === 'string' && obj.metadata.name !== '') out.push(obj as KubeObject);
    }
  }
  return out;
}

export const idOf = (o: { apiVersion: string; kind: string; metadata: { name: string } }) => `${o.kind}.${o.apiVersion}/${o.metadata.name}`;

/** Ids and labels in failure messages, cut short: a case may carry 1 MB names. */
export const short = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

export interface SyncVerdict {
  readonly conditions: Condition[];
  /** Observed children left out, each allowed by the oracle. */
  readonly dropped: number;
  readonly failed: Condition | undefined;
}

/**
 * A 200 /sync answer: the strict decoder's keys, a child list in which every child has what Metacontroller
 * requires, no child twice, and every observed child kept unless the spec is valid, not paused, not
 * finalizing, and the oracle says the hook may remove it.
 */
export function expectNothingLost(request: Record<string, any>, response: Record<string, any>, label: string): SyncVerdict {
  const where = (s: string) => short(`${label}: ${short(s)}`, 600);
  for (const k of Object.keys(response)) expect(SYNC_RESPONSE_KEYS as readonly string[], where('top-level key')).toContain(k);
  expect(response.status !== null && typeof response.status === 'object' && !Array.isArray(response.status), where('status is an object')).toBe(true);
  expect(Array.isArray(response.children), where('children is a list')).toBe(true);
  const returned = new Set<string>();
  for (const c of response.children as KubeObject[]) {
    expect(typeof c.apiVersion === 'string' && typeof c.kind === 'string' && c.kind !== '' && typeof c.metadata?.name === 'string', where(`child ${JSON.stringify(c).slice(0, 200)}`)).toBe(true);
    const id = idOf(c);
    expect(returned.has(id), where(`${id} twice`)).toBe(false);
    returned.add(id);
  }
  if (response.resyncAfterSeconds !== undefined) expect(response.resyncAfterSeconds, where('resyncAfterSeconds')).toBeGreaterThan(0);

  const conditions = (Array.isArray(response.status.conditions) ? response.status.conditions : []) as Condition[];
  const invalid = conditions.some((c) => c.type === 'Valid' && c.status === 'False');
  const parent = request.parent;
  const paused = Object.hasOwn(parent.metadata?.annotations ?? {}, PAUSE_ANNOTATION);
  const finalizing = request.finalizing === true;
  const recreating = conditions.find((c) => c.type === 'Recreating')?.message ?? '';
  // The oracle reads the spec as the hook acts on it: with the CRD defaults applied.
  const spec = invalid || paused || finalizing ? {} : (prepareRisingWave(parent).rw.spec as Record<string, any>);
  let dropped = 0;
  for (const obj of observedChildren(request)) {
    const id = idOf(obj);
    if (returned.has(id)) continue;
    dropped++;
    const allowed = !invalid && !paused && !finalizing && mayRemove(spec, obj, recreating, parent.metadata.name);
    expect(allowed, where(`${id} was dropped (invalid=${invalid}, paused=${paused}, finalizing=${finalizing})`)).toBe(true);
  }
  const failed = conditions.find((c) => c.type === 'Synced' && c.reason === 'ReactionFailed');
  return { conditions, dropped, failed };
}

/** A 200 /customize answer: `{relatedResources: [...]}`, each rule naming what to watch. */
export function expectCustomizeShape(response: Record<string, any>, label: string): void {
  expect(Object.keys(response), label).toEqual(['relatedResources']);
  expect(Array.isArray(response.relatedResources), label).toBe(true);
  for (const rule of response.relatedResources as Record<string, unknown>[]) {
    expect(typeof rule.apiVersion === 'string' && typeof rule.resource === 'string', `${label}: rule ${JSON.stringify(rule)}`).toBe(true);
  }
}
