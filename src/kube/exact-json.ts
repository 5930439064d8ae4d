/**
 * A text that names a value exactly, for cache keys. JSON.stringify is exact for everything JSON.parse
 * builds but -0 (written `0`) and for what JSON cannot hold (±Infinity and NaN, written `null`; `undefined`,
 * left out or written `null`): a key made of it alone would let two different inputs share an entry. Such
 * leaves are listed after the text, by their path, so the key differs whenever the values do.
 */
export function exactJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  if (!hasInexactLeaf(value)) return text;
  const odd = inexactLeaves(value);
  // JSON.stringify escapes control characters, so NUL cannot occur in `text`: the two parts stay apart.
  return `${text}\u0000${JSON.stringify(odd)}`;
}

function inexact(v: unknown): boolean {
  return v === undefined || (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)));
}

/** The walk without paths: almost every key has no such leaf. */
function hasInexactLeaf(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (inexact(v)) return true;
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) for (const item of v) stack.push(item);
      else for (const k in v) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return false;
}

/** `[path, what]` for each leaf JSON.stringify does not write as itself, in a fixed order. */
function inexactLeaves(root: unknown): Array<[Array<string | number>, string]> {
  const out: Array<[Array<string | number>, string]> = [];
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (inexact(value)) {
      out.push([path, Object.is(value, -0) ? '-0' : String(value)]);
    } else if (value !== null && typeof value === 'object') {
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      } else {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (value as Record<string, unknown>)[keys[i]!], path: [...path, keys[i]!] });
      }
    }
  }
  return out;
}
