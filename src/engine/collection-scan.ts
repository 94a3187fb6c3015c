/*
 * HSCAN / SSCAN (and, later, ZSCAN) over one collection, keeping SCAN's guarantee: an element
 * present from the first call to the last is returned at least once, and a full iteration ends
 * with cursor 0.
 *
 * A compact collection (listpack, intset) is returned whole in one call with cursor 0, whatever
 * the cursor and COUNT, as Redis does.
 *
 * A large collection is a dense table: its elements sit at positions 0 … size-1, an insert
 * appends at the end and a removal moves the last element into the hole (swap-remove). The scan
 * walks positions from the top down, and the cursor is simply the position below which it has
 * not looked yet — no state is kept between calls:
 *  - an element that is not moved is seen when the walk passes its position;
 *  - the only element a removal moves is the last one, into a lower position: if it was not
 *    visited yet (below the cursor) it lands lower still, so it is visited later; if it was
 *    visited, it may be visited again (a duplicate, which SCAN allows);
 *  - inserts go to the top, above the cursor: new elements may be missed, as SCAN allows;
 *  - a cursor above the current size (the table shrank) is clamped to it.
 * Cursor 0 starts at the top; the walk returns cursor 0 when it reaches position 0. A forged
 * cursor never breaks anything: it only resumes somewhere. A collection converting from its
 * compact form mid-iteration cannot happen: a compact one is never iterated across calls.
 */
import { globMatch } from './glob.js';
import { parseInt64 } from './int64.js';

/** HSCAN / SSCAN options: `COUNT n` (at least 1) and `MATCH pattern` (null: everything). */
export interface CollectionScanOptions {
  count: number;
  match: string | null;
}

/**
 * Parses `[MATCH pattern] [COUNT count]` from argv[from] on, as Redis's scanGenericCommand for a
 * key's collection (TYPE is not an option there). Returns the options or an error text:
 * `notInteger` for a COUNT that is not an integer, `syntax` for anything else wrong.
 */
export function parseCollectionScanOptions(
  argv: readonly string[],
  from: number,
  errors: { syntax: string; notInteger: string },
): CollectionScanOptions | string {
  let count = 10;
  let match: string | null = null;
  for (let i = from; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    if (i + 1 >= argv.length) return errors.syntax;
    const arg = argv[i + 1]!;
    if (opt === 'count') {
      const n = parseInt64(arg);
      if (n === null) return errors.notInteger;
      if (n < 1) return errors.syntax;
      count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    } else if (opt === 'match') {
      match = arg === '*' ? null : arg;
    } else return errors.syntax;
  }
  return { count, match };
}

/** What the scan needs of a collection. */
export interface ScannableCollection {
  /** number of elements (positions 0 … size-1) */
  readonly size: number;
  /** listpack / intset: returned whole in one call */
  readonly compact: boolean;
  /** the string MATCH tests at position i (a hash's field, a set's member) */
  keyAt(i: number): string;
}

/**
 * One scan step of `coll` from `cursor`: calls `emit(i)` for each position whose key passes
 * MATCH (after COUNT positions are visited, or all of them for a compact collection) and returns
 * the next cursor (0n when done).
 */
export function scanCollection(
  coll: ScannableCollection,
  cursor: bigint,
  opts: CollectionScanOptions,
  emit: (i: number) => void,
): bigint {
  const size = coll.size;
  const match = opts.match;
  if (coll.compact) {
    for (let i = 0; i < size; i++) if (match === null || globMatch(match, coll.keyAt(i))) emit(i);
    return 0n;
  }
  const start = cursor === 0n || cursor > BigInt(size) ? size : Number(cursor);
  const end = Math.max(0, start - opts.count);
  for (let i = start - 1; i >= end; i--) if (match === null || globMatch(match, coll.keyAt(i))) emit(i);
  return BigInt(end);
}
