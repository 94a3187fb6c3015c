import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RequestDecoder, INLINE_MAX, type DecoderLimits, DEFAULT_LIMITS } from './decoder.js';
import { quoteArg, splitArgs } from './quoting.js';

type Outcome = { commands: string[][]; error: string | null; overLimit: boolean };

function decodeChunks(chunks: Buffer[], limits: DecoderLimits = DEFAULT_LIMITS, authenticated = true): Outcome {
  const d = new RequestDecoder(limits);
  d.authenticated = authenticated;
  const commands: string[][] = [];
  // as the server does: every chunk arrives in one reused buffer, which is overwritten after the
  // decoder has detached what it keeps
  const shared = Buffer.alloc(chunks.reduce((max, c) => Math.max(max, c.length), 0));
  for (const chunk of chunks) {
    const view = shared.subarray(0, chunk.length);
    chunk.copy(view);
    d.feed(view);
    let argv;
    while ((argv = d.next()) !== null) commands.push(argv);
    if (d.protocolError !== null || d.overLimit) break;
    d.detachInput();
    shared.fill(0x2a); // '*': garbage that would parse if anything still pointed here
  }
  return { commands, error: d.protocolError, overLimit: d.overLimit };
}

/** Decodes `input` whole, byte by byte, and split at every offset; all must agree. */
function decodeEveryWay(input: string | Buffer, limits?: DecoderLimits, authenticated?: boolean): Outcome {
  const buf = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const whole = decodeChunks([buf], limits, authenticated);
  const bytes = decodeChunks(Array.from(buf, (b) => Buffer.from([b])), limits, authenticated);
  assert.equal(bytes, whole, 'byte by byte');
  for (let i = 1; i < buf.length; i++) {
    const split = decodeChunks([buf.subarray(0, i), buf.subarray(i)], limits, authenticated);
    assert.equal(split, whole, `split at ${i}`);
  }
  return whole;
}

const ok = (commands: string[][]): Outcome => ({ commands, error: null, overLimit: false });

test('multibulk commands, pipelined', () => {
  assert.equal(decodeEveryWay('*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n'), ok([['PING'], ['SET', 'k', 'hello']]));
});

test('empty bulk and empty/negative multibulk are handled like Redis', () => {
  assert.equal(decodeEveryWay('*2\r\n$3\r\nGET\r\n$0\r\n\r\n*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n'), ok([['GET', ''], ['PING']]));
});

test('binary payloads round-trip, CRLF inside a bulk included', () => {
  const payload = Buffer.from([0, 255, 13, 10, 128, 36, 42]);
  const input = Buffer.concat([Buffer.from('*2\r\n$4\r\nECHO\r\n$7\r\n'), payload, Buffer.from('\r\n')]);
  const out = decodeEveryWay(input);
  assert.equal(Buffer.from(out.commands[0]![1]!, 'latin1'), payload);
});

test('inline commands with quoting', () => {
  assert.equal(decodeEveryWay('PING\r\nset a "b c"\r\n\r\nget \'x y\'\n'), ok([['PING'], ['set', 'a', 'b c'], ['get', 'x y']]));
});

test('inline lines without quotes split on any whitespace', () => {
  assert.equal(decodeEveryWay('  GET   k\t\r\nSET a b\nset\x0bx\x0cy\r\n'), ok([['GET', 'k'], ['SET', 'a', 'b'], ['set', 'x', 'y']]));
});

test('command names are not mixed up between commands of the same length', () => {
  const input = '*2\r\n$3\r\nGET\r\n$1\r\na\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nGET b\r\nSET b c\r\n';
  assert.equal(decodeEveryWay(input), ok([['GET', 'a'], ['SET', 'a', 'b'], ['GET', 'a'], ['GET', 'b'], ['SET', 'b', 'c']]));
});

test('splitArgs follows sdssplitargs', () => {
  assert.equal(splitArgs('a "\\x41\\n\\"" \'it\\\'s\''), ['a', 'A\n"', "it's"]);
  assert.equal(splitArgs('  '), []);
  assert.equal(splitArgs('foo"bar baz"'), ['foobar baz']);
  assert.is(splitArgs('"unterminated'), null);
  assert.is(splitArgs('"a"b'), null);
  assert.is(splitArgs("'a'b"), null);
});

test('quoteArg writes what splitArgs reads back, as sdscatrepr', () => {
  assert.is(quoteArg('a"b\\\n\x07\x00\xff'), '"a\\"b\\\\\\n\\a\\x00\\xff"');
  for (const s of ['', 'plain', 'with space', '"quoted"', "it's", '\x00\x01\r\n\t\x07\x08\x7f\x80\xff\\']) {
    assert.equal(splitArgs(quoteArg(s)), [s], JSON.stringify(s));
  }
});

test('protocol errors', () => {
  assert.equal(decodeEveryWay('*x\r\n').error, 'invalid multibulk length');
  assert.equal(decodeEveryWay('*2\r\n$3\r\nGET\r\n+k\r\n'), { commands: [], error: "expected '$', got '+'", overLimit: false });
  assert.equal(decodeEveryWay('*1\r\n$-1\r\n').error, 'invalid bulk length');
  assert.equal(decodeEveryWay('*1\r\n$01\r\n').error, 'invalid bulk length');
  assert.equal(decodeEveryWay('*1\r\n$4\r\nPING\r\n"bad\r\n'), { commands: [['PING']], error: 'unbalanced quotes in request', overLimit: false });
  assert.equal(decodeEveryWay('*1025\r\n', undefined, false).error, 'unauthenticated multibulk length');
  assert.equal(decodeEveryWay('*1\r\n$16385\r\n', undefined, false).error, 'unauthenticated bulk length');
  assert.equal(decodeEveryWay('*2147483648\r\n').error, 'invalid multibulk length');
  assert.equal(decodeEveryWay('*-2\r\n*1\r\n$4\r\nPING\r\n'), ok([['PING']]));
  assert.equal(decodeEveryWay('*1\r\n$-2\r\n').error, 'invalid bulk length');
  assert.equal(decodeEveryWay('*1\r\n$-0\r\n').error, 'invalid bulk length');
  assert.equal(decodeEveryWay('*1\r\n$1-\r\n').error, 'invalid bulk length');
  assert.equal(decodeEveryWay('*1\r\n$\r\n').error, 'invalid bulk length');
  assert.equal(decodeEveryWay('*01\r\n').error, 'invalid multibulk length');
  assert.equal(decodeEveryWay('*1 \r\n').error, 'invalid multibulk length');
  assert.equal(decodeEveryWay('*1\r\n$0\r\n\r\n'), ok([['']]));
  assert.equal(decodeEveryWay('*1\r\n$10\r\n0123456789\r\n'), ok([['0123456789']]));
});

test('limits: proto-max-bulk-len, inline size, header size, query buffer', () => {
  const limits = { maxBulkLen: 10, queryBufferLimit: 25 };
  assert.equal(decodeChunks([Buffer.from('*1\r\n$11\r\n')], limits).error, 'invalid bulk length');
  assert.equal(decodeChunks([Buffer.from('*1\r\n$10\r\n0123456789\r\n')], limits), ok([['0123456789']]));
  assert.equal(decodeChunks([Buffer.from('*3\r\n$10\r\n0123456789\r\n$10\r\n0123456789\r\n$10\r\n')], limits).overLimit, true);
  assert.equal(decodeChunks([Buffer.alloc(INLINE_MAX + 1, 'a')]).error, 'too big inline request');
  assert.equal(decodeChunks([Buffer.from('*1\r\n$' + '1'.repeat(INLINE_MAX + 1))]).error, 'too big bulk count string');
  assert.equal(decodeChunks([Buffer.from('*' + '1'.repeat(INLINE_MAX + 1))]).error, 'too big mbulk count string');
});

test('a large bulk arriving in many chunks is collected into one buffer', () => {
  const size = 1 << 20;
  const body = Buffer.alloc(size, 'x');
  const input = Buffer.concat([Buffer.from(`*2\r\n$3\r\nSET\r\n$${size}\r\n`), body, Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]);
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += 1000) chunks.push(input.subarray(i, i + 1000));
  const d = new RequestDecoder();
  const out: string[][] = [];
  for (const c of chunks) {
    d.feed(c);
    // while collecting, nothing is buffered twice
    assert.ok(d.bufferedBytes <= size + 2 + 1000);
    let argv;
    while ((argv = d.next()) !== null) out.push(argv);
  }
  assert.is(out.length, 2);
  assert.is(out[0]![1]!.length, size);
  assert.equal(out[1], ['PING']);
});

test('command names come out right through the recent-names cache (same lengths, case, more names than it holds)', () => {
  const pool = ['GET', 'SET', 'DEL', 'get', 'MULTI', 'EXEC', 'INCR', 'DECR', 'incr', 'x'.repeat(33), 'x'.repeat(32), 'y'.repeat(32), ''];
  let seed = 9;
  const expected: string[] = [];
  let input = '';
  for (let i = 0; i < 3000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const name = pool[(seed >>> 8) % pool.length]!;
    expected.push(name);
    input += `*2\r\n$${name.length}\r\n${name}\r\n$1\r\nk\r\n`;
  }
  const out = decodeChunks([Buffer.from(input, 'latin1')]);
  assert.is(out.error, null);
  assert.equal(out.commands.map((c) => c[0]), expected);
  // inline commands share the cache
  const inline = decodeChunks([Buffer.from('GET a\r\nSET a b\r\nGET a\r\nDEL a\r\n', 'latin1')]);
  assert.equal(inline.commands, [['GET', 'a'], ['SET', 'a', 'b'], ['GET', 'a'], ['DEL', 'a']]);
});

test.run();
