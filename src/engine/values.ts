/*
 * The value model. Every kind of value (string; list, hash, set, sorted set, stream as their
 * families arrive) declares once, in its own file, what the keyspace and the keyspace commands
 * need of it: its TYPE name, its OBJECT ENCODING, its memory size and how it copies itself (a
 * `ValueKind`). Collections are objects that carry their kind (`Collection`); strings are the
 * four representations below, whose kind is `STRING`. Adding a type touches its own file only.
 *
 * Strings take four representations, chosen as Redis picks its encodings:
 *  - `number`: a canonical decimal integer within ±2^53 (Redis's `int` encoding), no allocation;
 *  - `bigint`: an int64 held as an object of its own (also `int`): beyond ±2^53, or a COPY of
 *    a number (Redis duplicates the object, so even a small integer is no longer shared);
 *  - `string`: latin1 bytes as set by SET and friends (`embstr` up to 44 bytes, else `raw`), or
 *    text stored unencoded (INCRBYFLOAT's result stays `embstr` even when it reads as an integer);
 *  - `MutableString`: a byte buffer with spare capacity, made by APPEND and SETRANGE so that
 *    repeated appends are amortised O(1), as with Redis's sds (`raw`).
 */
import { parseInt64 } from './int64.js';

/** TYPE's answers. */
export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** What one kind of value declares, once. */
export interface ValueKind<V = Value> {
  /** TYPE's answer (and SCAN TYPE's filter) */
  readonly name: TypeName;
  /** OBJECT ENCODING's answer */
  encoding(v: V): string;
  /** approximate bytes the value holds, for memory accounting (used_memory, MEMORY USAGE) */
  size(v: V): number;
  /** a copy sharing no mutable state with `v` (COPY) */
  copy(v: V): V;
  /**
   * For kinds with a compact form (a listpack's idea): how a small value is stored as bytes in
   * its record instead of as an object (see engine/packed-collections.ts).
   */
  readonly packing?: Packing<V>;
}

/**
 * A kind's packed form. `pack` gives the bytes (a latin1 string) of a value that is in its
 * compact encoding, or null (large: the value stays an object); `unpack` rebuilds the value.
 * `id` (1-255) tags the record's bytes with the kind; every id is registered once.
 */
export interface Packing<V> {
  readonly id: number;
  pack(v: V): string | null;
  unpack(bytes: string): V;
  /**
   * Optional: the packed form of `v` as an edit of `stored`, the bytes its record holds (see
   * PackedEdit), so that settle rewrites only what changed; false when `v` cannot tell (then
   * `pack` gives the whole form).
   */
  packEdit?(v: V, stored: string, edit: PackedEdit): boolean;
}

/** A packed form as an edit of the stored one: `head`, stored bytes [from, to), then `tail`. */
export interface PackedEdit {
  head: string;
  from: number;
  to: number;
  tail: string;
}

/**
 * A collection value: an object that knows its kind. A family mutating one in place tells the
 * keyspace afterwards (`Database.changed`), so the write path sees every change.
 */
export interface Collection {
  readonly kind: ValueKind<any>;
}

export class MutableString {
  constructor(
    public buf: Buffer,
    public len: number,
  ) {}

  static from(s: string, extra: number): MutableString {
    const buf = Buffer.allocUnsafe(Math.max(s.length + extra, 16));
    buf.latin1Write(s, 0);
    return new MutableString(buf, s.length);
  }

  toString(): string {
    return this.buf.latin1Slice(0, this.len);
  }

  /** Makes room for `size` bytes, growing greedily like sdsMakeRoomFor (double below 1 MB). */
  reserve(size: number): void {
    if (size <= this.buf.length) return;
    const grown = size < 1024 * 1024 ? size * 2 : size + 1024 * 1024;
    const next = Buffer.alloc(grown);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  append(s: string): void {
    this.reserve(this.len + s.length);
    this.len += this.buf.latin1Write(s, this.len);
  }
}

export type StringValue = number | bigint | string | MutableString;
export type Value = StringValue | Collection;

export function isString(v: Value): v is StringValue {
  return typeof v !== 'object' || v instanceof MutableString;
}

/** The kind of any value. */
export function kindOf(v: Value): ValueKind {
  return typeof v !== 'object' || v instanceof MutableString ? STRING : (v as Collection).kind;
}

/** The bytes of a string value, as a latin1 string. */
export function stringOf(v: StringValue): string {
  return typeof v === 'string' ? v : v instanceof MutableString ? v.toString() : String(v);
}

/** Length in bytes of a string value. */
export function stringLength(v: StringValue): number {
  return typeof v === 'string' ? v.length : v instanceof MutableString ? v.len : String(v).length;
}

/** TYPE of a value. */
export function typeName(v: Value): TypeName {
  return kindOf(v).name;
}

const MAX_INT64_CHARS = 20;

/**
 * The value to store for the bytes `s`: a number (or a bigint beyond 2^53) when `s` is a
 * canonical int64, as Redis would pick the `int` encoding, else the string itself.
 */
export function encodeString(s: string): StringValue {
  const n = s.length;
  if (n === 0 || n > MAX_INT64_CHARS) return s;
  const c = s.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45)) return s;
  const v = parseInt64(s);
  return v === null ? s : v;
}

/** The string kind: the four representations above. */
export const STRING: ValueKind<StringValue> = {
  name: 'string',
  encoding(v) {
    if (typeof v === 'number' || typeof v === 'bigint') return 'int';
    if (typeof v === 'string') return v.length <= 44 ? 'embstr' : 'raw';
    return 'raw';
  },
  size(v) {
    if (typeof v === 'number') return 8;
    if (typeof v === 'bigint') return 16;
    if (typeof v === 'string') return 16 + v.length;
    return 80 + v.buf.length;
  },
  copy(v) {
    if (typeof v === 'number') return BigInt(v);
    if (v instanceof MutableString) {
      const buf = Buffer.allocUnsafe(v.buf.length);
      v.buf.copy(buf, 0, 0, v.len);
      return new MutableString(buf, v.len);
    }
    return v;
  },
};

/** A copy of `v` that shares no mutable state with it (COPY). */
export function copyValue(v: Value): Value {
  return kindOf(v).copy(v);
}

/** OBJECT ENCODING of a value. */
export function encodingOf(v: Value): string {
  return kindOf(v).encoding(v);
}

/** Approximate bytes a value costs, for memory accounting. */
export function sizeOf(v: Value): number {
  // the two hot representations first (SET's strings, INCR's numbers): no kind dispatch for them
  if (typeof v === 'string') return 16 + v.length;
  if (typeof v === 'number') return 8;
  return kindOf(v).size(v);
}
