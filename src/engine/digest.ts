/*
 * The 64-bit XXH3 digest (seed 0) of a value, as Redis 8.4's DIGEST and the IFDEQ/IFDNE
 * conditions compute it: 16 lowercase hex digits, leading zeros kept. hash-wasm's hasher is
 * created asynchronously, so this module creates one when it is loaded (top-level await: no
 * command can run before it exists) and then uses it synchronously.
 */
import { createXXHash3, type IHasher } from 'hash-wasm';

const hasher: IHasher = await createXXHash3(0, 0);

/** XXH3-64 of the bytes of `s` (a latin1 string: one char per byte), as 16 lowercase hex digits. */
export function digestOf(s: string): string {
  hasher.init();
  hasher.update(Buffer.from(s, 'latin1'));
  return hasher.digest('hex');
}

/** Whether `s` is a digest as IFDEQ/IFDNE accept it: exactly 16 hex digits, either case. */
export function isDigestText(s: string): boolean {
  return /^[0-9a-fA-F]{16}$/.test(s);
}
