/**
 * Env precedence and ordering.
 *
 * Kubernetes expands `$(VAR)` only for variables defined earlier in the list, so the final env is a
 * topological order of the references; everything else is by name so the output is canonical.
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';

/**
 * Merges env layers by name: a later layer replaces an earlier layer's variable of the same name.
 * Output order is not meaningful (pass the result to `sortEnv`).
 *
 * Layer order callers must use for a RisingWave container, lowest precedence first:
 *   1. component defaults (listen/advertise addresses, RW_CONFIG_PATH, meta address, parallelism/memory,
 *      RW_RESOURCE_GROUP, …);
 *   2. the user's template env (overrides the defaults);
 *   3. store env: state-store credentials/URL, meta-store, license, secret-store, TLS (overrides the user);
 *   4. base env from `baseEnv` (RUST_LOG, POD_*, RUST_MIN_STACK, RUST_BACKTRACE, RW_WORKER_THREADS —
 *      always wins).
 */
export function mergeEnv(...layers: readonly (readonly IEnvVar[])[]): IEnvVar[] {
  const byName = new Map<string, IEnvVar>();
  for (const layer of layers) {
    for (const env of layer) byName.set(env.name, env);
  }
  return [...byName.values()];
}

/** Byte-wise comparison of the UTF-8 encodings, i.e. Go's `a < b` on strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order equals UTF-8 byte order except around surrogates: the first differing code unit decides
  // unless either is a surrogate (ASCII env names, the common case, never scan past that unit).
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) {
      return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
    }
    return x < y ? -1 : 1;
  }
  // One is a prefix of the other.
  return a.length < b.length ? -1 : 1;
}

/**
 * Whether `value` contains an unescaped reference `$(name)`. `$$` is Kubernetes' escape, so a reference
 * preceded by an odd run of '$' is a literal. (The operator inspects only the first occurrence; every
 * occurrence is checked here because any unescaped one is expanded.)
 */
export function referencesVar(value: string | undefined, name: string): boolean {
  if (!value) return false;
  const needle = `$(${name})`;
  for (let idx = value.indexOf(needle); idx >= 0; idx = value.indexOf(needle, idx + 1)) {
    let dollars = 0;
    for (let i = idx - 1; i >= 0 && value[i] === '$'; i--) dollars++;
    if (dollars % 2 === 0) return true;
  }
  return false;
}

/**
 * Sorts env by name, except that a variable always comes before any variable whose value references it
 * with `$(NAME)`: Kahn's algorithm that always takes the smallest available name. References to unknown
 * names and self-references are ignored. Variables in a reference cycle cannot all be satisfied; each
 * cycle (strongly connected component) is placed as one block, in name order, where its smallest name
 * would go, so variables outside it still follow their dependencies. Nothing is dropped or duplicated;
 * the input is not modified.
 */
export function sortEnv(env: readonly IEnvVar[]): IEnvVar[] {
  const n = env.length;
  const byName = (i: number, j: number) => compareGoStrings(env[i]!.name, env[j]!.name) || i - j;
  const dependencies: number[][] = env.map(() => []);
  for (let i = 0; i < n; i++) {
    // Most values reference nothing: skip the scan over every name for them.
    const value = env[i]!.value;
    if (value === undefined || !value.includes('$(')) continue;
    for (let j = 0; j < n; j++) {
      if (env[i]!.name !== env[j]!.name && referencesVar(value, env[j]!.name)) dependencies[i]!.push(j);
    }
  }

  // Condense cycles: one node per strongly connected component, its members in name order.
  const component = stronglyConnectedComponents(dependencies);
  const members: number[][] = [];
  for (let i = 0; i < n; i++) (members[component[i]!] ??= []).push(i);
  for (const m of members) m.sort(byName);

  const componentDependents: Set<number>[] = members.map(() => new Set());
  const inDegree = members.map(() => 0);
  for (let i = 0; i < n; i++) {
    for (const j of dependencies[i]!) {
      const from = component[j]!;
      const to = component[i]!;
      if (from === to || componentDependents[from]!.has(to)) continue;
      componentDependents[from]!.add(to);
      inDegree[to]!++;
    }
  }

  // Ready components ordered by their smallest member; few enough variables that a scan beats a heap.
  const ready = members.map((_, c) => c).filter((c) => inDegree[c] === 0);
  const out: IEnvVar[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => byName(members[a]![0]!, members[b]![0]!));
    const c = ready.shift()!;
    for (const i of members[c]!) out.push(env[i]!);
    for (const d of componentDependents[c]!) if (--inDegree[d]! === 0) ready.push(d);
  }
  return out;
}

/** Tarjan's algorithm over `edges[i]` (the nodes i points to); returns each node's component id. */
function stronglyConnectedComponents(edges: readonly (readonly number[])[]): number[] {
  const n = edges.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let nextIndex = 0;
  let nextComponent = 0;

  const visit = (v: number): void => {
    index[v] = low[v] = nextIndex++;
    stack.push(v);
    onStack[v] = true;
    for (const w of edges[v]!) {
      if (index[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v]!, low[w]!);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v]!, index[w]!);
      }
    }
    if (low[v] === index[v]) {
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = false;
        component[w] = nextComponent;
      } while (w !== v);
      nextComponent++;
    }
  };
  for (let v = 0; v < n; v++) if (index[v] === -1) visit(v);
  return component;
}

/** Sorts volumes, volume mounts or volume devices by name (stable). Input is not modified. */
export function sortByName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareGoStrings(a.name, b.name));
}
