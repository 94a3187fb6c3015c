/*
 * Authentication: what an attacker or a careless operator can do with AUTH, HELLO and passwords,
 * over real sockets. Each test is named for the attack or mistake it covers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv } from '../harness.js';
import type { RunningServer } from '../../src/server/app.js';
import { Err } from '../../src/resp/errors.js';
import { hashPassword } from '../../src/security/acl-rules.js';

const OK = '+OK\r\n';
const err = (text: string) => `-${text}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;

async function withKv(settings: Record<string, string>, body: (kv: RunningServer, admin: RawClient) => Promise<void>): Promise<void> {
  const kv = await startKv(settings);
  const admin = await RawClient.connect(kv.port);
  if (settings.requirepass) await admin.call('AUTH', settings.requirepass);
  try {
    await body(kv, admin);
  } finally {
    admin.close();
    await kv.stop();
  }
}

test('a disabled user cannot authenticate, even with its password', () =>
  withKv({}, async (kv, admin) => {
    assert.is(await admin.call('ACL', 'SETUSER', 'alice', 'off', '>pw', '+@all', '~*'), OK);
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'alice', 'pw'), err(Err.WRONGPASS));
    assert.is(await c.call('ACL', 'WHOAMI'), bulk('default'));
    c.close();
  }));

test('a user that does not exist gets the same WRONGPASS as a wrong password (no user enumeration)', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'alice', 'on', '>pw', '+@all');
    const c = await RawClient.connect(kv.port);
    const wrongPass = await c.call('AUTH', 'alice', 'nope');
    const noUser = await c.call('AUTH', 'mallory', 'nope');
    assert.is(wrongPass, noUser);
    assert.is(noUser, err(Err.WRONGPASS));
    c.close();
  }));

test('AUTH with a wrong password does not log out the current user', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'alice', 'on', '>pw', '+@all', '~*', '&*');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'alice', 'pw'), OK);
    assert.is(await c.call('AUTH', 'alice', 'wrong'), err(Err.WRONGPASS));
    assert.is(await c.call('ACL', 'WHOAMI'), bulk('alice'));
    c.close();
  }));

test('with requirepass, nothing but AUTH/HELLO/QUIT/RESET runs before authenticating', () =>
  withKv({ requirepass: 's3cret' }, async (kv) => {
    const c = await RawClient.connect(kv.port);
    for (const cmd of [['GET', 'k'], ['SET', 'k', 'v'], ['ACL', 'WHOAMI'], ['CONFIG', 'GET', 'requirepass'], ['FLUSHALL'], ['EVAL', 'return 1', '0']]) {
      assert.is(await c.call(...cmd), err(Err.NOAUTH), cmd.join(' '));
    }
    assert.is(await c.call('HELLO', '3'), err(Err.HELLO_NOAUTH));
    assert.is(await c.call('RESET'), '+RESET\r\n');
    assert.is(await c.call('AUTH', 's3cret'), OK);
    assert.is(await c.call('GET', 'k'), '$-1\r\n');
    c.close();
  }));

test('a MULTI queued before AUTH is refused with EXECABORT, not run', () =>
  withKv({ requirepass: 's3cret' }, async (kv, admin) => {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('MULTI'), err(Err.NOAUTH));
    assert.is(await c.call('SET', 'k', 'v'), err(Err.NOAUTH));
    assert.match(await c.call('EXEC'), /^-(NOAUTH|EXECABORT)/);
    assert.is(await admin.call('EXISTS', 'k'), ':0\r\n');
    c.close();
  }));

test('passwords are stored only as SHA-256: ACL LIST, GETUSER and SAVE never show the password', () =>
  withKv({}, async (_kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'alice', 'on', '>hunter2', '+@all');
    const list = await admin.call('ACL', 'LIST');
    const user = await admin.call('ACL', 'GETUSER', 'alice');
    assert.not.ok(list.includes('hunter2'));
    assert.not.ok(user.includes('hunter2'));
    assert.ok(list.includes('#' + hashPassword('hunter2')));
    assert.ok(user.includes(hashPassword('hunter2')));
  }));

test('a user given only a #hash can log in with the password behind it', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '#' + hashPassword('pw'), '+@all');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'bob', 'pw'), OK);
    assert.is(await c.call('AUTH', 'bob', hashPassword('pw')), err(Err.WRONGPASS));
    c.close();
  }));

test('a removed password (<pw) no longer works while the other one does', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '>old', '>new', '+@all');
    await admin.call('ACL', 'SETUSER', 'bob', '<old');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'bob', 'old'), err(Err.WRONGPASS));
    assert.is(await c.call('AUTH', 'bob', 'new'), OK);
    c.close();
  }));

test('resetpass without nopass locks the user out', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', 'resetpass');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'bob', 'pw'), err(Err.WRONGPASS));
    assert.is(await c.call('AUTH', 'bob', ''), err(Err.WRONGPASS));
    c.close();
  }));

test('a nopass user accepts any password (the documented meaning, so it is a deliberate choice)', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'guest', 'on', 'nopass', '+ping');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'guest', 'anything'), OK);
    assert.is(await c.call('GET', 'k'), err(Err.NOPERM_COMMAND('get')));
    c.close();
  }));

test('HELLO AUTH with a wrong password neither switches protocol nor authenticates', () =>
  withKv({ requirepass: 's3cret' }, async (kv) => {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('HELLO', '3', 'AUTH', 'default', 'nope'), err(Err.WRONGPASS));
    assert.is(await c.call('GET', 'k'), err(Err.NOAUTH));
    assert.match(await c.call('HELLO', '3', 'AUTH', 'default', 's3cret'), /^%7\r\n/);
    assert.is(await c.call('GET', 'k'), '_\r\n');
    c.close();
  }));

test('CONFIG SET requirepass takes effect for new connections and keeps the ones already in', () =>
  withKv({}, async (kv, admin) => {
    assert.is(await admin.call('CONFIG', 'SET', 'requirepass', 'p'), OK);
    const fresh = await RawClient.connect(kv.port);
    assert.is(await fresh.call('PING'), err(Err.NOAUTH));
    assert.is(await admin.call('PING'), '+PONG\r\n');
    assert.is(await fresh.call('AUTH', 'p'), OK);
    assert.is(await admin.call('CONFIG', 'SET', 'requirepass', ''), OK);
    const open = await RawClient.connect(kv.port);
    assert.is(await open.call('PING'), '+PONG\r\n');
    fresh.close();
    open.close();
  }));

test('turning the default user off makes every new connection authenticate', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'root', 'on', '>r', '+@all', '~*', '&*');
    assert.is(await admin.call('ACL', 'SETUSER', 'default', 'off'), OK);
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('GET', 'k'), err(Err.NOAUTH));
    // the default user still has nopass (only off): AUTH <password> says so, as Redis does
    assert.is(await c.call('AUTH', 'x'), err(Err.AUTH_NO_PASSWORD));
    assert.is(await c.call('AUTH', 'default', 'x'), err(Err.WRONGPASS));
    assert.is(await c.call('AUTH', 'root', 'r'), OK);
    assert.is(await c.call('GET', 'k'), '$-1\r\n');
    c.close();
  }));

test('RESET goes back to the default user (a shared connection does not keep a privileged login)', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'ops', 'on', '>o', '+@all', '~*', '&*');
    await admin.call('CONFIG', 'SET', 'requirepass', 'd');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('AUTH', 'ops', 'o'), OK);
    assert.is(await c.call('RESET'), '+RESET\r\n');
    assert.is(await c.call('GET', 'k'), err(Err.NOAUTH));
    c.close();
  }));

test('ACL LOG records a wrong password with the username tried, never the password', () =>
  withKv({}, async (kv, admin) => {
    await admin.call('ACL', 'SETUSER', 'alice', 'on', '>pw', '+@all');
    const c = await RawClient.connect(kv.port);
    await c.call('AUTH', 'alice', 'guess-1');
    await c.call('AUTH', 'alice', 'guess-2');
    const log = await admin.call('ACL', 'LOG');
    assert.match(log, /^\*1\r\n\*14\r\n\$5\r\ncount\r\n:2\r\n\$6\r\nreason\r\n\$4\r\nauth\r\n/);
    assert.ok(log.includes('$5\r\nalice\r\n'));
    assert.not.ok(log.includes('guess'));
    c.close();
  }));

test.run();
