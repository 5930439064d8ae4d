/**
 * Canonical JSON: object keys sorted, `undefined` and `null` dropped, arrays kept in order.
 * The API server never stores explicit nulls for omitempty fields; emitting them would make
 * Metacontroller see a diff on every sync.
 */
export function canonicalize<T>(value: T): T {
  if (value !== null && typeof value === 'object' && CANONICAL.has(value)) return value;
  const out = canon(value);
  if (out !== null && typeof out === 'object') CANONICAL.add(out);
  return out as T;
}

/**
 * Results of `canonicalize`, which are fresh objects nobody mutates: a desired child is canonicalized when
 * a reaction puts it and again when the response is assembled, and the second walk (a full copy of every
 * pod template) would only repeat the first.
 */
const CANONICAL = new WeakSet<object>();

function canon(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (item === undefined || item === null) continue;
      out.push(typeof item === 'object' ? canon(item) : item);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of sortedKeys(src)) {
      const v = src[key];
      if (v === undefined || v === null) continue;
      out[key] = typeof v === 'object' ? canon(v) : v;
    }
    return out;
  }
  return value;
}

/** Keys in code-unit order, as `Array.prototype.sort` orders them; most objects are already sorted. */
function sortedKeys(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) return keys.sort();
  }
  return keys;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}
