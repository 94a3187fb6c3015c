/*
 * Differential keyspace commands: DEL/EXISTS/TYPE/RENAME/MOVE/COPY, the EXPIRE and TTL families,
 * FLUSHDB/FLUSHALL/SWAPDB/DBSIZE, OBJECT, KEYS and SCAN, byte for byte against redis-server.
 */
import { differentialSuite, type Step } from './differential.js';
import { decodeReply, type Decoded } from './harness.js';

/** KEYS and SCAN list keys in an order that depends on the hash table: compare them sorted. */
function sortedKeys(raw: string, isScan: boolean): string {
  if (!raw.startsWith('*')) return raw;
  const reply = decodeReply(raw) as Decoded[];
  if (!isScan) return JSON.stringify([...reply].sort());
  // a SCAN reply: [cursor, keys]
  return `cursor ${reply[0]} ${JSON.stringify([...(reply[1] as Decoded[])].sort())}`;
}

/** A KEYS or full SCAN step, compared with its keys sorted. */
const keys = (...cmd: string[]): Step => ({ cmd, normalize: (raw) => sortedKeys(raw, cmd[0] === 'SCAN') });
/** A TTL-like reply: the two servers read their clocks a few ms apart. */
const ttl = (...cmd: string[]): Step => ({ cmd, tolerance: 1 });
const pttl = (...cmd: string[]): Step => ({ cmd, tolerance: 50 });
/** SET steps for key-value pairs (MSET belongs to another family). */
function sets(...kv: string[]): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < kv.length; i += 2) out.push({ cmd: ['SET', kv[i]!, kv[i + 1]!] });
  return out;
}

differentialSuite('differential: keyspace', {
  'flushall and flushdb': [
    ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'b', '2'], ['FLUSHDB'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
    ['SET', 'c', '3'], ['FLUSHALL'], ['DBSIZE'], ['GET', 'a'], ['FLUSHALL', 'SYNC'], ['FLUSHALL', 'async'], ['FLUSHDB', 'ASYNC'],
    ['FLUSHDB', 'sync'], ['FLUSHALL', 'foo'], ['FLUSHALL', 'SYNC', 'ASYNC'], ['FLUSHDB', 'async', 'x'], ['FLUSHDB', 'bar'],
  ],
  'del, unlink, exists, touch': [
    ['SET', 'a', '1'], ['SET', 'b', '2'], ['EXISTS', 'a', 'a', 'b', 'nope'], ['TOUCH', 'a', 'a', 'nope'],
    ['DEL', 'a', 'a', 'nope'], ['EXISTS', 'a'], ['UNLINK', 'b', 'b'], ['DEL', 'nope'], ['DEL'], ['UNLINK'], ['EXISTS'], ['TOUCH'],
    ['SET', '', 'empty'], ['EXISTS', ''], ['DEL', ''],
  ],
  'type': [['SET', 'a', 'x'], ['TYPE', 'a'], ['SET', 'n', '12'], ['TYPE', 'n'], ['TYPE', 'nope'], ['TYPE'], ['TYPE', 'a', 'b']],
  'expire and ttl': [
    ['SET', 'a', 'v'], ['TTL', 'a'], ['PTTL', 'a'], ['EXPIRETIME', 'a'], ['PEXPIRETIME', 'a'],
    ['TTL', 'nope'], ['PTTL', 'nope'], ['EXPIRETIME', 'nope'], ['PEXPIRETIME', 'nope'],
    ['EXPIRE', 'a', '100'], ttl('TTL', 'a'), pttl('PTTL', 'a'), ['PEXPIRE', 'a', '100000'], ttl('TTL', 'a'),
    ['EXPIRE', 'nope', '100'], ['PEXPIRE', 'nope', '100'], ['EXPIREAT', 'nope', '100'], ['PEXPIREAT', 'nope', '100'],
    ['EXPIREAT', 'a', '4000000000'], ttl('TTL', 'a'), ['EXPIRETIME', 'a'], ['PEXPIRETIME', 'a'],
    ['PEXPIREAT', 'a', '4000000000123'], ['PEXPIRETIME', 'a'], ['EXPIRETIME', 'a'], ['PEXPIREAT', 'a', '4000000000499'], ['EXPIRETIME', 'a'],
    ['PEXPIREAT', 'a', '4000000000500'], ['EXPIRETIME', 'a'],
    ['PERSIST', 'a'], ['PERSIST', 'a'], ['PERSIST', 'nope'], ['TTL', 'a'],
    ['SET', 'a', 'v', 'EX', '100'], ['SET', 'a', 'w'], ['TTL', 'a'], ['SET', 'a', 'v', 'EX', '100'], ['SET', 'a', 'w', 'KEEPTTL'], ttl('TTL', 'a'),
  ],
  'expire in the past deletes': [
    ['SET', 'a', 'v'], ['EXPIRE', 'a', '0'], ['EXISTS', 'a'], ['SET', 'a', 'v'], ['EXPIRE', 'a', '-5'], ['GET', 'a'],
    ['SET', 'a', 'v'], ['PEXPIRE', 'a', '-1'], ['GET', 'a'], ['SET', 'a', 'v'], ['EXPIREAT', 'a', '1'], ['GET', 'a'],
    ['SET', 'a', 'v'], ['PEXPIREAT', 'a', '0'], ['GET', 'a'], ['SET', 'a', 'v'], ['PEXPIREAT', 'a', '-9223372036854775808'], ['GET', 'a'],
    ['SET', 'a', 'v'], ['EXPIRE', 'a', '-9223372036854775'], ['GET', 'a'],
  ],
  'expire errors and overflow': [
    ['SET', 'a', 'v'], ['EXPIRE', 'a', 'x'], ['EXPIRE', 'a', '1.5'], ['EXPIRE', 'a', ''], ['EXPIRE', 'a', '9223372036854775807'],
    ['EXPIRE', 'a', '9223372036854776'], ['EXPIRE', 'a', '9223372036854770'], ['EXPIRE', 'a', '-9223372036854776'],
    ['PEXPIRE', 'a', '9223372036854775807'], ['PEXPIRE', 'a', '9223372036854775808'], ['EXPIREAT', 'a', '9223372036854776'],
    ['PEXPIREAT', 'a', '9223372036854775807'],
    // expiry times are doubles: beyond 2^53 ms they round (to 2048 ms near 2^63)
    { cmd: ['TTL', 'a'], tolerance: 3 }, ['EXPIRE', 'a'], ['EXPIRE'], ['TTL'], ['PERSIST'],
    ['EXPIRE', 'a', '10', 'foo'], ['EXPIRE', 'nope', '10', 'bar'], ['EXPIRE', 'a', 'x', 'foo'], ['EXPIRE', 'a', 'x', 'nx'],
    ['PEXPIREAT', 'a', '10', 'NX', 'XX'], ['EXPIREAT', 'a', '10', 'nx', 'gt'], ['EXPIRE', 'a', '10', 'nx', 'lt'],
    ['EXPIRE', 'a', '10', 'gt', 'lt'], ['PEXPIRE', 'a', '10', 'LT', 'GT'], ['EXPIRE', 'a', '10', 'xx', 'nx'], ['EXPIRE', 'a', '10', 'gt', 'xx', 'lt'],
  ],
  'expire nx xx gt lt': [
    ['SET', 'a', 'v'], ['EXPIRE', 'a', '100', 'XX'], ['EXPIRE', 'a', '100', 'GT'], ['TTL', 'a'], ['EXPIRE', 'a', '100', 'LT'], ttl('TTL', 'a'),
    ['EXPIRE', 'a', '50', 'NX'], ttl('TTL', 'a'), ['EXPIRE', 'a', '200', 'XX'], ttl('TTL', 'a'), ['EXPIRE', 'a', '300', 'GT'], ttl('TTL', 'a'),
    ['EXPIRE', 'a', '250', 'GT'], ['EXPIRE', 'a', '400', 'LT'], ['EXPIRE', 'a', '100', 'lt'], ttl('TTL', 'a'),
    // not 100 again: the same relative time read a millisecond later is greater, so GT would
    // depend on whether either server's clock ticked between the two commands
    ['EXPIRE', 'a', '90', 'xx', 'gt'],
    ['EXPIRE', 'a', '200', 'xx', 'gt'], ttl('TTL', 'a'), ['EXPIRE', 'a', '-1', 'LT'], ['EXISTS', 'a'],
    ['SET', 'b', 'v'], ['EXPIRE', 'b', '-1', 'LT'], ['EXISTS', 'b'], ['SET', 'b', 'v'], ['EXPIRE', 'b', '-1', 'GT'], ['EXISTS', 'b'],
    ['EXPIRE', 'b', '10', 'nx', 'NX'], ttl('TTL', 'b'), ['EXPIRE', 'nope', '10', 'XX'],
  ],
  'a key expires': [
    ['SET', 'a', 'v', 'PX', '30'], ['SET', 'b', 'v'], { cmd: ['PEXPIRE', 'b', '30'], sleepAfter: 80 },
    ['GET', 'a'], ['EXISTS', 'b'], ['TTL', 'a'], ['DBSIZE'], ['KEYS', '*'],
  ],
  'rename and renamenx': [
    ['SET', 'a', '1'], ['RENAME', 'a', 'b'], ['GET', 'a'], ['GET', 'b'], ['RENAME', 'nope', 'x'], ['RENAME', 'nope', 'nope'],
    ['RENAME', 'b', 'b'], ['RENAMENX', 'b', 'b'], ['RENAMENX', 'nope', 'b'], ['SET', 'c', '3'], ['RENAMENX', 'b', 'c'], ['GET', 'b'],
    ['RENAMENX', 'b', 'd'], ['GET', 'd'], ['RENAME', 'd', 'c'], ['GET', 'c'], ['EXISTS', 'd'],
    ['SET', 'e', 'v', 'EX', '100'], ['RENAME', 'e', 'f'], ttl('TTL', 'f'), ['SET', 'g', 'w', 'EX', '100'], ['RENAME', 'c', 'g'], ['TTL', 'g'],
    ['RENAME', 'f', '{x}f'], ttl('TTL', '{x}f'), ['RENAME', 'a'], ['RENAMENX', 'a', 'b', 'c'],
  ],
  'move': [
    ['SET', 'a', 'v', 'EX', '100'], ['MOVE', 'a', '1'], ['EXISTS', 'a'], ['SELECT', '1'], ['GET', 'a'], ttl('TTL', 'a'),
    ['MOVE', 'a', '1'], ['MOVE', 'nope', '1'], ['MOVE', 'nope', '0'], ['SET', 'b', 'db1'], ['SELECT', '0'], ['SET', 'b', 'db0'],
    ['MOVE', 'b', '1'], ['GET', 'b'], ['MOVE', 'b', '16'], ['MOVE', 'b', '-1'], ['MOVE', 'b', 'x'], ['MOVE', 'b', '99999999999'],
    ['MOVE', 'b', '2147483648'], ['MOVE', 'b', '-2147483649'], ['MOVE', 'b', '1.0'], ['MOVE', 'b'], ['DBSIZE'], ['SELECT', '1'], ['DBSIZE'],
  ],
  'copy': [
    ['SET', 'a', 'v', 'EX', '100'], ['COPY', 'a', 'b'], ['GET', 'b'], ttl('TTL', 'b'), ['COPY', 'a', 'b'], ['SET', 'a', 'w'],
    ['COPY', 'a', 'b', 'REPLACE'], ['GET', 'b'], ['TTL', 'b'], ['COPY', 'a', 'a'], ['COPY', 'nope', 'a'], ['COPY', 'nope', 'nope'],
    ['COPY', 'a', 'a', 'DB', '0'], ['COPY', 'a', 'a', 'DB', '1'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'],
    ['COPY', 'a', 'a', 'DB', '1'], ['COPY', 'a', 'a', 'db', '1', 'replace'], ['COPY', 'a', 'b', 'DB'], ['COPY', 'a', 'b', 'DB', 'x'],
    ['COPY', 'a', 'b', 'DB', '16'], ['COPY', 'a', 'b', 'DB', '-1'], ['COPY', 'a', 'b', 'DB', '99999999999'], ['COPY', 'a', 'b', 'foo'],
    ['COPY', 'a', 'b', 'DB', '1', 'DB', 'x'], ['COPY', 'a', 'b', 'REPLACE', 'REPLACE'], ['COPY', 'a'],
  ],
  'dbsize and swapdb': [
    ['DBSIZE'], ['SET', 'a', '0'], ['SET', 'b', '0'], ['DBSIZE'], ['SELECT', '3'], ['SET', 'c', '3'], ['SWAPDB', '0', '3'], ['DBSIZE'],
    ['GET', 'a'], ['SELECT', '0'], ['GET', 'c'], ['DBSIZE'], ['SWAPDB', '0', '0'], ['GET', 'c'], ['SWAPDB', '0', '16'], ['SWAPDB', '16', '0'],
    ['SWAPDB', 'x', '1'], ['SWAPDB', '1', 'x'], ['SWAPDB', 'x', 'y'], ['SWAPDB', '-1', '1'], ['SWAPDB', '1', '-1'],
    ['SWAPDB', '99999999999', '1'], ['SWAPDB', '1', '99999999999'], ['SWAPDB', '1.5', '1'], ['SWAPDB', '1'], ['DBSIZE', 'x'],
  ],
  'randomkey': [['RANDOMKEY'], ['SET', 'only', 'v'], ['RANDOMKEY'], ['RANDOMKEY', 'x'], ['SET', '\x00\xff', 'b'], ['DEL', 'only'], ['RANDOMKEY']],
  'object': [
    ['SET', 'i', '123'], ['SET', 'big', '12345678901234567890'], ['SET', 'neg', '-5'], ['SET', 's', 'hello'], ['SET', 'lead', '0123'],
    ['SET', 'long', 'x'.repeat(45)], ['SET', 'e44', 'y'.repeat(44)], ['SET', 'huge', '9223372036854775808'],
    ['OBJECT', 'ENCODING', 'i'], ['OBJECT', 'ENCODING', 'big'], ['OBJECT', 'encoding', 'neg'], ['OBJECT', 'ENCODING', 's'],
    ['OBJECT', 'ENCODING', 'lead'], ['OBJECT', 'ENCODING', 'long'], ['OBJECT', 'ENCODING', 'e44'], ['OBJECT', 'ENCODING', 'huge'],
    ['OBJECT', 'ENCODING', 'nope'],
    ['SET', 'z', '0'], ['SET', 'k', '9999'], ['SET', 'k1', '10000'],
    ['OBJECT', 'REFCOUNT', 'i'], ['OBJECT', 'REFCOUNT', 'z'], ['OBJECT', 'REFCOUNT', 'k'], ['OBJECT', 'REFCOUNT', 'k1'], ['OBJECT', 'REFCOUNT', 'neg'],
    ['OBJECT', 'REFCOUNT', 's'], ['OBJECT', 'REFCOUNT', 'big'], ['OBJECT', 'REFCOUNT', 'nope'],
    ['OBJECT', 'FREQ', 'i'], ['OBJECT', 'FREQ', 'nope'], ['OBJECT', 'IDLETIME', 'nope'],
    // a shared integer's idle time counts from each server's own start (seconds apart under load)
    { cmd: ['OBJECT', 'IDLETIME', 'i'], normalize: (raw) => raw[0]! },
    ['OBJECT', 'HELP'], ['object', 'help'], ['OBJECT', 'HELP', 'x'], ['OBJECT'], ['OBJECT', 'foo'], ['OBJECT', 'foo', 'bar'],
    ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'a', 'b'], ['OBJECT', 'FREQ'],
  ],
  'keys': [
    ...sets('hello', '1', 'hallo', '2', 'hxllo', '3', 'hllo', '4', 'heeeello', '5', 'h[a]llo', '6', 'h*llo', '7', 'h\\llo', '8'),
    ['SET', '', 'e'], ['SET', '\x00\xff\r\n', 'bin'], ['SET', 'HELLO', 'up'],
    keys('KEYS', '*'), keys('KEYS', '**'), keys('KEYS', 'h?llo'), keys('KEYS', 'h*llo'), keys('KEYS', 'h[ae]llo'), keys('KEYS', 'h[^e]llo'),
    keys('KEYS', 'h[a-b]llo'), keys('KEYS', 'h[b-a]llo'), keys('KEYS', 'h\\[a\\]llo'), keys('KEYS', 'h\\*llo'), keys('KEYS', 'h['),
    keys('KEYS', 'h[a'), keys('KEYS', 'h[ab'), keys('KEYS', 'h[a-]llo'), keys('KEYS', '[\\]'), keys('KEYS', 'h\\\\llo'),
    keys('KEYS', '\\'), keys('KEYS', 'hello\\'), keys('KEYS', '?'), keys('KEYS', ''), keys('KEYS', '\\x00*'), keys('KEYS', '\x00*'),
    keys('KEYS', '*\n'), keys('KEYS', '[\x00-\x01]*'), keys('KEYS', '[\x80-\xff]*'), keys('KEYS', '[a-\xff]*'), keys('KEYS', '[^a-z]*'),
    keys('KEYS', 'H*'), keys('KEYS', '*l*l*o'), keys('KEYS', '*[]*'), keys('KEYS', '[]]*'), keys('KEYS', '[^]*'), keys('KEYS', 'h[\\'),
    keys('KEYS', '*?'), keys('KEYS', '?*?*?*?*?*'), keys('KEYS', 'h*[l]*'), ['KEYS'], ['KEYS', 'a', 'b'],
  ],
  'scan errors': [
    ['SCAN', 'x'], ['SCAN', '1.0'], ['SCAN', ' 1'], ['SCAN', '1 '], ['SCAN', '0x1'], ['SCAN', '+'], ['SCAN', '-'],
    ['SCAN', '18446744073709551616'], ['SCAN', '-18446744073709551616'], ['SCAN', '99999999999999999999999'],
    ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'COUNT'], ['SCAN', '0', 'MATCH'],
    ['SCAN', '0', 'TYPE'], ['SCAN', '0', 'foo', 'bar'], ['SCAN', '0', 'count', '10', 'x'], ['SCAN', 'x', 'COUNT', '0'], ['SCAN'],
  ],
  'scan of an empty database': [
    ['SCAN', '0'], ['SCAN', ''], ['SCAN', '+0'], ['SCAN', '-0'], ['SCAN', '0', 'COUNT', '1000', 'MATCH', '*', 'TYPE', 'string'],
    ['SCAN', '0', 'COUNT', '9223372036854775807'],
  ],
  'scan of a small database': [
    ...sets('a', '1', 'b', '2', 'c', '3', '\x00\xff', 'bin', 'ab', 'x'), ['SET', '', 'empty'],
    keys('SCAN', '0', 'COUNT', '1000'), keys('SCAN', '0', 'COUNT', '1000', 'MATCH', 'a*'), keys('SCAN', '0', 'MATCH', '*', 'COUNT', '1000'),
    keys('SCAN', '0', 'COUNT', '1000', 'MATCH', '**'), keys('SCAN', '0', 'count', '1000', 'type', 'string'), keys('SCAN', '0', 'COUNT', '1000', 'TYPE', 'STRING'),
    keys('SCAN', '0', 'COUNT', '1000', 'TYPE', 'list'), keys('SCAN', '0', 'COUNT', '1000', 'TYPE', 'foo'),
    keys('SCAN', '0', 'MATCH', 'a*', 'MATCH', 'b*', 'COUNT', '1000'),
  ],
  'null replies in RESP3': [
    // HELLO's reply names the server, its version and the connection id: only the switch matters here
    { cmd: ['HELLO', '3'], normalize: () => 'hello' },
    ['OBJECT', 'ENCODING', 'nope'], ['OBJECT', 'REFCOUNT', 'nope'], ['RANDOMKEY'], ['SCAN', '0'], ['KEYS', '*'], ['TYPE', 'nope'],
    ['SET', 'a', '1'], ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'HELP'], ['TTL', 'a'], ['SCAN', '0', 'MATCH', 'a'],
  ],
  'object under maxmemory policies': [
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'a', '1'], ['OBJECT', 'IDLETIME', 'a'], ['OBJECT', 'IDLETIME', 'nope'],
    ['CONFIG', 'SET', 'maxmemory', '100mb'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['SET', 'b', '5'], ['OBJECT', 'REFCOUNT', 'b'],
    { cmd: ['OBJECT', 'IDLETIME', 'b'], tolerance: 1 }, ['OBJECT', 'FREQ', 'b'], ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'], ['SET', 'c', '5'], ['OBJECT', 'REFCOUNT', 'c'],
    ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['SET', 'd', '5'], ['OBJECT', 'REFCOUNT', 'd'],
  ],
});
