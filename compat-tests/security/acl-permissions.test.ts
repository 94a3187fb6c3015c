/*
 * Authorisation: a user limited by commands, key patterns and channel patterns must not get
 * around its limits — directly, in MULTI, from a script, through a subcommand, or by another
 * tenant's keys. Each test is named for the attack or mistake it covers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv } from '../harness.js';
import type { RunningServer } from '../../src/server/app.js';
import { Err } from '../../src/resp/errors.js';

const OK = '+OK\r\n';
const err = (text: string) => `-${text}\r\n`;

let kv: RunningServer;
let admin: RawClient;

async function as(user: string, ...rules: string[]): Promise<RawClient> {
  await admin.call('ACL', 'DELUSER', user);
  assert.is(await admin.call('ACL', 'SETUSER', user, 'on', '>pw', ...rules), OK);
  const c = await RawClient.connect(kv.port);
  assert.is(await c.call('AUTH', user, 'pw'), OK);
  return c;
}

test.before(async () => {
  kv = await startKv();
  admin = await RawClient.connect(kv.port);
});
test.after(async () => {
  admin.close();
  await kv.stop();
});

test("a user without ~app:* cannot read another tenant's key", async () => {
  await admin.call('SET', 'other:secret', 'x');
  await admin.call('SET', 'app:1', 'mine');
  const c = await as('tenant', '+@all', '~app:*');
  assert.is(await c.call('GET', 'app:1'), '$4\r\nmine\r\n');
  assert.is(await c.call('GET', 'other:secret'), err(Err.NOPERM_KEY));
  assert.is(await c.call('MGET', 'app:1', 'other:secret'), err(Err.NOPERM_KEY));
  assert.is(await c.call('EXISTS', 'other:secret'), err(Err.NOPERM_KEY));
  c.close();
});

test("a tenant cannot write another tenant's key, nor rename its key into it", async () => {
  const c = await as('tenant2', '+@all', '~app:*');
  assert.is(await c.call('SET', 'other:k', 'x'), err(Err.NOPERM_KEY));
  assert.is(await c.call('SET', 'app:k', 'x'), OK);
  assert.is(await c.call('RENAME', 'app:k', 'other:k'), err(Err.NOPERM_KEY));
  assert.is(await c.call('COPY', 'app:k', 'other:k'), err(Err.NOPERM_KEY));
  assert.is(await admin.call('EXISTS', 'other:k'), ':0\r\n');
  c.close();
});

test('a script cannot reach keys its caller may not touch (KEYS[] or hard-coded)', async () => {
  await admin.call('SET', 'other:secret', 'x');
  const c = await as('scripter', '+@all', '~app:*');
  assert.match(await c.call('EVAL', "return redis.call('get', KEYS[1])", '1', 'other:secret'), /^-NOPERM/);
  assert.match(await c.call('EVAL', "return redis.call('get', 'other:secret')", '0'), /^-ERR The user executing the script can't access at least one of the keys/);
  assert.match(await c.call('EVAL', "return redis.pcall('set', 'other:x', '1')", '0'), /^-ERR The user executing the script can't access/);
  assert.is(await admin.call('EXISTS', 'other:x'), ':0\r\n');
  c.close();
});

test('a script cannot run a command its caller may not run', async () => {
  await admin.call('SET', 'keep', '1');
  const c = await as('noflush', '+@all', '-@dangerous', '~*', '&*');
  assert.match(await c.call('EVAL', "return redis.call('flushall')", '0'), /^-ERR The user executing the script can't run this command or subcommand/);
  assert.is(await admin.call('EXISTS', 'keep'), ':1\r\n');
  c.close();
});

test('MULTI cannot smuggle a denied command: it is refused at queue time and EXEC aborts', async () => {
  await admin.call('SET', 'keep', '1');
  const c = await as('multi', '+@all', '-flushall', '~*', '&*');
  assert.is(await c.call('MULTI'), OK);
  assert.is(await c.call('SET', 'x', '1'), '+QUEUED\r\n');
  assert.is(await c.call('FLUSHALL'), err(Err.NOPERM_COMMAND('flushall')));
  assert.is(await c.call('EXEC'), err(Err.EXECABORT));
  assert.is(await admin.call('EXISTS', 'keep'), ':1\r\n');
  assert.is(await admin.call('EXISTS', 'x'), ':0\r\n');
  c.close();
});

test('permissions revoked between MULTI and EXEC are enforced at EXEC', async () => {
  const c = await as('revoked', '+@all', '~*', '&*');
  assert.is(await c.call('MULTI'), OK);
  assert.is(await c.call('SET', 'r', '1'), '+QUEUED\r\n');
  await admin.call('ACL', 'SETUSER', 'revoked', '-set');
  const reply = await c.call('EXEC');
  assert.match(reply, /^\*1\r\n-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call/);
  assert.is(await admin.call('EXISTS', 'r'), ':0\r\n');
  c.close();
});

test('a user allowed CONFIG GET cannot run CONFIG SET (subcommand rules)', async () => {
  const c = await as('cfg', '+config|get', '~*');
  assert.match(await c.call('CONFIG', 'GET', 'maxmemory'), /^\*2/);
  assert.is(await c.call('CONFIG', 'SET', 'maxmemory', '1'), err(Err.NOPERM_COMMAND('config|set')));
  assert.is(await admin.call('CONFIG', 'GET', 'maxmemory'), '*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
  c.close();
});

test('-@dangerous keeps FLUSHALL, CONFIG, DEBUG, ACL SETUSER and KEYS away from an app user', async () => {
  const c = await as('app', '+@all', '-@dangerous', '~*', '&*');
  for (const cmd of [['FLUSHALL'], ['FLUSHDB'], ['CONFIG', 'SET', 'maxmemory', '1'], ['DEBUG', 'SLEEP', '0'], ['KEYS', '*'], ['ACL', 'SETUSER', 'app', '+@all'], ['SHUTDOWN']]) {
    assert.match(await c.call(...cmd), /^-NOPERM this user has no permissions to run the '/, cmd.join(' '));
  }
  assert.is(await c.call('SET', 'k', 'v'), OK);
  c.close();
});

test('a user cannot raise its own permissions without ACL SETUSER rights', async () => {
  const c = await as('self', '+@read', '+@write', '~*');
  assert.is(await c.call('ACL', 'SETUSER', 'self', '+@all'), err(Err.NOPERM_COMMAND('acl|setuser')));
  assert.is(await c.call('ACL', 'GETUSER', 'default'), err(Err.NOPERM_COMMAND('acl|getuser')));
  c.close();
});

test('read-only patterns (%R~) refuse writes and write-only patterns (%W~) refuse reads', async () => {
  const c = await as('rw', '+@all', '%R~ro:*', '%W~wo:*', '&*');
  await admin.call('SET', 'ro:1', 'v');
  assert.is(await c.call('GET', 'ro:1'), '$1\r\nv\r\n');
  assert.is(await c.call('SET', 'ro:1', 'x'), err(Err.NOPERM_KEY));
  assert.is(await c.call('DEL', 'ro:1'), err(Err.NOPERM_KEY));
  assert.is(await c.call('SET', 'wo:1', 'x'), OK);
  assert.is(await c.call('GET', 'wo:1'), err(Err.NOPERM_KEY));
  c.close();
});

test("a subscriber cannot listen on another tenant's channels, nor widen them with a pattern", async () => {
  const c = await as('sub', '+@all', '~*', 'resetchannels', '&app:*');
  assert.is(await c.call('SUBSCRIBE', 'other:events'), err(Err.NOPERM_CHANNEL));
  assert.is(await c.call('PSUBSCRIBE', '*'), err(Err.NOPERM_CHANNEL));
  assert.is(await c.call('PSUBSCRIBE', 'app:*'), '*3\r\n$10\r\npsubscribe\r\n$5\r\napp:*\r\n:1\r\n');
  c.close();
});

test("a publisher cannot publish into another tenant's channel", async () => {
  const c = await as('pub', '+@all', '~*', 'resetchannels', '&app:*');
  assert.is(await c.call('PUBLISH', 'other:events', 'spoofed'), err(Err.NOPERM_CHANNEL));
  assert.is(await c.call('PUBLISH', 'app:events', 'ok'), ':0\r\n');
  c.close();
});

test('a subscriber loses its connection when its channel permission is revoked', async () => {
  const c = await as('revsub', '+@all', '~*', 'resetchannels', '&news');
  assert.match(await c.call('SUBSCRIBE', 'news'), /^\*3/);
  assert.is(await admin.call('ACL', 'SETUSER', 'revsub', 'resetchannels'), OK);
  await c.readReply(2000).catch(() => '');
  assert.ok(c.closed);
});

test('ACL LOG records a denied command, key and channel with their context', async () => {
  await admin.call('ACL', 'LOG', 'RESET');
  const c = await as('logged', '+get', '+publish', '+multi', '+discard', '~app:*', 'resetchannels');
  await c.call('SET', 'app:1', 'v');
  await c.call('GET', 'other');
  await c.call('PUBLISH', 'chan', 'm');
  await c.call('MULTI');
  await c.call('GET', 'other2');
  await c.call('DISCARD');
  const log = await admin.call('ACL', 'LOG');
  const entries = log.split('*14\r\n').slice(1);
  assert.is(entries.length, 4);
  const fields = entries.map((e) => e.match(/reason\r\n\$\d+\r\n(\w+)\r\n\$7\r\ncontext\r\n\$\d+\r\n(\w+)\r\n\$6\r\nobject\r\n\$\d+\r\n([^\r]+)\r\n/)!.slice(1).join(' '));
  assert.equal(fields, ['key multi other2', 'channel toplevel chan', 'key toplevel other', 'command toplevel set']);
  assert.ok(entries[0]!.includes('user=logged'));
  c.close();
});

test('DRYRUN answers for another user without running anything or logging', async () => {
  await admin.call('ACL', 'LOG', 'RESET');
  await admin.call('ACL', 'SETUSER', 'dry', 'on', '+set', '~dry:*');
  assert.is(await admin.call('ACL', 'DRYRUN', 'dry', 'set', 'dry:1', 'v'), OK);
  assert.is(await admin.call('EXISTS', 'dry:1'), ':0\r\n');
  assert.match(await admin.call('ACL', 'DRYRUN', 'dry', 'set', 'x', 'v'), /no permissions to access the 'x' key/);
  assert.is(await admin.call('ACL', 'LOG'), '*0\r\n');
});

test('a mistyped command in a rule is refused, not silently granting nothing', async () => {
  assert.match(await admin.call('ACL', 'SETUSER', 'typo', '+gett'), /^-ERR Error in ACL SETUSER modifier '\+gett': Unknown command/);
  assert.is(await admin.call('ACL', 'GETUSER', 'typo'), '$-1\r\n');
});

test('denying one command leaves the rest of +@all working, and other users unaffected', async () => {
  const c = await as('almost', '+@all', '~*', '&*', '-debug');
  assert.is(await c.call('SET', 'f', '1'), OK);
  assert.is(await c.call('DEBUG', 'SLEEP', '0'), err(Err.NOPERM_COMMAND('debug')));
  assert.is(await admin.call('DEBUG', 'SLEEP', '0'), OK);
  c.close();
});

test.run();
