/*
 * Normalizers for differential steps whose replies Redis orders by its hash table (a
 * `hashtable`-encoded hash or set: dict order, which depends on Redis's hash function and seed
 * and cannot be reproduced) or picks at random (SPOP, SRANDMEMBER, HRANDFIELD). Each turns a raw
 * RESP reply into a canonical text: the same elements in sorted order, or only the reply's shape.
 */

/** A parsed RESP reply: the type byte and either its line or its children. */
interface Node {
  t: string;
  line: string;
  items: Node[] | null;
}

function parse(raw: string, at = { i: 0 }): Node {
  const t = raw[at.i]!;
  const eol = raw.indexOf('\r\n', at.i);
  const line = raw.slice(at.i + 1, eol);
  at.i = eol + 2;
  if (t === '$' || t === '=' || t === '!') {
    const n = Number(line);
    if (n < 0) return { t, line, items: null };
    const body = raw.slice(at.i, at.i + n);
    at.i += n + 2;
    return { t, line: body, items: null };
  }
  if (t === '*' || t === '~' || t === '%' || t === '>' || t === '|') {
    const n = Number(line);
    if (n < 0) return { t, line, items: null };
    const items: Node[] = [];
    for (let k = 0; k < (t === '%' || t === '|' ? 2 * n : n); k++) items.push(parse(raw, at));
    return { t, line, items };
  }
  return { t, line, items: null };
}

function show(n: Node): string {
  if (n.items === null) return `${n.t}${JSON.stringify(n.line)}`;
  return `${n.t}${n.line}[${n.items.map(show).join(',')}]`;
}

/** Groups `items` in runs of `size`. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sortedAggregate(n: Node, pairs: boolean): string {
  if (n.items === null) return show(n);
  // a flat RESP2 list of pairs or a RESP3 map: sort pairs; a RESP3 array of pairs sorts as elements
  const flat = pairs && (n.t === '%' || n.items.every((x) => x.items === null));
  const groups = flat ? chunks(n.items.map(show), 2).map((g) => g.join(',')) : n.items.map(show);
  return `${n.t}${n.line}[${groups.sort().join(';')}]`;
}

/** The reply with the elements of its top-level aggregate in sorted order. */
export function unordered(raw: string): string {
  return sortedAggregate(parse(raw), false);
}

/** As `unordered`, for field/value pairs (HGETALL, HRANDFIELD … WITHVALUES): pairs sorted. */
export function unorderedPairs(raw: string): string {
  return sortedAggregate(parse(raw), true);
}

/** A scan reply [cursor, elements] with its elements sorted (pairs: HSCAN's field/value). */
export function unorderedScan(pairs: boolean) {
  return (raw: string): string => {
    const n = parse(raw);
    if (n.items === null || n.items.length !== 2) return show(n);
    return `${show(n.items[0]!)} ${sortedAggregate(n.items[1]!, pairs)}`;
  };
}

/** Only the reply's type and element count (random picks: which elements varies). */
export function shape(raw: string): string {
  const n = parse(raw);
  return n.items === null ? (n.t === '$' || n.t === '_' ? `${n.t}${n.line === '-1' ? 'nil' : 'bulk'}` : show(n)) : `${n.t}${n.line}`;
}
