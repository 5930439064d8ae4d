import { BoundedLru } from './bounded-lru.js';
import { uidOf } from '../kube/kube-object.js';

/**
 * The /sync body parser's memory (src/server/sync-body.ts): the text and parsed value of every piece of a
 * body (a child, a child's field, a parent) seen lately, so that an unchanged piece is not parsed again.
 * The parser decides what a piece is and when one may be reused; this holds them, bounded.
 */

/** Where a field's text lies, relative to the start of the object holding it, and what it parsed to. */
export interface Part {
  readonly start: number;
  readonly end: number;
  readonly value: unknown;
  /** For an object read field by field: its fields, relative to its own start. */
  readonly fields?: ReadonlyMap<string, Part>;
}

export interface Piece {
  /** The piece's text, copied out of the body it came from (see `detached`). */
  readonly text: string;
  readonly value: unknown;
  /** For a child: its fields, relative to the start of `text`; worked out when the child first changes. */
  fields?: ReadonlyMap<string, Part>;
}

/** Besides the strings: the map slot and the piece objects. */
const ENTRY_OVERHEAD_BYTES = 256;
/** And per field of a child read field by field (its Part and the map slot). */
const FIELD_BYTES = 96;
/** A uid longer than this (the API server writes 36 characters) is not remembered: its body is parsed plainly. */
const MAX_UID_CHARS = 128;
/** At most this many parents are remembered as seen lately, whatever their size. */
const MAX_WARM_PARENTS = 4096;
/** Parents remembered per text length: enough for a fleet whose parents' texts happen to be equally long. */
const PARENTS_PER_LENGTH = 4;
/** Parents and controllers tried at the cursor before scanning: Metacontroller's controller and a few parents. */
const RECENT_WHOLE = 6;

/**
 * `maxBytes` bounds the remembered text, keys included, at two bytes a character, plus a fixed cost per
 * piece and per field (the parsed objects cost a few times more heap); least recently used first out.
 * Pieces longer than `maxPieceChars` are parsed every time and never kept.
 */
export const PIECE_MEMO_MAX_BYTES = 32 * 2 ** 20;
export const PIECE_MAX_CHARS = 2 ** 20;

/**
 * Children and related objects by their path (`section\0group\0key`, which names one object for as long
 * as it exists); parents and the controller, which have no path before they are read, by text length.
 * One LRU order over both, by the characters held.
 */
export class PieceMemo {
  private readonly entries: BoundedLru<string | number, Piece | Piece[]>;
  /** Uids of parents whose bodies are read piece by piece (see `warm`), least recently seen first. */
  private readonly warmUids = new Map<string, true>();
  /** Parents and controllers most recently seen, most recent first (see `wholeAt`). */
  private readonly recent: Piece[] = [];

  /** Disabled, the parser reads every body with JSON.parse and remembers nothing. */
  constructor(
    readonly enabled = true,
    private readonly maxBytes = PIECE_MEMO_MAX_BYTES,
    private readonly maxPieceChars = PIECE_MAX_CHARS,
  ) {
    // A parent no longer remembered is no longer predicted either.
    this.entries = new BoundedLru({
      maxCost: maxBytes,
      onEvict: (entry) => {
        if (Array.isArray(entry)) for (const p of entry) this.unrecent(p);
      },
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.cost;
  }

  /**
   * Whether a body of this parent is worth reading piece by piece: only if one was seen lately, so its
   * children are likely remembered. A parent's first body, or one whose turn comes round after more
   * parents than the memory holds (a large fleet resyncing in turn), is left to JSON.parse: reading and
   * remembering every piece of a body that shares nothing costs ~1.7 times a plain parse, for nothing.
   * A parent without a uid (tests, replays) is always read piece by piece.
   */
  warm(parent: unknown, bodyLength: number): boolean {
    const uid = uidOf(parent);
    if (uid === undefined) return true;
    if (uid.length > MAX_UID_CHARS) return false;
    const known = this.warmUids.delete(uid);
    this.warmUids.set(uid, true);
    // About as many parents as bodies of this size fit in the memory.
    const room = Math.min(MAX_WARM_PARENTS, Math.max(8, Math.floor(this.maxBytes / 2 / Math.max(bodyLength, 1))));
    for (const oldest of this.warmUids.keys()) {
      if (this.warmUids.size <= room) break;
      this.warmUids.delete(oldest);
    }
    return known;
  }

  atPath(path: string): Piece | undefined {
    return this.entries.get(path) as Piece | undefined;
  }

  rememberAtPath(path: string, text: string, value: unknown, fields: ReadonlyMap<string, Part> | undefined): void {
    if (text.length > this.maxPieceChars) return;
    this.entries.set(path, { text: detached(text), value, fields }, ENTRY_OVERHEAD_BYTES + 2 * (path.length + text.length) + fieldsBytes(fields));
  }

  withText(text: string): Piece | undefined {
    const bucket = this.entries.get(text.length) as Piece[] | undefined;
    const piece = bucket?.find((p) => p.text === text);
    if (piece !== undefined) this.recentlyWhole(piece);
    return piece;
  }

  /**
   * A parent or controller seen lately whose text starts at `i` in `t`, found without scanning for where
   * the value ends: one memory comparison per candidate, and a different parent differs early.
   */
  wholeAt(t: string, i: number): Piece | undefined {
    for (const piece of this.recent) {
      if (t.slice(i, i + piece.text.length) !== piece.text) continue;
      this.entries.get(piece.text.length); // now the most recently used
      return piece;
    }
    return undefined;
  }

  private recentlyWhole(piece: Piece): void {
    const at = this.recent.indexOf(piece);
    if (at === 0) return;
    if (at > 0) this.recent.splice(at, 1);
    this.recent.unshift(piece);
    if (this.recent.length > RECENT_WHOLE) this.recent.pop();
  }

  rememberText(text: string, value: unknown): void {
    if (text.length > this.maxPieceChars) return;
    const piece: Piece = { text: detached(text), value };
    const bucket = [piece, ...((this.entries.peek(text.length) as Piece[] | undefined) ?? [])];
    if (bucket.length > PARENTS_PER_LENGTH) this.unrecent(bucket.pop()!);
    this.recentlyWhole(piece);
    this.entries.set(text.length, bucket, bucket.length * (ENTRY_OVERHEAD_BYTES + 2 * text.length));
  }

  private unrecent(piece: Piece): void {
    const at = this.recent.indexOf(piece);
    if (at >= 0) this.recent.splice(at, 1);
  }
}

/** What the field map of a child read field by field costs besides its text: its keys and entries. */
function fieldsBytes(fields: ReadonlyMap<string, Part> | undefined): number {
  if (fields === undefined) return 0;
  let bytes = 0;
  for (const [key, part] of fields) bytes += FIELD_BYTES + 2 * key.length + fieldsBytes(part.fields);
  return bytes;
}

/**
 * A copy of `s` that does not keep alive the string it was sliced from. V8 represents `body.slice(a, b)` as
 * a view of the whole body, so remembering a 5 KB child would keep its 9 MB body. Flattening a
 * concatenation copies the characters.
 */
function detached(s: string): string {
  return (' ' + s).slice(1);
}
