/*
 * The key finders of commands whose keys move with their arguments (a row's `getKeys`, Redis's
 * getkeys_proc) that several families share: a count of keys followed by the keys. COMMAND
 * GETKEYS falls back to these when the key specs cannot tell (a count that is not a clean
 * integer, zero keys, more keys than arguments).
 */
import type { GetKeys, KeyRef } from './command-types.js';

/**
 * C's atoi as glibc implements it ((int) strtol): leading white space, a sign, digits; whatever
 * follows is ignored; out of range saturates to a long, then keeps its low 32 bits.
 */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)!;
  if (m[2] === '') return 0;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  if (v > 9223372036854775807n) v = 9223372036854775807n;
  if (v < -9223372036854775808n) v = -9223372036854775808n;
  return Number(BigInt.asIntN(32, v));
}

/**
 * Keys counted by argv[countPos] (read as atoi), starting at argv[firstPos], then the key at
 * `storePos` when it is not 0 (ZUNIONSTORE's destination), without flags: Redis's
 * genericGetKeys with a key step of 1. No keys when the count is below 1 or passes the end.
 */
export function countedKeys(countPos: number, firstPos: number, storePos = 0): GetKeys {
  return (argv) => {
    const num = atoi(argv[countPos]!);
    if (num < 1 || num > argv.length - firstPos) return [];
    const keys: KeyRef[] = [];
    for (let i = 0; i < num; i++) keys.push({ pos: firstPos + i, flags: [] });
    if (storePos !== 0) keys.push({ pos: storePos, flags: [] });
    return keys;
  };
}
