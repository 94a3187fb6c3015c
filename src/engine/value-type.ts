/*
 * Typed values: what a string value was written as (KV.SETT, the binary protocol). The tag lives
 * in free bits of the record's meta word (shard.ts, bits 3-5), so a plain string pays nothing for
 * it; every RESP write stores BYTES (0), and INCR-family writes keep INT (VT_KEEP_INT).
 * Collections always carry BYTES: the tag means something for strings only.
 */

export const VT_BYTES = 0;
export const VT_STRING = 1;
export const VT_INT = 2;
export const VT_FLOAT = 3;
export const VT_DECIMAL = 4;
/** Not a stored tag: "keep INT if the value had it, else BYTES" (INCR, DECR, INCRBY, DECRBY). */
export const VT_KEEP_INT = 8;

export type ValueType = typeof VT_BYTES | typeof VT_STRING | typeof VT_INT | typeof VT_FLOAT | typeof VT_DECIMAL;

/** The tags' names, as KV.GETT / KV.TYPEOF answer and KV.SETT accepts them (index = tag). */
export const VALUE_TYPE_NAMES: readonly string[] = ['bytes', 'string', 'int', 'float', 'decimal'];

/** The tag named `name` (case-insensitive), or -1. */
export function valueTypeNamed(name: string): number {
  return VALUE_TYPE_NAMES.indexOf(name.toLowerCase());
}
