/*
 * HyperLogLog commands, after Redis's hyperloglog.c: PFADD, PFCOUNT, PFMERGE and PFDEBUG. A
 * HyperLogLog is a string value in Redis's exact layout (see engine/hyperloglog.ts), so GET/SET
 * carry it to and from a real Redis. Edits happen on a MutableString in place; a value stored in
 * another representation (a plain string SET by a client) is copied into one, which replaces it
 * only when the command changes it.
 */
import { bytesOf, mutableCopy } from '../engine/bitops.js';
import {
  HLL_REGISTERS,
  HLL_SPARSE,
  denseGet,
  hllAdd,
  hllCacheValid,
  hllCachedCount,
  hllCount,
  hllCountRaw,
  hllCreate,
  hllDecodeSparse,
  hllInvalidateCache,
  hllMerge,
  hllSet,
  hllSparseToDense,
  hllStoreCount,
  isHll,
} from '../engine/hyperloglog.js';
import { isString, MutableString, type StringValue, type Value } from '../engine/values.js';
import { cString, Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

/** The bytes of `v` when it is a valid HyperLogLog, else the error to reply (Redis's order:
 *  WRONGTYPE for other types, then the HyperLogLog checks; an int-encoded string is invalid). */
function hllBytes(v: Value): Uint8Array | string {
  if (!isString(v)) return Err.WRONGTYPE;
  if (typeof v === 'number' || typeof v === 'bigint') return Err.HLL_WRONGTYPE;
  const bytes = bytesOf(v);
  return isHll(bytes, bytes.length) ? bytes : Err.HLL_WRONGTYPE;
}

/** `v` as a MutableString to edit: itself, or a copy that the caller stores if it changes it. */
function editable(v: StringValue): MutableString {
  return v instanceof MutableString ? v : mutableCopy(v);
}

/**
 * Stores the edited `m` at `key`, where `old` was found (undefined: missing): the write path for
 * an edit in place (`before`: the buffer size before it), or the copy replacing `old`.
 */
function storeEdited(c: Client, key: string, old: Value | undefined, m: MutableString, before: number): void {
  if (old === undefined) c.db.set(key, m);
  else if (old !== m) c.db.replace(key, old, m);
  else c.db.changed(key, m.buf.length - before);
}

function sparseMax(c: Client): number {
  return c.server.config.int('hll-sparse-max-bytes');
}

/* PFADD key [element [element ...]] */
function pfaddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.lookupWrite(key, c.now);
  let m: MutableString;
  let updated = 0;
  if (v === undefined) {
    m = hllCreate();
    updated++;
  } else {
    const check = hllBytes(v);
    if (typeof check === 'string') return c.reply.error(check);
    m = editable(v as StringValue);
  }
  const before = m.buf.length;
  const max = sparseMax(c);
  let corrupted = false;
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(m, argv[j]!, max);
    if (r === 1) updated++;
    else if (r === -1) {
      corrupted = true;
      break;
    }
  }
  if (updated !== 0) {
    hllInvalidateCache(m.buf);
    storeEdited(c, key, v, m, before);
    // as Redis: a change per register raised (and the creation)
    c.db.countChanges(updated - 1);
    if (!corrupted) c.notify('$', 'pfadd', key);
  } else if (m !== v) {
    // unchanged, but stored raw from now on as Redis's dbUnshareStringValue does (no change)
    c.db.convert(key, m);
  }
  if (corrupted) c.reply.error(Err.HLL_CORRUPTED);
  else c.reply.int(updated !== 0 ? 1 : 0);
}

/* PFCOUNT key [key ...] */
function pfcountCommand(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    // the cardinality of the union, registers kept one per byte
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const v = c.db.lookupRead(argv[j]!, c.now);
      if (v === undefined) continue;
      const bytes = hllBytes(v);
      if (typeof bytes === 'string') return c.reply.error(bytes);
      if (!hllMerge(max, bytes, bytes.length)) return c.reply.error(Err.HLL_CORRUPTED);
    }
    return c.reply.int(hllCountRaw(max));
  }
  const key = argv[1]!;
  const v = c.db.lookupRead(key, c.now);
  if (v === undefined) return c.reply.int(0);
  const bytes = hllBytes(v);
  if (typeof bytes === 'string') return c.reply.error(bytes);
  if (hllCacheValid(bytes)) {
    // stored raw from now on, as Redis's dbUnshareStringValue does
    if (!(v instanceof MutableString)) c.db.replace(key, v, editable(v as StringValue));
    return c.reply.int(hllCachedCount(bytes));
  }
  const card = hllCount(bytes, bytes.length);
  if (card < 0) return c.reply.error(Err.HLL_CORRUPTED);
  // the count is cached in the value: a change to the key, as in Redis
  const m = editable(v as StringValue);
  hllStoreCount(m.buf, card);
  storeEdited(c, key, v, m, m.buf.length);
  c.reply.int(card);
}

/* PFMERGE destkey [sourcekey [sourcekey ...]] */
function pfmergeCommand(c: Client, argv: string[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let dense = false;
  // the destination is a source too
  for (let j = 1; j < argv.length; j++) {
    const v = c.db.lookupRead(argv[j]!, c.now);
    if (v === undefined) continue;
    const bytes = hllBytes(v);
    if (typeof bytes === 'string') return c.reply.error(bytes);
    if (bytes[4] !== HLL_SPARSE) dense = true;
    if (!hllMerge(max, bytes, bytes.length)) return c.reply.error(Err.HLL_CORRUPTED);
  }
  const key = argv[1]!;
  const v = c.db.lookupWrite(key, c.now);
  const m = v === undefined ? hllCreate() : editable(v as StringValue);
  const before = m.buf.length;
  // a dense source makes the destination dense at once
  if (dense && !hllSparseToDense(m)) return c.reply.error(Err.HLL_CORRUPTED);
  const limit = sparseMax(c);
  for (let j = 0; j < HLL_REGISTERS; j++) if (max[j] !== 0) hllSet(m, j, max[j]!, limit);
  hllInvalidateCache(m.buf);
  storeEdited(c, key, v, m, before);
  // a merge is a mass PFADD: Redis signals it so
  c.notify('$', 'pfadd', key);
  c.reply.ok();
}

/* PFDEBUG <GETREG|DECODE|ENCODING|TODENSE> key */
function pfdebugCommand(c: Client, argv: string[]): void {
  // compared as a C string (strcasecmp), up to a NUL byte, as in Redis
  const sub = cString(argv[1]!).toLowerCase();
  const key = argv[2]!;
  const v = c.db.lookupWrite(key, c.now);
  if (v === undefined) return c.reply.error(Err.PFDEBUG_NO_KEY);
  const bytes = hllBytes(v);
  if (typeof bytes === 'string') return c.reply.error(bytes);
  const sparse = bytes[4] === HLL_SPARSE;
  if (sub === 'getreg' || sub === 'todense') {
    let m: MutableString | null = null;
    if (sparse) {
      m = editable(v as StringValue);
      const before = m.buf.length;
      if (!hllSparseToDense(m)) return c.reply.error(Err.HLL_CORRUPTED);
      storeEdited(c, key, v, m, before);
    }
    if (sub === 'todense') return c.reply.int(sparse ? 1 : 0);
    const regs = m === null ? bytes : m.buf;
    c.reply.array(HLL_REGISTERS);
    for (let j = 0; j < HLL_REGISTERS; j++) c.reply.int(denseGet(regs, j));
  } else if (sub === 'decode') {
    if (!sparse) return c.reply.error(Err.PFDEBUG_NOT_SPARSE);
    c.reply.bulk(hllDecodeSparse(bytes, bytes.length) ?? '');
  } else if (sub === 'encoding') {
    c.reply.simple(sparse ? 'sparse' : 'dense');
  } else {
    c.reply.error(Err.PFDEBUG_UNKNOWN(argv[1]!));
  }
}

export const hyperloglogCommands: CommandRow[] = [
  { name: 'pfadd', arity: -2, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@hyperloglog', handler: pfaddCommand },
  { name: 'pfcount', arity: -2, flags: 'readonly may_replicate', keys: [1, -1, 1], categories: '@hyperloglog', handler: pfcountCommand },
  { name: 'pfmerge', arity: -2, flags: 'write denyoom', keys: [1, -1, 1], categories: '@hyperloglog', handler: pfmergeCommand },
  { name: 'pfdebug', arity: 3, flags: 'write denyoom admin', keys: [2, 2, 1], categories: '@hyperloglog', handler: pfdebugCommand },
];
