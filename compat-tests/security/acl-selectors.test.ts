/*
 * ACL selectors (Redis 7.0's `(…)` rules) beyond the differential cases: the ACL file written by
 * ACL SAVE is the file redis-server writes for the same users, byte for byte, and each server
 * loads the other's; `user` lines in the config file take selectors; an unclosed selector in an
 * ACL file is refused (Redis 7.0.15 crashes on one); the permissions a selector grants are real
 * for clients (a command runs when any selector allows it whole), and a subscriber is kept only
 * while some selector still allows its channels. Each test is named for the mistake it covers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient, startKv, startRedis } from '../harness.js';
import { Err } from '../../src/resp/errors.js';
import { Config } from '../../src/core/config.js';
import { loadConfigFile } from '../../src/server/cli.js';
import { startServer } from '../../src/server/app.js';
import { Logger } from '../../src/server/log.js';

const OK = '+OK\r\n';
const err = (text: string) => `-${text}\r\n`;
const dir = mkdtempSync(join(tmpdir(), 'kv-acl-sel-'));

/** Users whose lines do not depend on Redis's command-dict order (one single command per set). */
const SETUPS: string[][] = [
  ['ACL', 'SETUSER', 'alice', 'on', '>pw', '~a*', '+get', '(+set ~b* &news*)', '(%R~r* %W~w* +@read)'],
  ['ACL', 'SETUSER', 'bob', 'off', '(+@all ~* &*)', '()'],
  ['ACL', 'SETUSER', 'carol', 'on', 'nopass', '+@hash', '-hset', '(-@all +@string -get ~s:*)'],
];

test('ACL SAVE writes selectors as redis-server does (same file, byte for byte), and each loads the other', async () => {
  const kvFile = join(dir, 'kv.acl');
  const redisFile = join(dir, 'redis.acl');
  writeFileSync(kvFile, '');
  writeFileSync(redisFile, '');
  const kv = await startKv({ aclfile: kvFile });
  const redis = await startRedis({ aclfile: redisFile });
  const a = await RawClient.connect(kv.port);
  try {
    for (const cmd of SETUPS) assert.is(await a.call(...cmd), OK, cmd.join(' '));
    assert.is(await a.call('ACL', 'SAVE'), OK);
    const ours = readFileSync(kvFile, 'latin1');
    assert.ok(ours.includes('user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~a* resetchannels -@all +get (~b* resetchannels &news* -@all +set) (%R~r* %W~w* resetchannels -@all +@read)\n'), ours);
    if (redis !== null) {
      const r = await RawClient.connect(redis.port);
      for (const cmd of SETUPS) assert.is(await r.call(...cmd), OK);
      assert.is(await r.call('ACL', 'SAVE'), OK);
      assert.is(ours, readFileSync(redisFile, 'latin1'), 'the same file as redis-server writes');
      // each loads the other's file and lists the same users
      writeFileSync(kvFile, readFileSync(redisFile));
      assert.is(await a.call('ACL', 'LOAD'), OK);
      assert.is(await r.call('ACL', 'LOAD'), OK);
      assert.is(await a.call('ACL', 'LIST'), await r.call('ACL', 'LIST'));
      r.close();
    } else {
      assert.is(await a.call('ACL', 'LOAD'), OK);
    }
    // loaded back, the selectors still grant what they said
    const alice = await RawClient.connect(kv.port);
    assert.is(await alice.call('AUTH', 'alice', 'pw'), OK);
    assert.is(await alice.call('SET', 'b1', 'v'), OK);
    assert.is(await alice.call('GET', 'r1'), '$-1\r\n');
    assert.is(await alice.call('SET', 'a1', 'v'), err(Err.NOPERM_KEY));
    alice.close();
  } finally {
    a.close();
    await kv.stop();
    await redis?.stop();
  }
});

test('an ACL file with an unclosed selector is refused whole by ACL LOAD (Redis 7.0.15 crashes on it)', async () => {
  const path = join(dir, 'unclosed.acl');
  writeFileSync(path, 'user default on nopass ~* &* +@all\nuser x on (+get ~a\nuser z on (+get ~a) (on)\n');
  const kv = await startKv({ aclfile: join(dir, 'kv.acl') });
  const a = await RawClient.connect(kv.port);
  try {
    kv.context.config.set('aclfile', path);
    assert.is(
      await a.call('ACL', 'LOAD'),
      err(
        Err.ACL_LOAD_FAILED(
          `${path}:2: Unmatched parenthesis in acl selector starting at '(+get'. ${path}:3: Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed`,
        ),
      ),
    );
    assert.ok((await a.call('ACL', 'USERS')).includes('alice'), 'the old users stay');
  } finally {
    a.close();
    await kv.stop();
  }
});

test('`user` lines in the config file take selectors written with spaces', async () => {
  const config = new Config();
  config.set('port', '0');
  loadConfigFile(config, 'user dave on >pw ~a* +get (+set ~b*) "(+del ~d*)"\n');
  const kv = await startServer(config, { logger: new Logger('warning') });
  try {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'dave', 'pw'), OK);
    assert.is(await c.call('SET', 'b1', 'v'), OK);
    assert.is(await c.call('DEL', 'd1'), ':0\r\n');
    assert.is(await c.call('SET', 'a1', 'v'), err(Err.NOPERM_KEY));
    // no set allows it: the key denial (DEL's selector, d* only) outranks the command denials
    assert.is(await c.call('DEL', 'b1'), err(Err.NOPERM_KEY));
    assert.is(await c.call('HSET', 'b1', 'f', 'v'), err(Err.NOPERM_COMMAND('hset')));
    c.close();
  } finally {
    await kv.stop();
  }
  const bad = new Config();
  bad.set('port', '0');
  loadConfigFile(bad, 'user eve on (+get ~a\n');
  await startServer(bad, { logger: new Logger('warning') }).then(
    async (s) => {
      await s.stop();
      assert.unreachable('started with an unclosed selector');
    },
    (e: Error) => assert.match(e.message, /Unmatched parenthesis in acl selector starting at '\(\+get'/),
  );
});

test('a selector granting a command does not leak its keys to the root (each selector checks its own keys)', async () => {
  const kv = await startKv();
  const a = await RawClient.connect(kv.port);
  const u = await RawClient.connect(kv.port);
  try {
    assert.is(await a.call('ACL', 'SETUSER', 'f', 'on', '>pw', '~a*', '+get', '(+set ~b*)'), OK);
    assert.is(await u.call('AUTH', 'f', 'pw'), OK);
    assert.is(await u.call('SET', 'b1', 'x'), OK);
    assert.is(await u.call('GET', 'b1'), err(Err.NOPERM_KEY), 'GET is the root\'s, b* the selector\'s');
    assert.is(await u.call('MSET', 'b1', 'x'), err(Err.NOPERM_COMMAND('mset')));
    // a script's redis.call is checked the same way
    assert.is(await a.call('ACL', 'SETUSER', 'f', '+eval', '~k'), OK);
    assert.is(await u.call('EVAL', "return redis.call('get', KEYS[1])", '1', 'k'), '$-1\r\n');
    assert.ok((await u.call('EVAL', "return redis.call('set', KEYS[1], 'v')", '1', 'k')).startsWith(`-${Err.SCRIPT_NOPERM_KEY}`), 'SET is the selector\'s, k the root\'s');
    assert.ok((await u.call('EVAL', "return redis.call('del', KEYS[1])", '1', 'k')).startsWith(`-${Err.SCRIPT_NOPERM_COMMAND}`));
  } finally {
    a.close();
    u.close();
    await kv.stop();
  }
});

test('a subscriber stays while a selector allows its channel, and is disconnected once none does', async () => {
  const kv = await startKv();
  const a = await RawClient.connect(kv.port);
  const sub = await RawClient.connect(kv.port);
  try {
    assert.is(await a.call('ACL', 'SETUSER', 'g', 'on', '>pw', 'resetchannels', '+@all', '~*', '(&news* +subscribe)'), OK);
    assert.is(await sub.call('AUTH', 'g', 'pw'), OK);
    assert.ok((await sub.call('SUBSCRIBE', 'news1')).includes('news1'));
    assert.is(await a.call('ACL', 'SETUSER', 'g', '(&news* +get)'), OK);
    await new Promise((r) => setTimeout(r, 100));
    assert.not.ok(sub.closed, 'still allowed by a selector');
    assert.is(await a.call('ACL', 'SETUSER', 'g', 'clearselectors'), OK);
    await sub.readReply(2000).catch(() => '');
    assert.ok(sub.closed, 'no selector allows news1 any more');
  } finally {
    a.close();
    sub.close();
    await kv.stop();
  }
});

test.run();
