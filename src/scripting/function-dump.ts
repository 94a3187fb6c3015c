/*
 * FUNCTION DUMP / RESTORE payloads in Redis 7.0's format, so that payloads move between kv-server
 * and Redis: for each library the RDB function opcode (0xF5) and its code as an RDB string (LZF-
 * compressed as Redis compresses it), then the RDB version and CRC-64 footer of every DUMP payload
 * (engine/rdb/).
 */
import { BadFormat, ByteReader, ByteWriter, latin1Of } from '../engine/rdb/bytes.js';
import { crc64 } from '../engine/rdb/crc64.js';
import { readString, writeString } from '../engine/rdb/rdb-string.js';
import { RDB_VERSION } from '../engine/rdb/rdb-value.js';

const OPCODE_FUNCTION2 = 0xf5;

/** The FUNCTION DUMP payload of these libraries (latin1). */
export function dumpLibraries(libs: ReadonlyArray<{ code: string }>): string {
  const w = new ByteWriter();
  for (const lib of libs) {
    w.byte(OPCODE_FUNCTION2);
    writeString(w, lib.code);
  }
  w.byte(RDB_VERSION & 0xff);
  w.byte(RDB_VERSION >> 8);
  w.bytes(crc64(w.result()));
  return latin1Of(w.result());
}

/** The library codes in a payload, or null when it is not a valid one. */
export function restorePayload(payload: string): string[] | null {
  const bytes = Buffer.from(payload, 'latin1');
  if (bytes.length < 10) return null;
  const footer = bytes.length - 10;
  const crc = crc64(bytes.subarray(0, bytes.length - 8));
  for (let i = 0; i < 8; i++) if (crc[i] !== bytes[footer + 2 + i]) return null;
  if ((bytes[footer]! | (bytes[footer + 1]! << 8)) > RDB_VERSION) return null;
  const r = new ByteReader(bytes, footer);
  const codes: string[] = [];
  try {
    while (r.left > 0) {
      if (r.byte() !== OPCODE_FUNCTION2) return null;
      codes.push(readString(r));
    }
  } catch (e) {
    if (e instanceof BadFormat) return null;
    throw e;
  }
  return codes;
}
