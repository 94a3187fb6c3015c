/*
 * Small collections stored as bytes in their records, not as objects on the V8 heap.
 *
 * A small hash, intset, sorted set … is already one packed string inside its object (its
 * compact encoding, like Redis's listpack); what it cost beyond those bytes was the object, the
 * string's header and a handle-table slot per key. So a value whose kind has a `Packing` and is
 * in its compact form is stored as its packed bytes in the record (tag T_PACKED: the kind's id
 * byte, then the bytes), like a string.
 *
 * Commands still see objects. A lookup that lands on a packed record unpacks it once and keeps
 * the object in hand ("live") until the end of the command, so every lookup of the key in the
 * command returns that same object and edits to it are seen; `Database.changed` marks it, and
 * `settle` — which dispatch calls after each command — packs every marked object back into its
 * record (or keeps it as an object held by handle when it has outgrown its compact form), then
 * lets go of all of them. Reads cost one unpack (the object wraps the packed string: no per-
 * element work for hashes, sets and sorted sets); writes cost the pack, as Redis's listpack
 * writes copy the listpack — except where a kind's `packEdit` says which stored bytes to keep
 * (a list's pushes and pops at its ends): then only the changed bytes are written.
 */
import type { Packing, Value, ValueKind } from './values.js';

const byId: Array<ValueKind<any> | undefined> = [];

/** Registers a kind's packing (at module load of the kind's file). */
export function registerPacking<V>(kind: ValueKind<V>): void {
  const id = kind.packing!.id;
  if (byId[id] !== undefined && byId[id] !== kind) throw new Error(`packing id ${id} registered twice`);
  byId[id] = kind;
}

/** The packing of `v`'s kind, when it is a collection whose kind has one. */
export function packingOf(v: Value): Packing<any> | undefined {
  return typeof v === 'object' && 'kind' in v ? (v.kind as ValueKind<unknown>).packing : undefined;
}

/** The value stored as `bytes` by the packing of id `id`. */
export function unpackValue(id: number, bytes: string): Value {
  const kind = byId[id];
  if (kind === undefined) throw new Error(`no packed kind ${id}`);
  return kind.packing!.unpack(bytes) as Value;
}
