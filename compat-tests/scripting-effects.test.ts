/*
 * What scripts propagate (Redis 7 effects replication: the commands a script ran, wrapped in
 * MULTI/EXEC when there are several, never the EVAL itself), SELECT inside a script, and FUNCTION
 * DUMP payloads moving both ways between kv-server and redis-server (Redis's RDB format with LZF
 * and CRC64).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv, startRedis } from './harness.js';

test('a script propagates its commands, MULTI/EXEC-wrapped when several', async () => {
  const kv = await startKv();
  const effects: string[] = [];
  kv.context.effects = (db, argv) => effects.push(`${db}: ${argv.join(' ')}`);
  const c = await RawClient.connect(kv.port);
  try {
    for (let run = 0; run < 2; run++) {
      // the first run goes to the worker thread, the second to the main thread's engine
      effects.length = 0;
      assert.is(await c.call('EVAL', "redis.call('set', 'a', '1') redis.call('incr', 'a') return 1", '0'), ':1\r\n');
      assert.equal(effects, ['0: MULTI', '0: set a 1', '0: incr a', '0: EXEC']);
      effects.length = 0;
      assert.is(await c.call('EVAL', "return redis.call('set', KEYS[1], ARGV[1], 'EX', 100)", '1', 'b', 'v'), '+OK\r\n');
      assert.equal(effects.length, 1);
      assert.match(effects[0]!, /^0: set b v PXAT \d+$/i);
      effects.length = 0;
      assert.is(await c.call('EVAL', "return redis.call('get', 'a')", '0'), '$1\r\n2\r\n');
      assert.equal(effects, []);
      effects.length = 0;
      assert.is(await c.call('EVAL', "redis.call('select', 2) redis.call('set', 'x', 'y') redis.call('select', 0) return redis.call('del', 'a')", '0'), ':1\r\n');
      assert.equal(effects, ['2: MULTI', '2: set x y', '0: del a', '0: EXEC']);
    }
    // the caller's database is its own: SELECT in the script did not change it
    assert.is(await c.call('GET', 'x'), '$-1\r\n');
  } finally {
    c.close();
    await kv.stop();
  }
});

const LIB = "#!lua name=dumped\nredis.register_function('dumpedfn', function(keys, args) return 'restored ' .. (args[1] or '') end)\n-- padding so that Redis compresses the payload: " + 'abcabcabc'.repeat(20);

test('FUNCTION DUMP and RESTORE: within kv-server and with redis-server both ways', async () => {
  const kv = await startKv();
  const redis = await startRedis();
  const c = await RawClient.connect(kv.port);
  try {
    assert.is(await c.call('FUNCTION', 'LOAD', LIB), '$6\r\ndumped\r\n');
    const dump = await c.call('FUNCTION', 'DUMP');
    const payload = dump.slice(dump.indexOf('\r\n') + 2, -2);
    // RESTORE words it without quotes (Redis's libraryJoin), LOAD with them
    assert.is(await c.call('FUNCTION', 'RESTORE', payload), `-ERR Library dumped already exists\r\n`);
    assert.is(await c.call('FUNCTION', 'RESTORE', payload, 'REPLACE'), '+OK\r\n');
    assert.is(await c.call('FUNCTION', 'FLUSH'), '+OK\r\n');
    assert.is(await c.call('FCALL', 'dumpedfn', '0', 'x'), '-ERR Function not found\r\n');
    assert.is(await c.call('FUNCTION', 'RESTORE', payload), '+OK\r\n');
    assert.is(await c.call('FCALL', 'dumpedfn', '0', 'x'), '$10\r\nrestored x\r\n');
    // a corrupted payload is refused
    const bad = payload.slice(0, 5) + String.fromCharCode(payload.charCodeAt(5) ^ 1) + payload.slice(6);
    assert.is(await c.call('FUNCTION', 'RESTORE', bad), '-ERR DUMP payload version or checksum are wrong\r\n');
    if (redis !== null) {
      const r = await RawClient.connect(redis.port);
      try {
        await r.call('FUNCTION', 'FLUSH');
        assert.is(await r.call('FUNCTION', 'RESTORE', payload), '+OK\r\n', 'Redis restores our payload');
        assert.is(await r.call('FCALL', 'dumpedfn', '0', 'y'), '$10\r\nrestored y\r\n');
        const theirs = await r.call('FUNCTION', 'DUMP');
        const theirPayload = theirs.slice(theirs.indexOf('\r\n') + 2, -2);
        assert.is(theirPayload, payload, 'the same bytes as Redis (LZF-compressed as Redis does)');
        await c.call('FUNCTION', 'FLUSH');
        assert.is(await c.call('FUNCTION', 'RESTORE', theirPayload), '+OK\r\n', 'we restore Redis payloads');
        assert.is(await c.call('FCALL', 'dumpedfn', '0', 'z'), '$10\r\nrestored z\r\n');
        assert.is(await c.call('FUNCTION', 'LIST', 'WITHCODE'), await r.call('FUNCTION', 'LIST', 'WITHCODE'));
      } finally {
        r.close();
      }
    }
  } finally {
    c.close();
    await kv.stop();
    await redis?.stop();
  }
});

test('FUNCTION LOAD, DELETE, FLUSH and RESTORE propagate as received; a refused one does not', async () => {
  const kv = await startKv();
  const effects: string[] = [];
  kv.context.effects = (db, argv) => effects.push(`${db}: ${argv.join(' ')}`);
  const c = await RawClient.connect(kv.port);
  try {
    const dirty = async () => Number(/rdb_changes_since_last_save:(\d+)/.exec(await c.call('INFO', 'persistence'))![1]);
    const before = await dirty();
    assert.is(await c.call('FUNCTION', 'LOAD', LIB), '$6\r\ndumped\r\n');
    assert.is(await c.call('FUNCTION', 'LOAD', LIB), `-ERR Library 'dumped' already exists\r\n`);
    const dump = await c.call('FUNCTION', 'DUMP');
    const payload = dump.slice(dump.indexOf('\r\n') + 2, -2);
    assert.is(await c.call('FUNCTION', 'DELETE', 'dumped'), '+OK\r\n');
    assert.is(await c.call('FUNCTION', 'DELETE', 'dumped'), '-ERR Library not found\r\n');
    assert.is(await c.call('FUNCTION', 'RESTORE', payload), '+OK\r\n');
    assert.is(await c.call('FUNCTION', 'FLUSH'), '+OK\r\n');
    assert.equal(effects.map((e) => e.split(' ').slice(0, 3).join(' ')), ['0: FUNCTION LOAD', '0: FUNCTION DELETE', '0: FUNCTION RESTORE', '0: FUNCTION FLUSH']);
    assert.is(await dirty(), before + 4, 'each counts as an unsaved change, as server.dirty++ in Redis');
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
