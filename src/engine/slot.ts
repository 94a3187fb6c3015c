/*
 * Hash slots as Redis Cluster computes them: CRC16 of the key (or of its first non-empty
 * `{hash tag}`) modulo 16384. Keys are latin1 strings; cluster-key-slot would UTF-8-encode
 * chars >= 0x80, so such keys are handed to it as their raw bytes.
 */
import calculateSlot from 'cluster-key-slot';

export const SLOTS = 16384;

export function keySlot(key: string): number {
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) >= 0x80) return calculateSlot(Buffer.from(key, 'latin1'));
  }
  return calculateSlot(key);
}
