/*
 * Administering users: deleting a user ends its sessions, CLIENT LIST/KILL by user, the ACL file
 * (load at start, ACL LOAD all or nothing, ACL SAVE), `user` lines in the config file, and the
 * namespace binding. Each test is named for the attack or mistake it covers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient, startKv } from '../harness.js';
import type { RunningServer } from '../../src/server/app.js';
import { Err } from '../../src/resp/errors.js';
import { Config } from '../../src/core/config.js';
import { loadConfigFile } from '../../src/server/cli.js';
import { startServer } from '../../src/server/app.js';
import { Logger } from '../../src/server/log.js';
import { hashPassword } from '../../src/security/acl-rules.js';

const OK = '+OK\r\n';
const err = (text: string) => `-${text}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const dir = mkdtempSync(join(tmpdir(), 'kv-acl-'));

async function withKv(settings: Record<string, string>, body: (kv: RunningServer, admin: RawClient) => Promise<void>): Promise<void> {
  const kv = await startKv(settings);
  const admin = await RawClient.connect(kv.port);
  try {
    await body(kv, admin);
  } finally {
    admin.close();
    await kv.stop();
  }
}

async function closedSoon(c: RawClient): Promise<boolean> {
  await c.readReply(2000).catch(() => '');
  return c.closed;
}

/** The message `start` fails with (fails the test if it starts). */
async function rejects(start: () => Promise<RunningServer>, pattern: RegExp): Promise<void> {
  let message = '';
  try {
    const kv = await start();
    await kv.stop();
  } catch (e) {
    message = (e as Error).message;
  }
  assert.match(message, pattern);
}

test("deleting a user disconnects its sessions (a fired employee's open connection dies)", () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*', '&*');
    const bob = await RawClient.connect(kv.port);
    const other = await RawClient.connect(kv.port);
    assert.is(await bob.call('AUTH', 'bob', 'pw'), OK);
    assert.is(await admin.call('ACL', 'DELUSER', 'bob'), ':1\r\n');
    assert.ok(await closedSoon(bob));
    assert.is(await other.call('PING'), '+PONG\r\n');
    other.close();
  }));

test('turning a user off refuses new logins but, as Redis, keeps its open sessions', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*', '&*');
    const bob = await RawClient.connect(kv.port);
    assert.is(await bob.call('AUTH', 'bob', 'pw'), OK);
    assert.is(await admin.call('ACL', 'SETUSER', 'bob', 'off'), OK);
    assert.is(await bob.call('PING'), '+PONG\r\n');
    const again = await RawClient.connect(kv.port);
    assert.is(await again.call('AUTH', 'bob', 'pw'), err(Err.WRONGPASS));
    bob.close();
    again.close();
  }));

test("changing a user's rules applies at once to its open sessions", () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*', '&*');
    const bob = await RawClient.connect(kv.port);
    await bob.call('AUTH', 'bob', 'pw');
    assert.is(await bob.call('SET', 'k', 'v'), OK);
    await admin.call('ACL', 'SETUSER', 'bob', '-set');
    assert.is(await bob.call('SET', 'k', 'v'), err(Err.NOPERM_COMMAND('set')));
    bob.close();
  }));

test('CLIENT LIST shows who is logged in as whom, and CLIENT KILL USER ends exactly those sessions', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*', '&*');
    const bob1 = await RawClient.connect(kv.port);
    const bob2 = await RawClient.connect(kv.port);
    await bob1.call('AUTH', 'bob', 'pw');
    await bob2.call('AUTH', 'bob', 'pw');
    const list = await admin.call('CLIENT', 'LIST');
    assert.is(list.match(/ user=bob /g)?.length, 2);
    assert.is(list.match(/ user=default /g)?.length, 1);
    assert.is(await admin.call('CLIENT', 'KILL', 'USER', 'bob'), ':2\r\n');
    assert.ok(await closedSoon(bob1));
    assert.ok(await closedSoon(bob2));
    assert.is(await admin.call('CLIENT', 'KILL', 'USER', 'nobody'), err(Err.NO_SUCH_USER('nobody')));
  }));

test('the ACL file is loaded at start and ACL SAVE writes it back in the same format', async () => {
  const path = join(dir, 'start.acl');
  writeFileSync(path, 'user default on nopass ~* &* +@all\n\n  user alice on >pw ~app:* +get +set  \n');
  await withKv({ aclfile: path }, async (kv, admin) => {
    const alice = await RawClient.connect(kv.port);
    assert.is(await alice.call('AUTH', 'alice', 'pw'), OK);
    assert.is(await alice.call('GET', 'other'), err(Err.NOPERM_KEY));
    assert.is(await admin.call('ACL', 'SETUSER', 'bob', 'on', '>b', '+@read', '~*'), OK);
    assert.is(await admin.call('ACL', 'SAVE'), OK);
    const saved = readFileSync(path, 'latin1').split('\n');
    assert.match(saved[0]!, /^user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~app:\* resetchannels -@all (\+get \+set|\+set \+get)$/);
    assert.match(saved[1]!, /^user bob on #[0-9a-f]{64} ~\* resetchannels -@all \+@read$/);
    assert.is(saved[2], 'user default on nopass ~* &* +@all');
    assert.not.ok(readFileSync(path, 'latin1').includes('pw'));
    alice.close();
  });
});

test('a broken ACL file is refused whole by ACL LOAD: the old users stay, with every line reported', async () => {
  const path = join(dir, 'broken.acl');
  writeFileSync(path, 'user default on nopass ~* &* +@all\nuser alice on >pw +@all ~*\n');
  await withKv({ aclfile: path }, async (_kv, admin) => {
    writeFileSync(path, '# a comment is not a user line\nuser bob on >x +nosuch\nuser carl bogus\nuser bob on\n');
    const reply = await admin.call('ACL', 'LOAD');
    assert.is(
      reply,
      err(
        `ERR ${path}:1 should start with user keyword followed by the username. ${path}:2: Error in applying operation '+nosuch': Unknown command or category name in ACL. ${path}:3: Syntax error. WARNING: Duplicate user 'bob' found on line 4. WARNING: ACL errors detected, no change to the previously active ACL rules was performed`,
      ),
    );
    assert.is(await admin.call('ACL', 'USERS'), '*2\r\n$5\r\nalice\r\n$7\r\ndefault\r\n');
  });
});

test('ACL LOAD replaces the users and disconnects the sessions of the replaced ones', async () => {
  const path = join(dir, 'reload.acl');
  writeFileSync(path, 'user alice on >pw +@all ~*\n');
  await withKv({ aclfile: path }, async (kv, admin) => {
    const alice = await RawClient.connect(kv.port);
    assert.is(await alice.call('AUTH', 'alice', 'pw'), OK);
    writeFileSync(path, 'user bob on >b +@all ~*\n');
    assert.is(await admin.call('ACL', 'LOAD'), OK);
    assert.ok(await closedSoon(alice));
    // the file has no default user: a fresh one (nopass, everything) stands in, as Redis
    assert.is(await admin.call('ACL', 'LIST'), '*2\r\n' + bulk(`user bob on #${hashPassword('b')} ~* resetchannels +@all`) + bulk('user default on nopass ~* &* +@all'));
    assert.is(await admin.call('PING'), '+PONG\r\n');
  });
});

test('a server whose ACL file is broken or missing refuses to start', async () => {
  const path = join(dir, 'bad-start.acl');
  writeFileSync(path, 'user alice on +nosuch\n');
  await rejects(() => startKv({ aclfile: path }), /Aborting Redis startup because of ACL errors: .*Unknown command or category name in ACL/);
  await rejects(() => startKv({ aclfile: join(dir, 'missing.acl') }), /opening file .*No such file or directory/);
});

test("`user` lines in the config file define users; with an aclfile too the server refuses to start", async () => {
  const config = new Config();
  config.set('port', '0');
  loadConfigFile(config, 'user alice on >pw ~app:* +get\nuser default off\n');
  const kv = await startServer(config, { logger: new Logger('warning') });
  try {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('GET', 'k'), err(Err.NOAUTH));
    assert.is(await c.call('AUTH', 'alice', 'pw'), OK);
    assert.is(await c.call('GET', 'app:1'), '$-1\r\n');
    assert.is(await c.call('SET', 'app:1', 'v'), err(Err.NOPERM_COMMAND('set')));
    c.close();
  } finally {
    await kv.stop();
  }
  const both = new Config();
  both.set('port', '0');
  loadConfigFile(both, `user alice on >pw\naclfile ${join(dir, 'start.acl')}\n`);
  await rejects(() => startServer(both, { logger: new Logger('warning') }), /users defined in redis.conf and at the same setting an ACL file path is invalid/);
});

test('aclfile cannot be changed at run time (a client cannot point the server at its own file)', () =>
  withKv({}, async (_kv, admin) => {
    assert.match(await admin.call('CONFIG', 'SET', 'aclfile', join(dir, 'evil.acl')), /^-ERR CONFIG SET failed \(possibly related to argument 'aclfile'\) - can't set immutable config/);
  }));

test('namespace=<name> binds a user to a namespace, shown by LIST and GETUSER and kept by SAVE', async () => {
  const path = join(dir, 'ns.acl');
  writeFileSync(path, 'user default on nopass ~* &* +@all\n');
  await withKv({ aclfile: path }, async (kv, admin) => {
    assert.is(await admin.call('ACL', 'SETUSER', 't1', 'on', '>pw', '+@all', '~*', 'namespace=tenant1'), OK);
    const list = await admin.call('ACL', 'LIST');
    assert.ok(list.includes('user t1 on #') && list.includes(' +@all namespace=tenant1\r\n'));
    const user = await admin.call('ACL', 'GETUSER', 't1');
    assert.match(user, /^\*14\r\n/);
    assert.ok(user.endsWith('$9\r\nnamespace\r\n$7\r\ntenant1\r\n'));
    assert.match(await admin.call('ACL', 'GETUSER', 'default'), /^\*12\r\n/);
    assert.is(await admin.call('ACL', 'SAVE'), OK);
    assert.ok(readFileSync(path, 'latin1').includes('namespace=tenant1\n'));
    assert.is(await admin.call('ACL', 'LOAD'), OK);
    assert.is(kv.context.acl.users.get('t1')?.namespace, 'tenant1');
    assert.is(kv.context.acl.users.get('default')?.namespace, undefined);
  });
});

test.run();
