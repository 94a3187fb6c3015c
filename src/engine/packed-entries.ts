/*
 * Entries packed one after another into one latin1 string (a listpack's idea without the back
 * lengths): each entry is a length header then its bytes. The header is one char holding the
 * length when it is below 254, else char 254 followed by the length in 4 chars, big-endian.
 * A packed string is immutable: writers build a new flat one with `flatString`.
 *
 * Why a string: V8 stores a one-byte string as 16 bytes of header plus its bytes, so a small
 * hash of 10 short fields costs one object of ~170 bytes instead of 21 objects; lookups walk the
 * headers in place and slice only an entry whose length and last byte match (`bytesAre`).
 */
import { latin1, SHORT_MAX } from '../resp/short-strings.js';

const LONG = 254;

/** Offset of the first byte of the entry whose header is at `at`. */
export function entryStart(s: string, at: number): number {
  return s.charCodeAt(at) < LONG ? at + 1 : at + 5;
}

/** Offset just past the entry whose header is at `at` (the next entry's header). */
export function entryEnd(s: string, at: number): number {
  const c = s.charCodeAt(at);
  if (c < LONG) return at + 1 + c;
  const len = s.charCodeAt(at + 1) * 0x1000000 + ((s.charCodeAt(at + 2) << 16) | (s.charCodeAt(at + 3) << 8) | s.charCodeAt(at + 4));
  return at + 5 + len;
}

/**
 * Whether the `value.length` chars of `s` from `start` (all within `s`) are exactly `value`.
 * Entries of a collection mostly differ in their last byte (members numbered at their end), so
 * that byte is compared first; the whole is then compared by `===` on a slice, which costs under
 * half what a charCodeAt loop does from 12 bytes up (callgrind: 225 against 585 instructions at
 * 12 bytes, 493 against 959 at 20).
 */
export function bytesAre(s: string, start: number, value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  if (s.charCodeAt(start + n - 1) !== value.charCodeAt(n - 1)) return false;
  return n === 1 || s.slice(start, start + n) === value;
}

/** The entry for `value`: its header, then its bytes. */
export function encodeEntry(value: string): string {
  const n = value.length;
  if (n < LONG) return String.fromCharCode(n) + value;
  return String.fromCharCode(LONG, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255) + value;
}

let scratch = Buffer.allocUnsafe(1 << 16);

/** Below this length V8 builds concatenations flat anyway (ConsString::kMinLength is 13). */
const CONS_MIN = 13;
/** Up to this length flatString copies in JavaScript (short-strings.ts builds the result). */
const SHORT_COPY = SHORT_MAX;

/**
 * The concatenation of `parts` as one flat string. A `+` of longer strings makes a V8 cons
 * string (a tree of the pieces, kept alive): stored values are built through a buffer instead.
 */
export function flatString(...parts: string[]): string {
  let n = 0;
  for (const p of parts) n += p.length;
  if (n < CONS_MIN) return parts.join('');
  if (n > scratch.length) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
  let at = 0;
  if (n <= SHORT_COPY) {
    // short: copied char by char and read back in JavaScript (latin1Write and latin1Slice are
    // calls into C++ of ~55 ns each, whatever the length)
    for (const p of parts) for (let i = 0; i < p.length; i++) scratch[at++] = p.charCodeAt(i);
    return latin1(scratch, 0, n);
  }
  for (const p of parts) at += scratch.latin1Write(p, at);
  return scratch.latin1Slice(0, n);
}

/**
 * Every entry of `s`, in order. `copy`: as strings of their own (for values that outlive `s`;
 * a slice of a long string keeps the whole of it alive), else as slices.
 */
export function decodeAll(s: string, copy = false): string[] {
  const out: string[] = [];
  let buf: Buffer | null = null;
  if (copy && s.length >= CONS_MIN) {
    if (s.length > scratch.length) scratch = Buffer.allocUnsafe(Math.max(s.length, scratch.length * 2));
    scratch.latin1Write(s, 0);
    buf = scratch;
  }
  for (let at = 0; at < s.length; ) {
    const start = entryStart(s, at);
    const end = entryEnd(s, at);
    out.push(buf !== null && end - start >= CONS_MIN ? buf.latin1Slice(start, end) : s.slice(start, end));
    at = end;
  }
  return out;
}
