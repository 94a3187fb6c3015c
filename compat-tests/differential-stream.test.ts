/*
 * Differential streams: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XREAD (non-blocking), XSETID
 * and XINFO STREAM, byte for byte against redis-server, RESP2 and RESP3. Explicit ids keep every
 * reply deterministic; generated ids (`*`) are compared through their shape only.
 */
import { differentialSuite, type Script } from './differential.js';

const BIN = '\x00\xff\r\n\x80bin\x00';
const MAXID = '18446744073709551615-18446744073709551615';

/** A reply with its stream ids masked: for generated ids (`*`), which follow each server's clock. */
const maskIds = (raw: string): string => raw.replace(/\d{13}-\d+/g, '<id>');

/** `n` XADDs of explicit ids `1-1 … n-1` to `key`, with field `f` and value i (each a step). */
function fill(key: string, n: number, extra: string[] = []): Script {
  const out: Script = [];
  for (let i = 1; i <= n; i++) out.push(['XADD', key, ...extra, `${i}-1`, 'f', String(i)]);
  return out;
}

const info = (key: string): Script => [['XINFO', 'STREAM', key], ['XINFO', 'STREAM', key, 'FULL']];

differentialSuite('differential: streams', {
  'xadd: explicit ids, equal or smaller, 0-0, ms-*': [
    ['XADD', 'a', '1-1', 'f', 'v'], ['XADD', 'a', '1-1', 'f', 'v'], ['XADD', 'a', '1-0', 'f', 'v'], ['XADD', 'a', '1-2', 'f', 'v', 'g', 'w'],
    ['XADD', 'a', '1-*', 'f', 'v'], ['XADD', 'a', '5-*', 'f', 'v'], ['XADD', 'a', '5', 'x', 'y'], ['XADD', 'a', '0-0', 'f', 'v'], ['XADD', 'b', '0-0', 'f', 'v'],
    ['EXISTS', 'b'], ['XADD', 'c', '0-*', 'f', 'v'], ['XADD', 'a', '4-*', 'f', 'v'], ['XRANGE', 'a', '-', '+'], ['XLEN', 'a'],
    ['XADD', 'big', MAXID, 'f', 'v'], ['XADD', 'big', '*', 'f', 'v'], ['XADD', 'big', '18446744073709551615-*', 'f', 'v'], ['XLEN', 'big'],
    ['XADD', 'd', '18446744073709551615-*', 'f', 'v'], ['XADD', 'd', '18446744073709551615-*', 'f', 'v'], ['XRANGE', 'd', '-', '+'],
    // an automatic sequence never wraps into the next millisecond
    ['XADD', 'wrap', '1-18446744073709551615', 'a', 'b'], ['XADD', 'wrap', '1-*', 'c', 'd'], ['XADD', 'wrap', '2-*', 'c', 'd'], ['XRANGE', 'wrap', '-', '+'],
  ],
  'xadd: invalid ids and arity': [
    ['XADD', 'a', 'abc', 'f', 'v'], ['XADD', 'a', '1-x', 'f', 'v'], ['XADD', 'a', '-', 'f', 'v'], ['XADD', 'a', '+', 'f', 'v'], ['XADD', 'a', '-1', 'f', 'v'],
    ['XADD', 'a', '1-1', 'f'], ['XADD', 'a', '1-1', 'f', 'v', 'g'], ['XADD', 'a', '*', 'f', 'v', 'g'], ['XADD', 'a', '18446744073709551616-0', 'f', 'v'],
    ['XADD', 'a', '1-18446744073709551616', 'f', 'v'], ['XADD', 'a', ' 1-1', 'f', 'v'], ['XADD', 'a', '+1-1', 'f', 'v'], ['XADD', 'a', '01-01', 'f', 'v'],
    ['XRANGE', 'a', '-', '+'], ['XADD', 'a', '*', 'f'], ['XADD', 'a', 'nomkstream'], ['EXISTS', 'a'],
  ],
  'xadd: generated ids': [
    { cmd: ['XADD', 'g', '*', 'f', 'v'], normalize: maskIds }, { cmd: ['XADD', 'g', '*', 'f', 'v'], normalize: maskIds }, ['XLEN', 'g'],
    { cmd: ['XADD', 'g', 'MAXLEN', '1', '*', 'f', 'v'], normalize: maskIds }, ['XLEN', 'g'], ['XADD', 'g', '1-1', 'f', 'v'],
  ],
  'xadd: nomkstream, wrongtype, binary': [
    ['XADD', 'n', 'NOMKSTREAM', '1-1', 'f', 'v'], ['EXISTS', 'n'], ['XADD', 'n', '1-1', 'f', 'v'], ['XADD', 'n', 'nomkstream', '2-1', 'f', 'v'],
    ['SET', 'str', 'x'], ['XADD', 'str', '1-1', 'f', 'v'], ['XLEN', 'str'], ['XRANGE', 'str', '-', '+'], ['XDEL', 'str', '1-1'], ['XTRIM', 'str', 'MAXLEN', '0'],
    ['XADD', BIN, '1-1', BIN, BIN, '', ''], ['XRANGE', BIN, '-', '+'], ['TYPE', BIN], ['OBJECT', 'ENCODING', BIN],
    ['XREAD', 'STREAMS', 'str', '0'], ['XINFO', 'STREAM', 'str'], ['XSETID', 'str', '1-1'],
  ],
  'xadd: trim options and their errors': [
    ['XADD', 't', 'MAXLEN', '1', 'LIMIT', '5', '*', 'f', 'v'], ['XADD', 't', 'LIMIT', '5', '*', 'f', 'v'], ['XADD', 't', 'MAXLEN', '~', '1', 'LIMIT', '-1', '*', 'f', 'v'],
    ['XADD', 't', 'MAXLEN', '-1', '*', 'f', 'v'], ['XADD', 't', 'MAXLEN', '=', 'x', '*', 'f', 'v'], ['XADD', 't', 'MAXLEN', '1', 'MINID', '1', '*', 'f', 'v'],
    ['XADD', 't', 'MINID', 'zz', '*', 'f', 'v'], ['XADD', 't', 'MINID', '-', '*', 'f', 'v'], ['XADD', 't', 'MAXLEN', 'LIMIT', '1-1', 'f', 'v'],
    ['XADD', 't', 'LIMIT', '0', '1-1', 'f', 'v'], ['XADD', 't', 'MAXLEN', '~', '0', 'LIMIT', '0', '2-1', 'f', 'v'], ['XLEN', 't'],
    ['XADD', 't', 'maxlen', '=', '1', '3-1', 'f', 'v'], ['XADD', 't', 'MAXLEN', '0', '4-1', 'f', 'v'], ['XLEN', 't'], ['XRANGE', 't', '-', '+'],
    ['XADD', 't', 'MINID', '10', '5-1', 'f', 'v'], ['XLEN', 't'], ['XADD', 't', 'MINID', '=', '5-1', '6-1', 'f', 'v'], ['XRANGE', 't', '-', '+'],
    ...info('t'),
  ],
  'xadd: approximate maxlen trims whole nodes': [
    ...fill('m', 350),
    ['XADD', 'm', 'MAXLEN', '~', '120', '351-1', 'f', 'v'], ['XLEN', 'm'], ['XRANGE', 'm', '-', '+', 'COUNT', '2'],
    ['XADD', 'm', 'MAXLEN', '~', '10', 'LIMIT', '50', '352-1', 'f', 'v'], ['XLEN', 'm'],
    ['XADD', 'm', 'MAXLEN', '~', '10', 'LIMIT', '100', '353-1', 'f', 'v'], ['XLEN', 'm'],
    ['XTRIM', 'm', 'MAXLEN', '~', '0'], ['XLEN', 'm'], ['XTRIM', 'm', 'MAXLEN', '5'], ['XLEN', 'm'], ...info('m'),
  ],
  'xadd: node size follows stream-node-max-bytes and entries': [
    ['CONFIG', 'SET', 'stream-node-max-entries', '7'], ...fill('ne', 30), ['XTRIM', 'ne', 'MAXLEN', '~', '10'], ['XLEN', 'ne'], ['XINFO', 'STREAM', 'ne'],
    ['CONFIG', 'SET', 'stream-node-max-entries', '100'], ['CONFIG', 'SET', 'stream-node-max-bytes', '200'],
    ...fill('nb', 40), ['XTRIM', 'nb', 'MAXLEN', '~', '10'], ['XLEN', 'nb'], ['XINFO', 'STREAM', 'nb'],
    ['CONFIG', 'SET', 'stream-node-max-bytes', '4096'],
    ...Array.from({ length: 60 }, (_, i) => ['XADD', 'wide', `${i + 1}-0`, 'name', 'x'.repeat(i * 3), 'n', String(i * 1000), i % 3 ? 'other' : 'name2', 'v']),
    ['XTRIM', 'wide', 'MAXLEN', '~', '5'], ['XLEN', 'wide'], ['XINFO', 'STREAM', 'wide'],
    ['CONFIG', 'GET', 'stream-node-max-bytes'], ['CONFIG', 'GET', 'stream-node-max-entries'],
  ],
  'xadd: approximate minid and xdel inside nodes': [
    ...fill('mi', 250),
    ['XDEL', 'mi', '5-1', '150-1'], ['XADD', 'mi', 'MINID', '~', '150', '251-1', 'f', 'v'], ['XLEN', 'mi'], ['XRANGE', 'mi', '-', '+', 'COUNT', '1'],
    ['XTRIM', 'mi', 'MINID', '160'], ['XLEN', 'mi'], ['XRANGE', 'mi', '-', '+', 'COUNT', '1'], ['XTRIM', 'mi', 'MINID', '~', '250'], ['XLEN', 'mi'], ...info('mi'),
  ],
  'xtrim: options and errors': [
    ...fill('x', 5), ['XTRIM', 'x', 'foo', '1'], ['XTRIM', 'x', 'MAXLEN', '1', 'bar'], ['XTRIM', 'x', 'MAXLEN', '1', 'LIMIT', '10'],
    ['XTRIM', 'x', 'MAXLEN', '~', '1', 'LIMIT', 'x'], ['XTRIM', 'x', 'NOMKSTREAM', 'MAXLEN', '1'], ['XTRIM', 'x', 'MAXLEN', '3'], ['XTRIM', 'x', 'MAXLEN', '3'],
    ['XTRIM', 'x', 'MINID', '5'], ['XRANGE', 'x', '-', '+'], ['XTRIM', 'missing', 'MAXLEN', '0'], ['XTRIM', 'x', 'MAXLEN', '0'], ['EXISTS', 'x'], ['XLEN', 'x'], ...info('x'),
  ],
  'xrange and xrevrange: bounds, exclusive, count, incomplete ids': [
    ...fill('r', 6), ['XADD', 'r', '6-2', 'g', 'w'], ['XRANGE', 'r', '-', '+'], ['XREVRANGE', 'r', '+', '-'], ['XRANGE', 'r', '2', '4'], ['XRANGE', 'r', '6', '6'],
    ['XRANGE', 'r', '(2-1', '(4-1'], ['XREVRANGE', 'r', '(6-2', '(1-1'], ['XRANGE', 'r', '-', '+', 'COUNT', '2'], ['XREVRANGE', 'r', '+', '-', 'COUNT', '2'],
    ['XRANGE', 'r', '-', '+', 'COUNT', '0'], ['XRANGE', 'r', '-', '+', 'COUNT', '-5'], ['XRANGE', 'r', '-', '+', 'count', '1', 'COUNT', '3'],
    ['XRANGE', 'r', '5', '2'], ['XRANGE', 'r', '(' + MAXID, '+'], ['XRANGE', 'r', '-', '(0-0'], ['XRANGE', 'r', '-', '+', 'COUNT', 'x'], ['XRANGE', 'r', '-', '+', 'foo'],
    ['XRANGE', 'r', '(', '+'], ['XRANGE', 'r', '(-', '+'], ['XRANGE', 'r', '(+', '+'], ['XRANGE', 'r', '-', '(+'], ['XRANGE', 'r', '(0', '(7'],
    ['XREVRANGE', 'r', '4', '2', 'COUNT', '1'], ['XRANGE', 'missing', '-', '+'], ['XREVRANGE', 'missing', '+', '-', 'COUNT', '0'], ['XRANGE', 'r', 'x', '+'],
    ['XRANGE', 'r', '-', '+', 'COUNT'], ['XRANGE', 'r', '3-18446744073709551615', '+'],
  ],
  'xrange: across many nodes both ways': [
    ...fill('big', 260), ['XDEL', 'big', '100-1', '101-1', '200-1'], ['XRANGE', 'big', '95', '105'], ['XREVRANGE', 'big', '205', '195'],
    ['XREVRANGE', 'big', '+', '-', 'COUNT', '3'], ['XRANGE', 'big', '(99-1', '+', 'COUNT', '2'], ['XREVRANGE', 'big', '(102-1', '-', 'COUNT', '2'], ['XLEN', 'big'],
  ],
  'xdel: entries, first entry, max-deleted, empty stream stays': [
    ...fill('d', 4), ['XDEL', 'd', '2-1', '2-1', '9-9'], ['XDEL', 'd', 'zz'], ['XDEL', 'd', '1-1', 'zz'], ['XLEN', 'd'], ['XDEL', 'd', '1-1'], ...info('d'),
    ['XDEL', 'd', '3-1', '4-1'], ['XLEN', 'd'], ['EXISTS', 'd'], ...info('d'), ['XDEL', 'missing', '1-1'], ['XADD', 'd', '4-1', 'f', 'v'], ['XADD', 'd', '4-2', 'f', 'v'],
  ],
  'xsetid: ids, entriesadded, maxdeletedid and errors': [
    ...fill('s', 3), ['XSETID', 's', '0-1'], ['XSETID', 'nokey', '5-5'], ['XSETID', 's', '5-5', 'ENTRIESADDED', '0'], ['XSETID', 's', '5-5', 'MAXDELETEDID', '6-0'],
    ['XSETID', 's', '5-5', 'ENTRIESADDED', '-1'], ['XSETID', 's', '5-5', 'foo'], ['XSETID', 's', 'zz'], ['XSETID', 's', '5-5', 'ENTRIESADDED', 'x'],
    ['XSETID', 's', '5-5', 'MAXDELETEDID', 'zz'], ['XSETID', 's', '3-1'], ['XSETID', 's', '10-10', 'ENTRIESADDED', '50', 'MAXDELETEDID', '2-2'], ...info('s'),
    ['XADD', 's', '10-10', 'f', 'v'], { cmd: ['XADD', 's', '*', 'f', 'v'], normalize: maskIds }, ['XDEL', 's', '1-1', '2-1', '3-1'], ['XSETID', 's', '0-1'], ['XSETID', 's', '1-0', 'ENTRIESADDED', '0'],
    { cmd: ['XINFO', 'STREAM', 's'], normalize: maskIds },
  ],
  'xread: several streams, count, $, errors': [
    ...fill('ra', 3), ...fill('rb', 2), ['XREAD', 'STREAMS', 'ra', 'rb', '0', '0'], ['XREAD', 'COUNT', '1', 'STREAMS', 'ra', 'rb', '1-1', '0'],
    ['XREAD', 'STREAMS', 'ra', 'rb', '$', '$'], ['XREAD', 'STREAMS', 'ra', 'missing', '2', '0'], ['XREAD', 'STREAMS', 'missing', '0'], ['XREAD', 'STREAMS', 'ra', '3-1'],
    ['XREAD', 'STREAMS', 'ra', '2'], ['XREAD', 'COUNT', '0', 'STREAMS', 'ra', '0'], ['XREAD', 'COUNT', '-1', 'STREAMS', 'ra', '0'], ['XREAD', 'streams', 'ra'],
    ['XREAD', 'STREAMS', 'ra', 'rb', '0'], ['XREAD', 'STREAMS', 'ra', '>'], ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'ra', '0'], ['XREAD', 'NOACK', 'STREAMS', 'ra', '0'],
    ['XREAD', 'BLOCK', '-1', 'STREAMS', 'ra', '0'], ['XREAD', 'BLOCK', 'x', 'STREAMS', 'ra', '0'], ['XREAD', 'COUNT', 'x', 'STREAMS', 'ra', '0'], ['XREAD', 'foo', 'STREAMS', 'ra', '0'],
    ['XREAD', 'COUNT', '5', 'BLOCK'], ['XREAD', 'STREAMS', 'ra', 'zz'], ['XREAD', 'STREAMS', 'ra', '+'], ['XREAD', 'STREAMS', 'ra', '-'],
    ['XREAD', 'BLOCK', '10', 'STREAMS', 'ra', '0'], ['XREAD', 'STREAMS', 'ra', MAXID], ['XREAD', 'STREAMS', 'ra', 'ra', '0', '1'],
  ],
  'resp3 shapes': [
    // HELLO's reply names each server's version
    { cmd: ['HELLO', '3'], normalize: () => 'hello' }, ...fill('h', 3), ['XRANGE', 'h', '-', '+'], ['XRANGE', 'h', '-', '+', 'COUNT', '0'], ['XREAD', 'STREAMS', 'h', 'missing', '0', '0'],
    ['XREAD', 'STREAMS', 'h', '9'], ['XINFO', 'STREAM', 'h'], ['XINFO', 'STREAM', 'h', 'FULL'], ['XADD', 'h', 'NOMKSTREAM', '1-1', 'f', 'v'], ['XADD', 'x', 'NOMKSTREAM', '1-1', 'f', 'v'],
    ['XDEL', 'h', '1-1', '2-1', '3-1'], ['XINFO', 'STREAM', 'h'],
  ],
  'xinfo stream: full count, errors, help': [
    ...fill('i', 15), ['XINFO', 'STREAM', 'i', 'FULL', 'COUNT', '2'], ['XINFO', 'STREAM', 'i', 'FULL', 'COUNT', '0'], ['XINFO', 'STREAM', 'i', 'FULL', 'COUNT', '-1'],
    ['XINFO', 'STREAM', 'i', 'FULL', 'COUNT', 'x'], ['XINFO', 'STREAM', 'i', 'foo'], ['XINFO', 'STREAM', 'i', 'FULL', 'foo'], ['XINFO', 'STREAM', 'i', 'FULL', 'COUNT'],
    ['XINFO', 'STREAM', 'nokey'], ['XINFO', 'foo'], ['XINFO', 'HELP'], ['XINFO', 'help', 'x'], ['XINFO'], ['XINFO', 'STREAM'],
  ],
  'radix-tree-nodes for spread ids': [
    ...Array.from({ length: 450 }, (_, i) => ['XADD', 'rt', `${(i + 1) * 7919}-${i}`, 'a', String(i)]), ['XINFO', 'STREAM', 'rt'],
    ['XTRIM', 'rt', 'MAXLEN', '~', '200'], ['XINFO', 'STREAM', 'rt'],
  ],
  'keyspace commands on streams': [
    ...fill('k', 3), ['TYPE', 'k'], ['OBJECT', 'ENCODING', 'k'], ['COPY', 'k', 'k2'], ['XADD', 'k2', '9-9', 'f', 'v'], ['XLEN', 'k'], ['XLEN', 'k2'],
    ['RENAME', 'k2', 'k3'], ['XRANGE', 'k3', '-', '+'], ['SORT', 'k'], ['SORT', 'k', 'BY', 'nosort'], ['DEL', 'k3'], ['EXISTS', 'k3'], ['SCAN', '0', 'TYPE', 'stream'],
    ['MOVE', 'k', '1'], ['SELECT', '1'], ['XLEN', 'k'], ['SELECT', '0'], ['EXISTS', 'k'], ['LPUSH', 'k', 'x'], ['XADD', 'k', '1-1', 'f', 'v'],
  ],
});
