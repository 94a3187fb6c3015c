/*
 * The packed form of a `listpack` list (list-value.ts), as its record holds it:
 *
 *   header   12 bytes: the listpack's size (Redis's layout, list-value.ts), the element count
 *            and the sum of the elements' lengths, each 4 bytes big-endian
 *   entries  head first; each a length header, the bytes, then the length again as a trailer:
 *            below 254 one char each side; else a header of char 254 and the length in 4 chars
 *            (big-endian), a trailer of the 4 length chars then char 254
 *
 * The trailer makes the last entry findable from the end (a listpack's back-length), and the
 * header's counts make unpacking read 12 bytes, not every entry: so a push or pop at either end
 * touches only the bytes of the entries it adds or removes, and settle writes only those
 * (`Shard.repackEdit` keeps the unchanged entries where they are in the record).
 */
import { latin1 } from '../resp/short-strings.js';

export const LIST_HEADER = 12;
const LONG = 254;

let scratch = Buffer.allocUnsafe(1 << 16);

/** The 4-byte big-endian number at `at`. */
export function readU32(s: string, at: number): number {
  return ((s.charCodeAt(at) << 24) | (s.charCodeAt(at + 1) << 16) | (s.charCodeAt(at + 2) << 8) | s.charCodeAt(at + 3)) >>> 0;
}

function u32Chars(n: number): string {
  return String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** The header for a list of `count` elements of `payload` total length in a listpack of `lpBytes`. */
export function listHeader(lpBytes: number, count: number, payload: number): string {
  return u32Chars(lpBytes) + u32Chars(count) + u32Chars(payload);
}

/** The entries for `values` in order, as one string (written once into a record, then dropped). */
export function encodeListEntries(values: readonly string[], from: number, to: number, reversed: boolean): string {
  let n = 0;
  for (let i = from; i < to; i++) {
    const len = values[i]!.length;
    n += len + (len < LONG ? 2 : 10);
  }
  if (n > scratch.length) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
  let at = 0;
  for (let k = from; k < to; k++) {
    const v = values[reversed ? to - 1 - (k - from) : k]!;
    const len = v.length;
    if (len < LONG) {
      scratch[at++] = len;
      at += copyInto(v, at);
      scratch[at++] = len;
    } else {
      scratch[at++] = LONG;
      scratch.writeUInt32BE(len, at);
      at += 4;
      at += copyInto(v, at);
      scratch.writeUInt32BE(len, at);
      at += 4;
      scratch[at++] = LONG;
    }
  }
  return latin1(scratch, 0, n);
}

function copyInto(v: string, at: number): number {
  const n = v.length;
  if (n <= 32) for (let i = 0; i < n; i++) scratch[at + i] = v.charCodeAt(i);
  else scratch.latin1Write(v, at);
  return n;
}

/* Where `entryData` found an entry's bytes (module state: no object per call). */
export let dataStart = 0;
export let dataEnd = 0;

/** Offset just past the entry whose header is at `at`; its bytes into dataStart/dataEnd. */
export function listEntryForward(s: string, at: number): number {
  const c = s.charCodeAt(at);
  if (c < LONG) {
    dataStart = at + 1;
    dataEnd = at + 1 + c;
    return dataEnd + 1;
  }
  const n = readU32(s, at + 1);
  dataStart = at + 5;
  dataEnd = at + 5 + n;
  return dataEnd + 5;
}

/** Offset of the header of the entry that ends just before `end`; its bytes into dataStart/dataEnd. */
export function listEntryBackward(s: string, end: number): number {
  const c = s.charCodeAt(end - 1);
  if (c < LONG) {
    dataEnd = end - 1;
    dataStart = dataEnd - c;
    return dataStart - 1;
  }
  const n = readU32(s, end - 5);
  dataEnd = end - 5;
  dataStart = dataEnd - n;
  return dataStart - 5;
}
