/*
 * DUMP payloads as Redis 7.0 makes them (cluster.c createDumpPayload / verifyDumpPayload): the
 * serialized value, the RDB version as 2 little-endian bytes, and the CRC-64 of everything before
 * it as 8 little-endian bytes.
 */
import type { Value } from '../values.js';
import { BadFormat, ByteReader, ByteWriter } from './bytes.js';
import { crc64 } from './crc64.js';
import { RDB_VERSION, readValue, writeValue, type RdbLimits } from './rdb-value.js';

/** The DUMP payload of `v`; null for a type without an RDB form here (see writeValue). */
export function dumpPayload(v: Value, limits: RdbLimits): Uint8Array | null {
  const w = new ByteWriter();
  if (!writeValue(w, v, limits)) return null;
  w.byte(RDB_VERSION & 0xff);
  w.byte(RDB_VERSION >> 8);
  w.bytes(crc64(w.result()));
  return w.result();
}

/** Why a payload cannot be restored: its footer (version/checksum) or its body. */
export type PayloadError = 'checksum' | 'format';

/** The value a payload holds, or why it cannot be restored (version and checksum first). */
export function loadPayload(payload: Uint8Array, limits: RdbLimits, skipChecksum = false): Value | PayloadError {
  if (payload.length < 10) return 'checksum';
  const footer = payload.length - 10;
  const version = payload[footer]! | (payload[footer + 1]! << 8);
  if (version > RDB_VERSION) return 'checksum';
  if (!skipChecksum) {
    const crc = crc64(payload.subarray(0, payload.length - 8));
    for (let i = 0; i < 8; i++) if (crc[i] !== payload[footer + 2 + i]) return 'checksum';
  }
  try {
    const r = new ByteReader(payload, footer);
    const v = readValue(r, limits);
    // Redis does not insist the body ends at the footer; neither does this
    return v;
  } catch (e) {
    // BadFormat, or a RangeError of a length no real payload has: never more than a bad payload
    if (e instanceof BadFormat || e instanceof RangeError) return 'format';
    throw e;
  }
}
