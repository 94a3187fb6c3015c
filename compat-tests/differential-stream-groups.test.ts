/*
 * Differential stream consumer groups: XGROUP, XREADGROUP (new entries, history, NOACK),
 * XACK, XPENDING (summary and extended), XCLAIM, XAUTOCLAIM, XINFO GROUPS / CONSUMERS / STREAM
 * FULL, byte for byte against redis-server, RESP2 and RESP3. Delivery times, idle times and
 * seen-times follow each server's clock: those replies are compared with every integer that is
 * such a time masked (see `masked`), so their structure, names, ids and counts still compare.
 */
import { differentialSuite, type Script, type Step } from './differential.js';

/** Masks times: 13-digit unix-ms integers, and idle times (small integers) where marked. */
const times = (raw: string): string => raw.replace(/:1\d{12}\r\n/g, ':<time>\r\n');
/** XPENDING's extended rows: [id, consumer, idle ms, deliveries] — the idle time masked. */
const idle = (raw: string): string => raw.replace(/(\$\d+\r\n[^\r]*\r\n):\d+\r\n(:\d+\r\n)/g, '$1:<idle>\r\n$2');
/** XINFO CONSUMERS: the idle field's value masked. */
const consumersIdle = (raw: string): string => raw.replace(/(idle\r\n):\d+/g, '$1:<idle>');
const step = (cmd: string[], normalize: (raw: string) => string): Step => ({ cmd, normalize });

/** `n` entries 1-1 … n-1 in `key`. */
function fill(key: string, n: number): Script {
  return Array.from({ length: n }, (_, i) => ['XADD', key, `${i + 1}-1`, 'f', String(i + 1)]);
}

const full = (key: string): Step => step(['XINFO', 'STREAM', key, 'FULL'], times);

differentialSuite('differential: stream groups', {
  'xgroup create: ids, $, mkstream, entriesread, errors': [
    ...fill('s', 3), ['XGROUP', 'CREATE', 's', 'g', '$'], ['XGROUP', 'CREATE', 's', 'g0', '0'], ['XGROUP', 'CREATE', 's', 'g2', '2-1', 'ENTRIESREAD', '2'],
    ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '-5'], ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '-1'], ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', 'x'],
    ['XGROUP', 'CREATE', 'nokey', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g4', 'zz'], ['XGROUP', 'CREATE', 's', 'g4', '-'],
    ['XGROUP', 'CREATE', 's', 'g4', '0', 'mkstream', 'foo'], ['XGROUP', 'CREATE', 'new', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATE', 'new2', 'g', '5-5', 'MKSTREAM', 'ENTRIESREAD', '3'],
    ['XGROUP', 'CREATE', 'x', 'g', '0', 'mkstream', 'mkstream', 'mkstream', 'mkstream'], ['EXISTS', 'x'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'GROUPS', 'new2'],
    ['XINFO', 'STREAM', 'new'], ['SET', 'str', 'v'], ['XGROUP', 'CREATE', 'str', 'g', '0'], ['XGROUP', 'CREATE', 'str', 'g', '0', 'MKSTREAM'], ['XGROUP'], ['XGROUP', 'foo', 's'],
    ['XGROUP', 'HELP'], ['XGROUP', 'CREATE', 's', 'g9'],
  ],
  'xgroup setid, destroy, createconsumer, delconsumer': [
    ...fill('s', 3), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'SETID', 's', 'nog', '0'], ['XGROUP', 'SETID', 'nokey', 'g', '0'], ['XGROUP', 'SETID', 's', 'g', '2-1'],
    ['XINFO', 'GROUPS', 's'], ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '3'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', 'x'],
    ['XGROUP', 'SETID', 's', 'g', '0', 'bar'], ['XGROUP', 'SETID', 's', 'g', '+'], ['XGROUP', 'SETID', 's', 'g', '-'], ['XGROUP', 'SETID', 's', 'g', 'zz'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '-2'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
    ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c'], ['XGROUP', 'DELCONSUMER', 's', 'nog', 'c'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'bob'],
    ['XGROUP', 'SETID', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'bob'],
    ['XPENDING', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'nog'], ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'g'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'DESTROY', 'nokey', 'g'], ['XGROUP', 'CREATECONSUMER', 's', 'g'], ['XGROUP', 'DESTROY', 's'],
  ],
  'xreadgroup: new entries, history, noack, several streams, errors': [
    ...fill('s', 5), ...fill('t', 2), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 't', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', 't', '>', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '1-1'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', 't', '>', '0'], ['XPENDING', 's', 'g'], ['XPENDING', 't', 'g'], ['XINFO', 'GROUPS', 's'],
    ['XDEL', 's', '1-1'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'], step(['XPENDING', 's', 'g', '-', '+', '10'], idle),
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'], ['XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'], ['XREADGROUP', 'STREAMS', 's', '>', 'x', 'y'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'zz'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 'x', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '10', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 't', '>'],
    ['SET', 'str', 'x'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'], step(['XINFO', 'CONSUMERS', 's', 'g'], consumersIdle),
    ['XINFO', 'CONSUMERS', 's', 'nog'], ['XINFO', 'CONSUMERS', 'nokey', 'g'], ['XINFO', 'GROUPS', 'nokey'], full('s'),
  ],
  'entries-read and lag through xdel, xtrim and setid': [
    ...fill('s', 5), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'h', '$'], ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'], ['XDEL', 's', '4-1'], ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'],
    ['XADD', 's', '6-1', 'f', 'v'], ['XTRIM', 's', 'MAXLEN', '2'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'SETID', 's', 'g', '0'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'h', '5-1'], ['XINFO', 'GROUPS', 's'], ['XDEL', 's', '5-1', '6-1'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'STREAM', 's'],
    ['XADD', 's', '7-1', 'f', 'v'], ['XINFO', 'GROUPS', 's'], ['XSETID', 's', '9-9', 'ENTRIESADDED', '20', 'MAXDELETEDID', '8-8'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'CREATE', 'e', 'g', '0', 'MKSTREAM'], ['XINFO', 'GROUPS', 'e'],
  ],
  'xack': [
    ...fill('s', 4), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XACK', 's', 'g', '1-1', '1-1', '9-9'],
    ['XACK', 's', 'g', '2-1', 'zz'], ['XACK', 's', 'g', 'zz'], ['XACK', 's', 'nog', 'zz'], ['XACK', 'nokey', 'g', 'zz'], ['XACK', 's', 'g', '2-1', '3-1', '4-1'], ['XPENDING', 's', 'g'],
    ['SET', 'str', 'x'], ['XACK', 'str', 'g', '1-1'],
  ],
  'xpending: summary, extended, idle, consumer, errors': [
    ...fill('s', 6), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XPENDING', 's', 'g'], ['XPENDING', 's', 'g', '-', '+', '10'],
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'], ['XPENDING', 's', 'g'],
    step(['XPENDING', 's', 'g', '-', '+', '10'], idle), step(['XPENDING', 's', 'g', '(1-1', '(5-1', '10'], idle), step(['XPENDING', 's', 'g', '-', '+', '2'], idle),
    step(['XPENDING', 's', 'g', '-', '+', '10', 'alice'], idle), ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'], ['XPENDING', 's', 'g', '-', '+', '0'], ['XPENDING', 's', 'g', '-', '+', '-3'],
    step(['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10'], idle), ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'], step(['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10', 'bob'], idle),
    ['XPENDING', 's', 'g', '-', '+', 'x'], ['XPENDING', 's', 'g', '-', '+'], ['XPENDING', 's', 'g', 'IDLE', '10'], ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
    ['XPENDING', 's', 'g', 'zz', '+', '10'], ['XPENDING', 's', 'g', '-', 'zz', '10'], ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '10'],
    ['XPENDING', 's', 'g', '-', '(0-0', '10'], ['XPENDING', 's', 'g', '5', '2', '10'], ['XPENDING', 's', 'nog'], ['XPENDING', 'nokey', 'g'],
    ['XPENDING', 'nokey', 'g', 'zz', '+', '1'], ['XPENDING', 's', 'g', '-', '+', '10', 'c', 'extra'], ['XPENDING', 's', 'g', '-', '+', '10', 'c', 'extra', 'more', 'x'],
    ['SET', 'str', 'x'], ['XPENDING', 'str', 'g'],
  ],
  'xclaim: idle, time, retrycount, force, justid, lastid, deleted entries': [
    ...fill('s', 5), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XCLAIM', 's', 'g', 'bob', '0', '1-1', '2-1'], step(['XPENDING', 's', 'g', '-', '+', '10'], idle), ['XCLAIM', 's', 'g', 'bob', '0', '1-1', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'RETRYCOUNT', '7', 'TIME', '1000'], step(['XPENDING', 's', 'g', '-', '+', '10'], idle), ['XCLAIM', 's', 'g', 'carol', '3600000', '3-1'],
    ['XCLAIM', 's', 'g', 'carol', '0', '5-1'], ['XCLAIM', 's', 'g', 'carol', '0', '5-1', 'FORCE', 'RETRYCOUNT', '2', 'TIME', '5000'], step(['XPENDING', 's', 'g', '-', '+', '10'], idle),
    ['XCLAIM', 's', 'g', 'dave', '0', '9-9', 'FORCE'], ['XDEL', 's', '3-1'], ['XCLAIM', 's', 'g', 'dave', '0', '3-1', '4-1', 'FORCE'], ['XPENDING', 's', 'g'],
    ['XCLAIM', 's', 'g', 'dave', '0', '4-1', 'LASTID', '4-1'], ['XINFO', 'GROUPS', 's'], ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'LASTID', '2-1'],
    ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'IDLE', '5000', 'JUSTID'], step(['XPENDING', 's', 'g', '-', '+', '10'], idle), ['XCLAIM', 's', 'g', 'dave', '-5', '1-1', 'TIME', '-1'],
    ['XCLAIM', 's', 'g', 'c', 'x', '1-1'], ['XCLAIM', 's', 'nog', 'c', '0', '1-1'], ['XCLAIM', 'nokey', 'g', 'c', '0', '1-1'], ['XCLAIM', 's', 'g', 'c', '0', 'zz'],
    ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'idle', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'TIME', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'RETRYCOUNT', 'x'],
    ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'foo'], ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'lastid', 'zz'], ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'IDLE'],
    ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'retrycount', '-1'], step(['XINFO', 'CONSUMERS', 's', 'g'], consumersIdle), full('s'),
  ],
  'xautoclaim: cursor, count, justid, deleted ids': [
    ...fill('s', 8), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
    ['XAUTOCLAIM', 's', 'g', 'bob', '0', '0', 'COUNT', '3'], ['XAUTOCLAIM', 's', 'g', 'bob', '0', '4-1', 'COUNT', '2', 'JUSTID'], ['XDEL', 's', '6-1', '7-1'],
    ['XAUTOCLAIM', 's', 'g', 'carol', '0', '(5-1'], ['XPENDING', 's', 'g'], ['XAUTOCLAIM', 's', 'g', 'carol', '3600000', '-'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '+'],
    ['XAUTOCLAIM', 's', 'g', 'carol', '-1', '0', 'COUNT', '1'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '0'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '576460752303423488'], ['XAUTOCLAIM', 's', 'g', 'c', 'x', '0'], ['XAUTOCLAIM', 's', 'nog', 'c', '0', '0'],
    ['XAUTOCLAIM', 'nokey', 'g', 'c', '0', '0'], ['XAUTOCLAIM', 's', 'g', 'c', '0', 'zz'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'foo'],
    ['XAUTOCLAIM', 's', 'g', 'c', '0', '(18446744073709551615-18446744073709551615'], ['XAUTOCLAIM', 'nokey', 'g', 'c', '0', '0', 'COUNT', '0'],
    ['SET', 'str', 'x'], ['XAUTOCLAIM', 'str', 'g', 'c', '0', '0'], step(['XINFO', 'CONSUMERS', 's', 'g'], consumersIdle),
  ],
  'xautoclaim: attempts run out before count': [
    ...fill('s', 30), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'], ['XCLAIM', 's', 'g', 'bob', '0', '25-1', 'IDLE', '999999'],
    ['XAUTOCLAIM', 's', 'g', 'carol', '100000', '0', 'COUNT', '2', 'JUSTID'], ['XAUTOCLAIM', 's', 'g', 'carol', '100000', '0', 'COUNT', '3', 'JUSTID'],
  ],
  'resp3 shapes': [
    // HELLO's reply names each server's version
    { cmd: ['HELLO', '3'], normalize: () => 'hello' }, ...fill('s', 3), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'nokey', '0', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'], ['XPENDING', 's', 'g'],
    step(['XPENDING', 's', 'g', '-', '+', '5'], idle), ['XINFO', 'GROUPS', 's'], step(['XINFO', 'CONSUMERS', 's', 'g'], consumersIdle), full('s'),
    ['XAUTOCLAIM', 's', 'g', 'd', '0', '0'], ['XCLAIM', 's', 'g', 'e', '0', '1-1', 'JUSTID'], ['XACK', 's', 'g', '1-1'], ['XPENDING', 's', 'g'],
    ['XGROUP', 'CREATE', 'e', 'g', '0', 'MKSTREAM'], ['XPENDING', 'e', 'g'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'e', '>'],
  ],
  'binary group and consumer names': [
    ...fill('s', 2), ['XGROUP', 'CREATE', 's', 'g\x00\xff', '0'], ['XREADGROUP', 'GROUP', 'g\x00\xff', 'c\r\n', 'STREAMS', 's', '>'], ['XPENDING', 's', 'g\x00\xff'],
    ['XINFO', 'GROUPS', 's'], ['XPENDING', 's', 'nog\x00x'], ['XGROUP', 'SETID', 's', 'nog\x00x', '0'],
  ],
});
