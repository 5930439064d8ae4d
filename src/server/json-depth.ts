/**
 * Deepest nesting of objects and arrays a request body may have. Kubernetes objects nest a few dozen levels
 * (a pod template's env valueFrom is about 12); the limit is far above any schema-conforming object and far
 * below the depth at which a recursive walk (JSON.stringify, the canonicaliser, structuredClone) runs out of
 * stack: about 7,000 levels inside a request handler, less under a test runner. Past it the body is refused
 * with a 400, which Metacontroller answers by changing nothing, instead of a RangeError deep in a sync.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * Whether the JSON text nests objects/arrays deeper than `max`, found by one pass over the text (strings
 * skipped with indexOf) before any recursive code sees it. Malformed text is not judged here: JSON.parse
 * reports it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Index of the quote that ends the string opened at `open`, or -1 when it is never closed. */
function closingQuote(text: string, open: number): number {
  let j = open;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
}
