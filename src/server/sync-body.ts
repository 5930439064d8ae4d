import { PieceMemo, type Part, type Piece } from '../cache/pieces.js';
import { deepFreeze } from '../kube/deep-freeze.js';
import { hasNonFinite } from './json-numbers.js';

/**
 * Parses /sync bodies, reusing the parsed form of every piece whose text is identical to one seen before.
 *
 * Metacontroller sends the parent and every child on each sync, and between two syncs of a parent usually
 * one object changed (a StatefulSet's status and resourceVersion). JSON.parse of the whole body was the
 * largest single cost of a sync (~140 µs in-process, more under load, for a typical 47 KB body). This
 * parser walks only the envelope: the top-level keys, the `children`/`related` maps and, for a changed
 * child, its fields and their fields. A child's text is compared (as memory) with the text it had last time
 * under the same key: equal text is the same value, so the object parsed then is reused without reading the
 * child again. A changed child is read field by field the same way, so an unchanged `spec` is reused when
 * only `status` moved. Only changed pieces are scanned and handed to JSON.parse. The parent and the
 * controller, which have no key before they are read, are matched in place against the few seen last, else
 * scanned and looked up by their text. A parent not seen lately
 * (its first body, or a large fleet's turn coming round) shares nothing to reuse: its body goes to JSON.parse
 * (see `PieceMemo.warm`).
 *
 * The contract is JSON.parse's: the result is structurally what `JSON.parse(text)` returns, and any text
 * the fast path does not handle (invalid JSON, escapes in envelope keys, `__proto__` envelope keys, a body
 * that is not an object) goes to JSON.parse itself, so its errors and its answers for odd input are
 * unchanged. Reuse is sound because a remembered piece parsed on its own as a complete value: where the
 * same characters start a value they mean the same thing, and the envelope around them is still checked
 * character by character (a `,` or `}` must follow).
 *
 * What differs from JSON.parse: pieces are shared between requests, deeply frozen from the first time one
 * is reused. The sync core never writes to its request (test/server/sync-body.test.ts runs the request
 * fixtures on fresh and on shared, frozen pieces, and checks the fresh ones are unchanged afterwards).
 * A `"__proto__"` key anywhere (also written with `\u` escapes) is reported as `protoKey` instead, so
 * the caller refuses the body as it always did, and nothing of that piece is remembered.
 */
export interface SyncBodyParser {
  /** JSON.parse's answer for `text`; throws JSON.parse's SyntaxError for invalid JSON. */
  parse(text: string): ParsedBody;
  /** Pieces remembered and the characters they hold. */
  readonly size: number;
  readonly bytes: number;
}

/**
 * JSON.parse's value, or why the body is refused: a `__proto__` key, or a number that is not finite as a
 * double (src/server/json-numbers.ts). Nothing of a refused body is remembered.
 */
export type ParsedBody =
  | { readonly protoKey: false; readonly nonFinite?: false; readonly value: unknown }
  | { readonly protoKey: true; readonly nonFinite?: false }
  | { readonly protoKey: false; readonly nonFinite: true };

/**
 * How deep a changed child is read field by field: its own fields (metadata, spec, status) and theirs
 * (metadata.annotations, metadata.managedFields, ...); anything deeper is parsed whole.
 */
const FIELD_DEPTH = 1;

/** A parser remembering its pieces in `memo` (src/cache/pieces.ts); with a disabled memo, JSON.parse. */
export function createSyncBodyParser(memo: PieceMemo = new PieceMemo()): SyncBodyParser {
  return {
    parse(text) {
      if (!memo.enabled) return parseJsonBody(text);
      const fast = parseEnvelope(text, memo);
      return fast === FALLBACK ? parseJsonBody(text) : fast;
    },
    get size() {
      return memo.size;
    },
    get bytes() {
      return memo.bytes;
    },
  };
}

/** JSON.parse, with `__proto__` keys reported: the parser of every body but /sync's. */
export function parseJsonBody(text: string): ParsedBody {
  const value: unknown = JSON.parse(text);
  if (mayHaveProtoKey(text) && hasProtoKey(value)) return { protoKey: true };
  if (hasNonFinite(value)) return { protoKey: false, nonFinite: true };
  return { protoKey: false, value };
}

/** Returned by the fast path for anything it leaves to JSON.parse. */
const FALLBACK = Symbol('fallback');

class Fallback extends Error {}
const fallback = new Fallback();

function parseEnvelope(t: string, memo: PieceMemo): ParsedBody | typeof FALLBACK {
  try {
    const r = new Reader(t, memo);
    const value = r.envelope();
    if (r.protoKey) return { protoKey: true };
    return r.nonFinite ? { protoKey: false, nonFinite: true } : { protoKey: false, value };
  } catch {
    // `fallback`, or a SyntaxError from the JSON.parse of a piece: JSON.parse of the whole text gives the
    // answer or the error it always gave.
    return FALLBACK;
  }
}

class Reader {
  private i = 0;
  /** A piece parsed here had a `__proto__` key: the body is refused, nothing of it is remembered. */
  protoKey = false;
  /** A piece parsed here had a number that is not finite: the same. */
  nonFinite = false;

  constructor(
    private readonly t: string,
    /** Absent for `layout`, which reads a remembered text and remembers nothing. */
    private readonly memo: PieceMemo | undefined,
  ) {}

  envelope(): Record<string, unknown> {
    let parent: unknown;
    const out = this.object((key) => {
      if (key === 'children' && !this.memo!.warm(parent, this.t.length)) throw fallback;
      if (key === 'children' || key === 'related') return this.groups(key);
      if (key === 'controller') return this.wholePiece();
      if (key === 'parent') return (parent = this.wholePiece());
      return this.parsedPiece();
    });
    this.skipSpace();
    if (this.i !== this.t.length) throw fallback;
    return out;
  }

  /** `{group: {key: object}}`: every object looked up by its path first. */
  private groups(section: string): unknown {
    if (this.peek() !== 0x7b) return this.parsedPiece();
    return this.object((group) => {
      if (this.peek() !== 0x7b) return this.parsedPiece();
      return this.object((key) => this.child(`${section}\0${group}\0${key}`));
    });
  }

  /**
   * One observed object: reused whole if its text is unchanged. A changed one is read field by field,
   * reusing each field whose text is unchanged (spec when only status moved; metadata.annotations when
   * only metadata.resourceVersion did). One never seen is parsed whole, which costs no more than
   * JSON.parse of its text.
   */
  private child(path: string): unknown {
    const start = this.i;
    const known = this.memo!.atPath(path);
    if (known !== undefined && this.t.slice(start, start + known.text.length) === known.text) {
      this.i += known.text.length;
      return shared(known.value);
    }
    const layout = known === undefined || this.peek() !== 0x7b ? undefined : layoutOf(known);
    let value: unknown;
    let fields: ReadonlyMap<string, Part> | undefined;
    if (layout === undefined) value = this.parsedPiece();
    else ({ value, fields } = this.fields(known!.text, layout, 0, 0));
    if (!this.protoKey && !this.nonFinite) this.memo!.rememberAtPath(path, this.t.slice(start, this.i), value, fields);
    return value;
  }

  /**
   * The object at the cursor, field by field: a field whose text equals the same field's in `was` (found in
   * `wasText` from `wasStart`) is reused, an object field is read the same way down to FIELD_DEPTH, any
   * other is parsed. Returns the object and where its fields lie, for the next sync.
   */
  private fields(wasText: string, was: ReadonlyMap<string, Part> | undefined, wasStart: number, depth: number): { value: unknown; fields: Map<string, Part> } {
    const start = this.i;
    const fields = new Map<string, Part>();
    const value = this.object((key) => {
      const at = this.i;
      const old = was?.get(key);
      let part: { value: unknown; fields?: ReadonlyMap<string, Part> };
      if (old !== undefined && this.unchanged(wasText, wasStart + old.start, old.end - old.start)) part = { value: shared(old.value), fields: old.fields };
      else if (depth < FIELD_DEPTH && this.peek() === 0x7b) part = this.fields(wasText, old?.fields, wasStart + (old?.start ?? 0), depth + 1);
      else part = { value: this.parsedPiece() };
      fields.set(key, { start: at - start, end: this.i - start, value: part.value, fields: part.fields });
      return part.value;
    });
    return { value, fields };
  }

  /**
   * True, with the cursor moved past it, if `wasText` from `from` (`length` characters) starts at the
   * cursor. A number or literal may continue past it (`1` then `12`): the enclosing object then finds no
   * `,` or `}` where it expects one and the body goes to JSON.parse.
   */
  private unchanged(wasText: string, from: number, length: number): boolean {
    if (this.t.slice(this.i, this.i + length) !== wasText.slice(from, from + length)) return false;
    this.i += length;
    return true;
  }

  /** A value remembered by its whole text (the parent, the controller): found only after scanning it. */
  private wholePiece(): unknown {
    const start = this.i;
    const recent = this.memo!.wholeAt(this.t, start);
    if (recent !== undefined) {
      this.i += recent.text.length;
      return shared(recent.value);
    }
    const end = valueEnd(this.t, start);
    const text = this.t.slice(start, end);
    const known = this.memo!.withText(text);
    this.i = end;
    if (known !== undefined) return shared(known.value);
    const value = this.parseSlice(text);
    if (!this.protoKey && !this.nonFinite) this.memo!.rememberText(text, value);
    return value;
  }

  /** The value at the cursor, parsed on its own and not remembered. */
  private parsedPiece(): unknown {
    const end = valueEnd(this.t, this.i);
    const value = this.parseSlice(this.t.slice(this.i, end));
    this.i = end;
    return value;
  }

  private parseSlice(text: string): unknown {
    const value: unknown = JSON.parse(text);
    if (mayHaveProtoKey(text) && hasProtoKey(value)) this.protoKey = true;
    if (hasNonFinite(value)) this.nonFinite = true;
    return value;
  }

  /** Where the fields of the object at the cursor lie (down to FIELD_DEPTH), given what it parsed to. */
  layout(value: unknown, depth: number): Map<string, Part> {
    const start = this.i;
    const fields = new Map<string, Part>();
    this.object((key) => {
      const at = this.i;
      const v = (value as Record<string, unknown>)[key];
      const nested = depth < FIELD_DEPTH && this.peek() === 0x7b ? this.layout(v, depth + 1) : undefined;
      if (nested === undefined) this.i = valueEnd(this.t, at);
      fields.set(key, { start: at - start, end: this.i - start, value: v, fields: nested });
      return undefined;
    });
    return fields;
  }

  /** Reads `{ "k": v, ... }` at the cursor, with `value(key)` reading each v. */
  private object(value: (key: string) => unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.skipSpace();
    this.expect(0x7b);
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const key = this.plainKey();
      // Assigning a duplicate key keeps the later value in the earlier one's place, as JSON.parse does; but
      // JSON.parse defines `__proto__` where assigning would set the prototype.
      if (key === '__proto__') throw fallback;
      this.skipSpace();
      this.expect(0x3a);
      this.skipSpace();
      out[key] = value(key);
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === 0x2c) continue;
      if (c === 0x7d) return out;
      throw fallback;
    }
  }

  /** A key without escapes or control characters, which is every key Kubernetes and Metacontroller write. */
  private plainKey(): string {
    const t = this.t;
    this.expect(0x22);
    const start = this.i;
    for (let i = start; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c || c < 0x20) throw fallback;
    }
    throw fallback;
  }

  private peek(): number {
    return this.t.charCodeAt(this.i);
  }

  private expect(c: number): void {
    if (this.t.charCodeAt(this.i) !== c) throw fallback;
    this.i++;
  }

  private skipSpace(): void {
    const t = this.t;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }
}

/**
 * A remembered value handed out again, now shared between syncs: frozen first (once), so a reaction that
 * wrote to it would throw instead of changing the next sync's request. Pieces are frozen only when reused:
 * freezing every object of a body as it is first parsed cost half as much again as parsing it.
 */
function shared<T>(value: T): T {
  return deepFreeze(value);
}

/** The fields of a remembered child, worked out from its text the first time it changes. */
function layoutOf(piece: Piece): ReadonlyMap<string, Part> | undefined {
  if (piece.fields === undefined && piece.value !== null && typeof piece.value === 'object' && !Array.isArray(piece.value)) {
    try {
      piece.fields = new Reader(piece.text, undefined).layout(piece.value, 0);
    } catch {
      // A key with escapes: the changed child is parsed whole instead.
      return undefined;
    }
  }
  return piece.fields;
}

/**
 * Where the JSON value starting at `start` ends, for valid JSON; for invalid JSON some position, and the
 * JSON.parse of the slice refuses it. Strings are skipped with indexOf: most of a body is string content.
 */
function valueEnd(t: string, start: number): number {
  const first = t.charCodeAt(start);
  if (first === 0x22) return stringEnd(t, start);
  if (first !== 0x7b && first !== 0x5b) {
    let i = start;
    while (i < t.length && !PRIMITIVE_END.has(t.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(t, i);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw fallback;
}

const PRIMITIVE_END = new Set([0x2c, 0x7d, 0x5d, 0x20, 0x0a, 0x0d, 0x09]);

/** The index just past the string whose opening quote is at `start`. */
function stringEnd(t: string, start: number): number {
  let q = t.indexOf('"', start + 1);
  while (q > 0) {
    let backslashes = 0;
    while (t.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    q = t.indexOf('"', q + 1);
  }
  throw fallback;
}

/**
 * `__proto__` can only be a key if the text says so, literally or with some of its characters escaped:
 * `\u005f` or `\u005F` (_), `\u0070` (p), `\u0072` (r), `\u006f` or `\u006F` (o), `\u0074` (t). One pass;
 * searching for any `\u` was two thirds of the check, as Kubernetes JSON is full of escaped quotes.
 */
const PROTO_TEXT = /__proto__|\\u00(?:5[fF]|7[024]|6[fF])/;
function mayHaveProtoKey(text: string): boolean {
  return PROTO_TEXT.test(text);
}

/** `__proto__` as an own key anywhere; iterative, as the depth is not known yet. */
function hasProtoKey(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
      continue;
    }
    for (const k of Object.keys(v)) {
      if (k === '__proto__') return true;
      stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return false;
}
