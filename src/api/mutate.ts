import { isRecord } from '../kube/records.js';

/**
 * What the Go operator's mutating admission webhook does to a RisingWave on create, applied by the hook
 * to the spec it reads, so a manifest written for the operator works unchanged (there is no mutating
 * webhook in front of a Metacontroller parent). With the operator's default feature gates that is one
 * change: `spec.stateStore.dataDirectory` loses surrounding white space and then every trailing '/'
 * (`strings.TrimRight(strings.TrimSpace(dir), "/")`). The CRD accepts those forms for this reason.
 * (The other mutation, a random secret-store key, is behind the alpha gate RandomSecretStorePrivateKey,
 * off by default.)
 */
export function applyOperatorMutations(spec: Record<string, unknown>): void {
  const store = spec.stateStore;
  if (isRecord(store) && typeof store.dataDirectory === 'string') {
    store.dataDirectory = trimGoSpace(store.dataDirectory).replace(/\/+$/, '');
  }
}

/** Go's unicode.IsSpace set, which strings.TrimSpace trims (JavaScript's trim() also trims U+FEFF). */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const LEADING = new RegExp(`^[${GO_SPACE}]+`);
const TRAILING = new RegExp(`[${GO_SPACE}]+$`);

export function trimGoSpace(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}
