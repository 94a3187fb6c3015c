/*
 * Differential keyspace commands: DEL/EXISTS/TYPE/RENAME/MOVE/COPY, the EXPIRE and TTL families,
 * FLUSHDB/FLUSHALL/SWAPDB/DBSIZE, OBJECT, KEYS and SCAN, byte for byte against redis-server.
 */
import { differentialSuite, type Step } from './differential.js';

/** KEYS and SCAN list keys in an order that depends on the hash table: compare them sorted. */
function sortedKeys(raw: string): string {
  const lines = raw.split('\r\n');
  const header: string[] = [];
  // a SCAN reply: *2, $n cursor-bytes, *k, then k bulks; a KEYS reply: *k then k bulks
  let i = 0;
  if (lines[0] === '*2' && lines[1]!.startsWith('$')) {
    header.push(lines[0]!, lines[1]!, lines[2]!);
    i = 3;
  }
  header.push(lines[i]!);
  const items: string[] = [];
  for (let j = i + 1; j + 1 < lines.length; j += 2) items.push(`${lines[j]}\r\n${lines[j + 1]}`);
  return [...header, ...items.sort()].join('\r\n');
}

/** A KEYS or full SCAN step, compared with its keys sorted. */
const keys = (...cmd: string[]): Step => ({ cmd, normalize: sortedKeys });
/** A TTL-like reply: the two servers read their clocks a few ms apart. */
const ttl = (...cmd: string[]): Step => ({ cmd, tolerance: 1 });
const pttl = (...cmd: string[]): Step => ({ cmd, tolerance: 50 });

differentialSuite('differential: keyspace', {
  'flushall and flushdb': [
    ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'b', '2'], ['FLUSHDB'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
    ['SET', 'c', '3'], ['FLUSHALL'], ['DBSIZE'], ['GET', 'a'], ['FLUSHALL', 'SYNC'], ['FLUSHALL', 'async'], ['FLUSHDB', 'ASYNC'],
    ['FLUSHDB', 'sync'], ['FLUSHALL', 'foo'], ['FLUSHALL', 'SYNC', 'ASYNC'], ['FLUSHDB', 'async', 'x'], ['FLUSHDB', 'bar'],
  ],
});
