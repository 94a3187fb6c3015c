/*
 * The 64-bit XXH3 digest (seed 0) of a value, as Redis 8.4's DIGEST and the IFDEQ/IFDNE
 * conditions compute it: 16 lowercase hex digits, leading zeros kept. hash-wasm's hasher is
 * created asynchronously: `initDigest` creates the one hasher while the server starts
 * (startServer awaits it, before any command can run), and `digestOf` then uses it synchronously.
 * (Not a top-level await: that would make the package impossible to require() from CommonJS.)
 */
import { createXXHash3, type IHasher } from 'hash-wasm';

let hasher: IHasher | null = null;
let creating: Promise<void> | null = null;

/** Creates the hasher once (every later call returns at once). */
export function initDigest(): Promise<void> {
  if (creating === null) {
    creating = createXXHash3(0, 0).then((h) => {
      hasher = h;
    });
  }
  return creating;
}

/** XXH3-64 of the bytes of `s` (a latin1 string: one char per byte), as 16 lowercase hex digits. */
export function digestOf(s: string): string {
  if (hasher === null) throw new Error('the XXH3 hasher is not created yet (initDigest)');
  hasher.init();
  hasher.update(Buffer.from(s, 'latin1'));
  return hasher.digest('hex');
}

/** Whether `s` is a digest as IFDEQ/IFDNE accept it: exactly 16 hex digits, either case. */
export function isDigestText(s: string): boolean {
  return /^[0-9a-fA-F]{16}$/.test(s);
}
