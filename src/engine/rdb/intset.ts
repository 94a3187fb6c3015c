/*
 * Redis's intset, as DUMP stores a set of integers: encoding (2, 4 or 8: bytes per member,
 * the smallest that holds every member), count, then the members ascending, all little-endian.
 */
import { BadFormat, ByteReader, ByteWriter } from './bytes.js';

export function encodeIntset(members: ReadonlyArray<number | bigint>): Uint8Array {
  const sorted = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const m of sorted) {
    if (m < -2147483648n || m > 2147483647n) width = 8;
    else if ((m < -32768n || m > 32767n) && width < 4) width = 4;
  }
  const w = new ByteWriter();
  w.uintLE(width, 4);
  w.uintLE(sorted.length, 4);
  for (const m of sorted) w.uintLE(m, width);
  return w.result();
}

/** The members of an intset, as decimal strings; BadFormat when malformed or unsorted. */
export function decodeIntset(bytes: Uint8Array): string[] {
  const r = new ByteReader(bytes);
  const width = r.uintLE(4);
  const count = r.uintLE(4);
  if ((width !== 2 && width !== 4 && width !== 8) || r.left !== width * count || count === 0) throw new BadFormat();
  const out: string[] = [];
  let last: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const v = r.intLE(width);
    const b = BigInt(v);
    if (last !== null && b <= last) throw new BadFormat();
    last = b;
    out.push(String(v));
  }
  return out;
}
