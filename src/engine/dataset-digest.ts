/*
 * DEBUG DIGEST and DIGEST-VALUE: Redis's SHA-1 signature of a dataset, so that two servers (or
 * one server before and after a reload) holding the same data answer the same 40 hex digits.
 *
 * The scheme, as Redis documents it in debug.c: unordered things (the keys of a database, the
 * members of a set, the fields of a hash, the members of a sorted set) are combined by XOR of
 * their SHA-1s, so their order does not matter; ordered things (a list's elements, a stream's
 * entries, the parts of one key's signature) are "mixed": digest = SHA1(digest XOR SHA1(data)).
 * A key's signature mixes the key, its type number (4 bytes, big-endian) and its value, and XORs
 * in "!!expire!!" when it has a TTL; a database mixes its number into the total before its keys
 * are XORed in (each key's signature, as every unit XORed in, through its own SHA-1).
 */
import { createHash } from 'node:crypto';
import { HASH, type HashValue } from './hash-value.js';
import { LIST, type ListValue } from './list-value.js';
import { SET, type SetValue } from './set-value.js';
import { ZSET, type ZSetValue } from './zset-value.js';
import { STREAM, MAX_ID, idMs, idSeq, type StreamValue } from './stream-value.js';
import { isString, kindOf, stringOf, type StringValue, type Value } from './values.js';
import { formatDouble } from '../resp/writer.js';

export type Digest = Uint8Array;

const sha1 = (data: Uint8Array): Buffer => createHash('sha1').update(data).digest();
const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');

/** digest ^= SHA1(data): order-free combination. */
export function xorDigest(digest: Digest, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) digest[i]! ^= h[i]!;
}

/** digest = SHA1(digest ^ SHA1(data)): order-keeping combination. */
export function mixDigest(digest: Digest, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

/** Redis's object type numbers (OBJ_STRING … OBJ_STREAM), as the digest mixes them. */
function typeNumber(v: Value): number {
  if (isString(v)) return 0;
  const kind = kindOf(v);
  if (kind === LIST) return 1;
  if (kind === SET) return 2;
  if (kind === ZSET) return 3;
  if (kind === HASH) return 4;
  if (kind === STREAM) return 6;
  throw new Error(`no digest for a ${kind.name}`);
}

/** Mixes one element pair (a hash field and value, a member and its score) in as one XORed unit. */
function xorPair(digest: Digest, a: string, b: string): void {
  const ele = new Uint8Array(20);
  mixDigest(ele, bytesOf(a));
  mixDigest(ele, bytesOf(b));
  xorDigest(digest, ele);
}

/** Adds a value (and whether it has a TTL) to `digest`, as Redis's xorObjectDigest. */
export function digestValue(digest: Digest, v: Value, hasTtl: boolean): void {
  const type = typeNumber(v);
  const t = new Uint8Array(4);
  new DataView(t.buffer).setUint32(0, type);
  mixDigest(digest, t);
  if (type === 0) mixDigest(digest, bytesOf(stringOf(v as StringValue)));
  else if (type === 1) (v as ListValue).forEach((e) => mixDigest(digest, bytesOf(e)));
  else if (type === 2) for (const m of (v as SetValue).members()) xorDigest(digest, bytesOf(m));
  else if (type === 3) for (const [m, score] of (v as ZSetValue).entries()) xorPair(digest, m, formatDouble(score));
  else if (type === 4) {
    const h = (v as HashValue).view();
    for (let i = 0; i < h.length; i++) xorPair(digest, h.fieldAt(i), h.valueAt(i));
  } else {
    for (const [id, pairs] of (v as StreamValue).range(0n, MAX_ID, false)) {
      mixDigest(digest, bytesOf(`${idMs(id)}.${idSeq(id)}`));
      for (const p of pairs) mixDigest(digest, bytesOf(p));
    }
  }
  if (hasTtl) xorDigest(digest, bytesOf('!!expire!!'));
}

/** One key's signature: the key mixed in, then its value. */
export function keyDigest(key: string, v: Value, hasTtl: boolean): Digest {
  const d = new Uint8Array(20);
  mixDigest(d, bytesOf(key));
  digestValue(d, v, hasTtl);
  return d;
}

/** Starts a database's part of the dataset signature (its number mixed into the total). */
export function mixDatabase(total: Digest, id: number): void {
  const t = new Uint8Array(4);
  new DataView(t.buffer).setUint32(0, id);
  mixDigest(total, t);
}

export const hexOf = (d: Digest): string => Buffer.from(d).toString('hex');
