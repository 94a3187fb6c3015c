/*
 * The error catalogue as data: every entry of `Err` and `ProtocolErr` (src/resp/errors.ts) has a
 * script here that makes a real server send exactly that text. A new entry without a trigger, or a
 * trigger whose reply drifts from the catalogue, fails this test.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Err, ProtocolErr } from '../src/resp/errors.js';
import type { RunningServer } from '../src/server/app.js';
import { RawClient, encodeCommand, startKv } from './harness.js';

interface Trigger {
  /** server settings (CONFIG parameters) */
  settings?: Record<string, string>;
  /** commands sent in order; the reply to the last must be the error */
  script?: string[][];
  /** raw bytes sent instead of a script (protocol errors); the last reply must be the error */
  raw?: string;
  /** runs before the script, with the server (for states no command can reach) */
  setup?: (kv: RunningServer) => void | Promise<void>;
  /** connect this many extra clients first (maxclients) */
  extraClients?: number;
  expect: string;
}

/** A stand-in for a value of another data type: no list/hash/set type exists yet (sized for
 *  memory accounting like a buffer-backed value). */
class OtherType {
  readonly kind = { name: 'list' as const, encoding: () => 'other', size: () => 8, copy: (v: OtherType) => v };
}

const protocol = (what: string) => Err.PROTOCOL(what);

const triggers: Record<string, Trigger> = {
  SYNTAX: { script: [['SET', 'k', 'v', 'NX', 'XX']], expect: Err.SYNTAX },
  WRONGTYPE: {
    setup: (kv) => kv.context.keyspace.dbs[0]!.set('other', new OtherType() as never),
    script: [['GET', 'other']],
    expect: Err.WRONGTYPE,
  },
  NOT_INTEGER: { script: [['SET', 'k', 'abc'], ['INCR', 'k']], expect: Err.NOT_INTEGER },
  NOT_FLOAT: { script: [['INCRBYFLOAT', 'k', 'abc']], expect: Err.NOT_FLOAT },
  OVERFLOW: { script: [['SET', 'k', '9223372036854775807'], ['INCR', 'k']], expect: Err.OVERFLOW },
  DECREMENT_OVERFLOW: { script: [['DECRBY', 'k', '-9223372036854775808']], expect: Err.DECREMENT_OVERFLOW },
  NAN_OR_INF: { script: [['INCRBYFLOAT', 'k', 'inf']], expect: Err.NAN_OR_INF },
  NO_SUCH_KEY: { script: [['RENAME', 'missing', 'x']], expect: Err.NO_SUCH_KEY },
  INVALID_EXPIRE: { script: [['SET', 'k', 'v', 'EX', '0']], expect: Err.INVALID_EXPIRE('set') },
  DB_INDEX_RANGE: { script: [['SELECT', '99']], expect: Err.DB_INDEX_RANGE },
  INVALID_FIRST_DB_INDEX: { script: [['SWAPDB', 'x', '1']], expect: Err.INVALID_FIRST_DB_INDEX },
  INVALID_SECOND_DB_INDEX: { script: [['SWAPDB', '0', 'x']], expect: Err.INVALID_SECOND_DB_INDEX },
  INT_RANGE: { script: [['SET', 'k', 'v'], ['MOVE', 'k', '99999999999']], expect: Err.INT_RANGE },
  EXPIRE_UNSUPPORTED_OPTION: { script: [['EXPIRE', 'k', '10', 'FOO']], expect: Err.EXPIRE_UNSUPPORTED_OPTION('FOO') },
  EXPIRE_NX_AND_OTHERS: { script: [['EXPIRE', 'k', '10', 'NX', 'XX']], expect: Err.EXPIRE_NX_AND_OTHERS },
  EXPIRE_GT_AND_LT: { script: [['EXPIRE', 'k', '10', 'GT', 'LT']], expect: Err.EXPIRE_GT_AND_LT },
  LFU_NOT_SELECTED: { script: [['SET', 'k', 'v'], ['OBJECT', 'FREQ', 'k']], expect: Err.LFU_NOT_SELECTED },
  LFU_SELECTED: {
    script: [['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'k', 'v'], ['OBJECT', 'IDLETIME', 'k']],
    expect: Err.LFU_SELECTED,
  },
  SOURCE_DEST_SAME: { script: [['SET', 'k', 'v'], ['MOVE', 'k', '0']], expect: Err.SOURCE_DEST_SAME },
  STRING_TOO_LONG: {
    script: [['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SETRANGE', 'k', '2000000', 'x']],
    expect: Err.STRING_TOO_LONG,
  },
  OFFSET_RANGE: { script: [['SETRANGE', 'k', '-1', 'x']], expect: Err.OFFSET_RANGE },
  NOAUTH: { settings: { requirepass: 'pw' }, script: [['GET', 'k']], expect: Err.NOAUTH },
  WRONGPASS: { settings: { requirepass: 'pw' }, script: [['AUTH', 'nope']], expect: Err.WRONGPASS },
  AUTH_NO_PASSWORD: { script: [['AUTH', 'x']], expect: Err.AUTH_NO_PASSWORD },
  MAX_CLIENTS: { settings: { maxclients: '2' }, extraClients: 2, script: [], expect: Err.MAX_CLIENTS },
  HELLO_PROTO_NOT_INTEGER: { script: [['HELLO', 'x']], expect: Err.HELLO_PROTO_NOT_INTEGER },
  HELLO_SYNTAX: { script: [['HELLO', '3', 'FOO']], expect: Err.HELLO_SYNTAX('FOO') },
  HELLO_NOAUTH: { settings: { requirepass: 'pw' }, script: [['HELLO', '3']], expect: Err.HELLO_NOAUTH },
  NOPROTO: { script: [['HELLO', '4']], expect: Err.NOPROTO },
  UNKNOWN_COMMAND: { script: [['FOO', 'a', 'b']], expect: Err.UNKNOWN_COMMAND('FOO', "'a' 'b' ") },
  UNKNOWN_SUBCOMMAND: { script: [['CLIENT', 'FOO']], expect: Err.UNKNOWN_SUBCOMMAND('FOO', 'CLIENT') },
  WRONG_ARITY: { script: [['GET']], expect: Err.WRONG_ARITY('get') },
  INVALID_CURSOR: { script: [['SCAN', 'x']], expect: Err.INVALID_CURSOR },
  CLIENT_NAME_SPACES: { script: [['CLIENT', 'SETNAME', 'a b']], expect: Err.CLIENT_NAME_SPACES },
  NO_SUCH_CLIENT: { script: [['CLIENT', 'KILL', '1.2.3.4:5']], expect: Err.NO_SUCH_CLIENT },
  UNKNOWN_CONFIG: { script: [['CONFIG', 'SET', 'foo', 'bar']], expect: Err.UNKNOWN_CONFIG('foo') },
  CONFIG_SET_FAILED: {
    script: [['CONFIG', 'SET', 'maxclients', 'x']],
    expect: Err.CONFIG_SET_FAILED('maxclients', "argument couldn't be parsed into an integer"),
  },
  CONFIG_IMMUTABLE: {
    script: [['CONFIG', 'SET', 'databases', '5']],
    expect: Err.CONFIG_SET_FAILED('databases', Err.CONFIG_IMMUTABLE),
  },
  CONFIG_DUPLICATE: {
    script: [['CONFIG', 'SET', 'hz', '5', 'hz', '6']],
    expect: Err.CONFIG_SET_FAILED('hz', Err.CONFIG_DUPLICATE),
  },
  NO_CONFIG_FILE: { script: [['CONFIG', 'REWRITE']], expect: Err.NO_CONFIG_FILE },
  CONFIG_REWRITE_FAILED: {
    setup: (kv) => {
      kv.context.config.file = join(mkdtempSync(join(tmpdir(), 'kv-errors-')), 'missing-dir', 'kv.conf');
    },
    script: [['CONFIG', 'REWRITE']],
    expect: Err.CONFIG_REWRITE_FAILED('No such file or directory'),
  },
  NO_SHUTDOWN_IN_PROGRESS: { script: [['SHUTDOWN', 'ABORT']], expect: Err.NO_SHUTDOWN_IN_PROGRESS },
  SUBCOMMAND_SYNTAX: { script: [['DEBUG', 'FOO']], expect: Err.SUBCOMMAND_SYNTAX('FOO', 'DEBUG') },
  UNKNOWN_CLIENT_TYPE: { script: [['CLIENT', 'LIST', 'TYPE', 'foo']], expect: Err.UNKNOWN_CLIENT_TYPE('foo') },
  INVALID_CLIENT_ID: { script: [['CLIENT', 'LIST', 'ID', 'x']], expect: Err.INVALID_CLIENT_ID },
  CLIENT_ID_POSITIVE: { script: [['CLIENT', 'KILL', 'ID', '0']], expect: Err.CLIENT_ID_POSITIVE },
  NO_SUCH_USER: { script: [['CLIENT', 'KILL', 'USER', 'bob']], expect: Err.NO_SUCH_USER('bob') },
  UNRECOGNIZED_OPTION: { script: [['CLIENT', 'SETINFO', 'FOO', 'bar']], expect: Err.UNRECOGNIZED_OPTION('FOO') },
  CLIENT_ATTR_SPACES: { script: [['CLIENT', 'SETINFO', 'LIB-NAME', 'a b']], expect: Err.CLIENT_ATTR_SPACES('LIB-NAME') },
  GETKEYS_INVALID_COMMAND: { script: [['COMMAND', 'GETKEYS', 'foo', 'a']], expect: Err.GETKEYS_INVALID_COMMAND },
  GETKEYS_NO_KEYS: { script: [['COMMAND', 'GETKEYS', 'PING', 'x']], expect: Err.GETKEYS_NO_KEYS },
  GETKEYS_BAD_ARITY: { script: [['COMMAND', 'GETKEYS', 'GET', 'a', 'b']], expect: Err.GETKEYS_BAD_ARITY },
  INTERNAL: {
    // a row whose handler throws stands for a bug: dispatch must answer and the server live on
    setup: (kv) =>
      kv.context.commandTable!.add([
        { name: 'throwfortest', arity: 1, flags: '', categories: '', handler: () => { throw new Error('boom'); } },
      ]),
    script: [['THROWFORTEST']],
    expect: Err.INTERNAL('throwfortest', 'boom'),
  },
  PROTOCOL: { raw: '*1\r\n$x\r\n', expect: protocol(ProtocolErr.INVALID_BULK) },
  // sorted sets and geo
  ZADD_XX_AND_NX: { script: [['ZADD', 'z', 'NX', 'XX', '1', 'a']], expect: Err.ZADD_XX_AND_NX },
  ZADD_GT_LT_NX: { script: [['ZADD', 'z', 'GT', 'LT', '1', 'a']], expect: Err.ZADD_GT_LT_NX },
  ZADD_INCR_PAIRS: { script: [['ZADD', 'z', 'INCR', '1', 'a', '2', 'b']], expect: Err.ZADD_INCR_PAIRS },
  SCORE_NAN: { script: [['ZADD', 'z', 'inf', 'a'], ['ZINCRBY', 'z', '-inf', 'a']], expect: Err.SCORE_NAN },
  MIN_MAX_NOT_FLOAT: { script: [['ZCOUNT', 'z', 'x', '1']], expect: Err.MIN_MAX_NOT_FLOAT },
  MIN_MAX_NOT_LEX: { script: [['ZLEXCOUNT', 'z', 'a', '+']], expect: Err.MIN_MAX_NOT_LEX },
  ZRANGE_LIMIT_NEEDS_BY: { script: [['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1']], expect: Err.ZRANGE_LIMIT_NEEDS_BY },
  ZRANGE_WITHSCORES_BYLEX: { script: [['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES']], expect: Err.ZRANGE_WITHSCORES_BYLEX },
  ZSETOP_NO_KEYS: { script: [['ZUNIONSTORE', 'd', '0', 'z']], expect: Err.ZSETOP_NO_KEYS('zunionstore') },
  WEIGHT_NOT_FLOAT: { script: [['ZUNION', '1', 'z', 'WEIGHTS', 'x']], expect: Err.WEIGHT_NOT_FLOAT },
  LIMIT_NEGATIVE: { script: [['ZINTERCARD', '1', 'z', 'LIMIT', '-1']], expect: Err.LIMIT_NEGATIVE },
  NUMKEYS_NOT_POSITIVE: { script: [['ZMPOP', '0', 'z', 'MIN']], expect: Err.NUMKEYS_NOT_POSITIVE },
  COUNT_NOT_POSITIVE: { script: [['ZMPOP', '1', 'z', 'MIN', 'COUNT', '0']], expect: Err.COUNT_NOT_POSITIVE },
  MUST_BE_POSITIVE: { script: [['ZPOPMIN', 'z', '-1']], expect: Err.MUST_BE_POSITIVE },
  LONG_RANGE: { script: [['ZRANDMEMBER', 'z', '-9223372036854775808']], expect: Err.LONG_RANGE },
  OUT_OF_RANGE: { script: [['ZRANDMEMBER', 'z', '9223372036854775807', 'WITHSCORES']], expect: Err.OUT_OF_RANGE },
  GEO_INVALID_PAIR: { script: [['GEOADD', 'g', '200', '10', 'x']], expect: Err.GEO_INVALID_PAIR('200.000000', '10.000000') },
  GEO_UNIT: { script: [['GEODIST', 'g', 'a', 'b', 'parsec']], expect: Err.GEO_UNIT },
  GEO_NO_MEMBER: { script: [['GEOADD', 'g', '1', '1', 'a'], ['GEOSEARCH', 'g', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km']], expect: Err.GEO_NO_MEMBER },
  GEO_RADIUS_NEGATIVE: { script: [['GEORADIUS', 'g', '1', '1', '-1', 'km']], expect: Err.GEO_RADIUS_NEGATIVE },
  GEO_NEED_RADIUS: { script: [['GEORADIUS', 'g', '1', '1', 'x', 'km']], expect: Err.GEO_NEED_RADIUS },
  GEO_NEED_WIDTH: { script: [['GEOSEARCH', 'g', 'FROMLONLAT', '1', '1', 'BYBOX', 'x', '1', 'km']], expect: Err.GEO_NEED_WIDTH },
  GEO_NEED_HEIGHT: { script: [['GEOSEARCH', 'g', 'FROMLONLAT', '1', '1', 'BYBOX', '1', 'x', 'km']], expect: Err.GEO_NEED_HEIGHT },
  GEO_BOX_NEGATIVE: { script: [['GEOSEARCH', 'g', 'FROMLONLAT', '1', '1', 'BYBOX', '-1', '1', 'km']], expect: Err.GEO_BOX_NEGATIVE },
  GEO_COUNT: { script: [['GEORADIUS', 'g', '1', '1', '1', 'km', 'COUNT', '0']], expect: Err.GEO_COUNT },
  GEO_ANY_NEEDS_COUNT: { script: [['GEORADIUS', 'g', '1', '1', '1', 'km', 'ANY']], expect: Err.GEO_ANY_NEEDS_COUNT },
  GEO_ONE_FROM: { script: [['GEOSEARCH', 'g', 'BYRADIUS', '1', 'km', 'ASC', 'ASC']], expect: Err.GEO_ONE_FROM('GEOSEARCH') },
  GEO_ONE_BY: { script: [['GEOSEARCH', 'g', 'FROMLONLAT', '1', '1', 'ASC', 'ASC']], expect: Err.GEO_ONE_BY('GEOSEARCH') },
  GEOSEARCHSTORE_OPTIONS: {
    script: [['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'WITHDIST']],
    expect: Err.GEOSEARCHSTORE_OPTIONS,
  },
  GEORADIUS_STORE_OPTIONS: { script: [['GEORADIUS', 'g', '1', '1', '1', 'km', 'WITHDIST', 'STORE', 'd']], expect: Err.GEORADIUS_STORE_OPTIONS },
  // bitmaps, HyperLogLog and LCS
  BIT_OFFSET: { script: [['SETBIT', 'k', '-1', '1']], expect: Err.BIT_OFFSET },
  BIT_VALUE: { script: [['SETBIT', 'k', '0', '2']], expect: Err.BIT_VALUE },
  BITPOS_BIT: { script: [['BITPOS', 'k', '2']], expect: Err.BITPOS_BIT },
  BITOP_NOT_ONE_KEY: { script: [['BITOP', 'NOT', 'd', 'a', 'b']], expect: Err.BITOP_NOT_ONE_KEY },
  BITFIELD_OVERFLOW_TYPE: { script: [['BITFIELD', 'k', 'OVERFLOW', 'foo']], expect: Err.BITFIELD_OVERFLOW_TYPE },
  BITFIELD_TYPE: { script: [['BITFIELD', 'k', 'GET', 'u64', '0']], expect: Err.BITFIELD_TYPE },
  BITFIELD_RO_GET_ONLY: { script: [['BITFIELD_RO', 'k', 'SET', 'u8', '0', '1']], expect: Err.BITFIELD_RO_GET_ONLY },
  HLL_WRONGTYPE: { script: [['SET', 'k', 'not a hyperloglog'], ['PFADD', 'k', 'a']], expect: Err.HLL_WRONGTYPE },
  HLL_CORRUPTED: {
    // a sparse HyperLogLog whose one XZERO opcode covers 1 register instead of 16384
    script: [['SET', 'k', 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x40\x00'], ['PFCOUNT', 'k']],
    expect: Err.HLL_CORRUPTED,
  },
  LCS_WRONGTYPE: {
    setup: (kv) => kv.context.keyspace.dbs[0]!.set('other', new OtherType() as never),
    script: [['LCS', 'other', 'k']],
    expect: Err.LCS_WRONGTYPE,
  },
  LCS_LEN_AND_IDX: { script: [['LCS', 'a', 'b', 'LEN', 'IDX']], expect: Err.LCS_LEN_AND_IDX },
  LCS_MEMORY: {
    script: [['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SET', 'a', 'x'.repeat(1000)], ['LCS', 'a', 'a']],
    expect: Err.LCS_MEMORY,
  },
  PFDEBUG_NO_KEY: { script: [['PFDEBUG', 'GETREG', 'missing']], expect: Err.PFDEBUG_NO_KEY },
  PFDEBUG_NOT_SPARSE: { script: [['PFADD', 'h', 'a'], ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'DECODE', 'h']], expect: Err.PFDEBUG_NOT_SPARSE },
  PFDEBUG_UNKNOWN: { script: [['PFADD', 'h', 'a'], ['PFDEBUG', 'FOO', 'h']], expect: Err.PFDEBUG_UNKNOWN('FOO') },
  // DENIED_PROTECTED needs a client on a non-loopback address: compat-tests/protected-mode.test.ts
  // triggers it from a network namespace (checked below to stay that way).
  // hashes and sets
  HASH_NOT_INTEGER: { script: [['HSET', 'h', 'f', 'x'], ['HINCRBY', 'h', 'f', '1']], expect: Err.HASH_NOT_INTEGER },
  HASH_NOT_FLOAT: { script: [['HSET', 'h', 'f', 'x'], ['HINCRBYFLOAT', 'h', 'f', '1']], expect: Err.HASH_NOT_FLOAT },
  NAN_OR_INFINITY_VALUE: { script: [['HINCRBYFLOAT', 'h', 'f', 'inf']], expect: Err.NAN_OR_INFINITY_VALUE },
  NUMKEYS_TOO_MANY: { script: [['SINTERCARD', '2', 's']], expect: Err.NUMKEYS_TOO_MANY },
};

const protocolTriggers: Record<string, Trigger> = {
  INVALID_MULTIBULK: { raw: '*x\r\n', expect: protocol(ProtocolErr.INVALID_MULTIBULK) },
  UNAUTH_MULTIBULK: { settings: { requirepass: 'pw' }, raw: '*11\r\n', expect: protocol(ProtocolErr.UNAUTH_MULTIBULK) },
  INVALID_BULK: { raw: '*1\r\n$-5\r\n', expect: protocol(ProtocolErr.INVALID_BULK) },
  UNAUTH_BULK: { settings: { requirepass: 'pw' }, raw: '*1\r\n$16385\r\n', expect: protocol(ProtocolErr.UNAUTH_BULK) },
  BIG_MBULK_COUNT: { raw: '*' + '1'.repeat(70000), expect: protocol(ProtocolErr.BIG_MBULK_COUNT) },
  BIG_BULK_COUNT: { raw: '*1\r\n$' + '1'.repeat(70000), expect: protocol(ProtocolErr.BIG_BULK_COUNT) },
  BIG_INLINE: { raw: 'x'.repeat(70000), expect: protocol(ProtocolErr.BIG_INLINE) },
  UNBALANCED_QUOTES: { raw: 'SET "a b\r\n', expect: protocol(ProtocolErr.UNBALANCED_QUOTES) },
  EXPECTED_DOLLAR: { raw: '*1\r\n:1\r\n', expect: protocol(ProtocolErr.EXPECTED_DOLLAR(':')) },
};

const COVERED_ELSEWHERE: Record<string, string> = { DENIED_PROTECTED: 'compat-tests/protected-mode.test.ts' };

test('every catalogue entry has a trigger', async () => {
  const missing = Object.keys(Err).filter((k) => !(k in triggers) && !(k in COVERED_ELSEWHERE));
  assert.equal(missing, [], 'Err entries without a trigger');
  const missingProtocol = Object.keys(ProtocolErr).filter((k) => !(k in protocolTriggers));
  assert.equal(missingProtocol, [], 'ProtocolErr entries without a trigger');
  const { readFileSync } = await import('node:fs');
  for (const [key, file] of Object.entries(COVERED_ELSEWHERE)) {
    assert.ok(readFileSync(file, 'utf8').includes(`Err.${key}`), `${file} should exercise Err.${key}`);
  }
});

for (const [name, t] of Object.entries({ ...triggers, ...protocolTriggers })) {
  test(`${name} is sent as Redis sends it`, async () => {
    const kv = await startKv(t.settings ?? {});
    const extra: RawClient[] = [];
    try {
      await t.setup?.(kv);
      for (let i = 0; i < (t.extraClients ?? 0); i++) {
        const x = await RawClient.connect(kv.port);
        await x.call('PING').catch(() => '');
        extra.push(x);
      }
      const c = await RawClient.connect(kv.port);
      let last = '';
      if (t.raw !== undefined) {
        c.write(t.raw);
        last = await c.readReply();
      } else if (t.script!.length === 0) {
        last = await c.readReply();
      } else {
        for (const cmd of t.script!) {
          c.write(encodeCommand(cmd));
          last = await c.readReply();
        }
      }
      c.close();
      assert.is(last, `-${t.expect}\r\n`);
      // the server lives on
      const probe = await RawClient.connect(kv.port);
      if (!t.extraClients) assert.is(await probe.call('PING'), t.settings?.requirepass ? `-${Err.NOAUTH}\r\n` : '+PONG\r\n');
      probe.close();
    } finally {
      for (const x of extra) x.close();
      await kv.stop();
    }
  });
}

test.run();
