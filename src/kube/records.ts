/** A JSON object: not null, not an array. The one test for "is this a map" in the hook. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `v` when it is a JSON object, else an empty one: for reading optional fields of unchecked input. */
export function recordOr(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
