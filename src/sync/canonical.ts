/**
 * Canonical JSON: object keys sorted, `undefined` and `null` dropped, arrays kept in order.
 * The API server never stores explicit nulls for omitempty fields; emitting them would make
 * Metacontroller see a diff on every sync.
 */
export function canonicalize<T>(value: T): T {
  return canon(value) as T;
}

function canon(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (item === undefined || item === null) continue;
      out.push(canon(item));
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(src).sort()) {
      const v = src[key];
      if (v === undefined || v === null) continue;
      out[key] = canon(v);
    }
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}
