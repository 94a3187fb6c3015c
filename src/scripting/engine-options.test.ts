/*
 * Our codec (engine-options.ts installFastCalls, whose reply bytes the worker's answers also are;
 * fastEval with strings) against lua-redis-wasm's own, in process: the same redis.call reply handed to two
 * engines — one through our heap writer, one through the package's encoder — must give Lua the
 * same value, and the script's result read back by our decoder must equal the package's decoding
 * (Buffers compared as latin1 strings). Deterministic, unlike the main-thread path over sockets,
 * which a script reaches only after quick runs in the worker.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load } from 'lua-redis-wasm';
import { engineOptions, fastEval, installFastCalls, installFastSha1 } from './engine-options.js';
import type { ReplyValue } from '../resp/collecting-reply.js';

const LONG = 'x'.repeat(40) + '\x00\xff\r\n' + 'y'.repeat(30);

const CASES: Array<[string, ReplyValue]> = [
  ['int', { type: 'int', value: 42 }],
  ['negative int', { type: 'int', value: -5 }],
  ['large int', { type: 'int', value: 4294967296 * 3 + 7 }],
  ['bigint', { type: 'int', value: -9223372036854775807n }],
  ['empty bulk', { type: 'bulk', value: '' }],
  ['long binary bulk', { type: 'bulk', value: LONG }],
  ['status', { type: 'simple', value: 'OK' }],
  ['error', { type: 'error', value: 'WRONGTYPE Operation against a key holding the wrong kind of value' }],
  ['nil', { type: 'nil' }],
  ['nested array', { type: 'array', items: [{ type: 'int', value: 1 }, { type: 'bulk', value: LONG }, { type: 'array', items: [{ type: 'nil' }, { type: 'simple', value: 'S' }] }] }],
  ['empty array', { type: 'array', items: [] }],
  ['set', { type: 'set', items: [{ type: 'bulk', value: 'a' }] }],
  ['map', { type: 'map', items: [{ type: 'bulk', value: 'f' }, { type: 'double', value: 1.5 }] }],
  ['double', { type: 'double', value: -0.25 }],
  ['true', { type: 'bool', value: true }],
  ['false', { type: 'bool', value: false }],
  ['big number', { type: 'bignum', value: '123456789012345678901234567890' }],
  ['verbatim', { type: 'verbatim', value: 'some text', format: 'txt' }],
];

/** A reply as the package's own host callback takes it (the value lua-redis-wasm documents, with Buffers). */
function packageValue(v: ReplyValue): unknown {
  const b = (s: string) => Buffer.from(s, 'latin1');
  switch (v.type) {
    case 'simple':
      return { ok: b(v.value) };
    case 'error':
      return { err: b(v.value) };
    case 'int':
      return v.value;
    case 'bulk':
      return b(v.value);
    case 'nil':
      return null;
    case 'array':
    case 'push':
      return v.items.map(packageValue);
    case 'set':
      return { set: v.items.map(packageValue) };
    case 'map': {
      const m: unknown[][] = [];
      for (let i = 0; i < v.items.length; i += 2) m.push([packageValue(v.items[i]!), packageValue(v.items[i + 1]!)]);
      return { map: m };
    }
    case 'double':
      return { double: v.value };
    case 'bool':
      return v.value;
    case 'bignum':
      return { big_number: b(v.value) };
    case 'verbatim':
      return { verbatim_string: { format: b(v.format), string: b(v.value) } };
  }
}

/** Buffers as latin1 strings, so both decodings compare. */
function plain(x: unknown): unknown {
  if (Buffer.isBuffer(x)) return x.latin1Slice(0, x.length);
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

let current: ReplyValue = { type: 'nil' };
let calledWith: string[] = [];

const ours = await load(engineOptions(1e8));
const oursEngine = ours.create({ redisCall: () => null, redisPcall: () => null, log: () => {} });
installFastSha1(ours);
installFastCalls(ours, (_p, argv) => {
  calledWith = argv;
  return current;
});

const theirs = await load(engineOptions(1e8));
const theirsEngine = theirs.create({
  redisCall: () => packageValue(current) as never,
  redisPcall: () => packageValue(current) as never,
  log: () => {},
});

const BODIES = [
  "return redis.pcall('x', KEYS[1], ARGV[1])",
  "redis.setresp(3) return redis.pcall('x', KEYS[1], ARGV[1])",
  "local r = redis.pcall('x', KEYS[1], ARGV[1]) return {type(r), r}",
  "redis.setresp(3) local r = redis.pcall('x', KEYS[1], ARGV[1]) return {type(r), r}",
];

for (const [name, value] of CASES) {
  test(`redis.call reply: ${name}`, () => {
    current = value;
    for (const body of BODIES) {
      const mine = fastEval(oursEngine, body, ['key'], [LONG], true);
      assert.equal(calledWith, ['x', 'key', LONG], 'arguments read from the heap');
      const expected = (theirsEngine as unknown as { evalWithArgs(s: string, k: Buffer[], a: Buffer[]): unknown }).evalWithArgs(body, [Buffer.from('key')], [Buffer.from(LONG, 'latin1')]);
      assert.equal(plain(mine), plain(expected), body);
    }
  });
}

test('results decoded from the heap: every Lua type', () => {
  current = { type: 'nil' };
  for (const body of [
    'return 1', 'return -3.7', 'return 2^53', "return 'str'", "return ''", 'return true', 'return false', 'return nil',
    "return {1, 'two', {3, {4}}, false, 5}", "return {ok='fine'}", "return {err='My error'}", "return {err='CODE with code'}",
    "return redis.error_reply('E')", "redis.setresp(3) return {double=3.5}", "redis.setresp(3) return {map={a=1}}",
    "redis.setresp(3) return {set={x=true}}", "redis.setresp(3) return {big_number='12345678901234567890'}", `return '${'z'.repeat(50)}\\0\\255'`,
  ]) {
    const mine = fastEval(oursEngine, body, [], [], true);
    const expected = (theirsEngine as unknown as { evalWithArgs(s: string): unknown }).evalWithArgs(body);
    assert.equal(plain(mine), plain(expected), body);
  }
});

test.run();
