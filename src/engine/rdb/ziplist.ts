/*
 * Reading Redis's ziplist, the compact encoding RDB files and DUMP payloads of Redis before 7.0
 * hold small hashes, sorted sets and list nodes in (RESTORE accepts them): a 10-byte header
 * (total bytes, tail offset, count), entries each made of the previous entry's length (1 byte, or
 * 0xFE and 4 bytes), an encoding (a 6/14/32-bit string length, or a 16/32/64/24/8-bit integer, or
 * an immediate 0–12), the data; then 0xFF. Only read: kv-server writes listpacks, as Redis 7 does.
 */
import { BadFormat, ByteReader, latin1Of } from './bytes.js';

export function decodeZiplist(bytes: Uint8Array): string[] {
  if (bytes.length < 11) throw new BadFormat();
  const r = new ByteReader(bytes);
  const total = r.uintLE(4);
  r.uintLE(4); // tail offset
  const count = r.uintLE(2);
  if (total !== bytes.length || bytes[total - 1] !== 0xff) throw new BadFormat();
  const out: string[] = [];
  let previous = 0;
  while (r.pos < total - 1) {
    const start = r.pos;
    const prevlen = r.byte() === 0xfe ? r.uintLE(4) : bytes[start]!;
    if (prevlen !== previous) throw new BadFormat();
    const b = r.byte();
    const type = b >> 6;
    if (type === 0) out.push(latin1Of(r.take(b & 0x3f)));
    else if (type === 1) out.push(latin1Of(r.take(((b & 0x3f) << 8) | r.byte())));
    else if (type === 2) out.push(latin1Of(r.take(r.uintBE(4))));
    else if (b === 0xc0) out.push(String(r.intLE(2)));
    else if (b === 0xd0) out.push(String(r.intLE(4)));
    else if (b === 0xe0) out.push(String(r.intLE(8)));
    else if (b === 0xf0) out.push(String(r.intLE(3)));
    else if (b === 0xfe) out.push(String(r.intLE(1)));
    else if (b >= 0xf1 && b <= 0xfd) out.push(String((b & 0x0f) - 1));
    else throw new BadFormat();
    previous = r.pos - start;
  }
  if (count !== 65535 && count !== out.length) throw new BadFormat();
  return out;
}
