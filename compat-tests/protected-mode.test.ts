/*
 * Protected mode as Redis: with protected-mode yes and no password, a client from a non-loopback
 * address gets Redis's DENIED error and the connection is closed; loopback clients are served.
 *
 * The non-loopback client needs a non-loopback address on this machine: as root with `ip`, the
 * test creates its own network namespace with 198.18.0.1 (the benchmarking range) on its loopback
 * device, runs kv-server and a real redis-server inside it bound to 0.0.0.0, and connects from
 * 198.18.0.1 — all traffic stays inside the namespace, which is always deleted at the end.
 * Without root or `ip` it says "skipped", and the accept decision is still checked by the unit
 * suite below.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IN_CI, findTool, RawClient, startKv } from './harness.js';
import { isLoopback } from '../src/server/listener.js';
import { protectedModeDenies } from '../src/security/protected-mode.js';
import type { AclStore } from '../src/security/acl-store.js';
import { Err } from '../src/resp/errors.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NS = `kvpm-${process.pid}`;
const OUTSIDE = '198.18.0.1';
const DENIED = `-${Err.DENIED_PROTECTED}\r\n`;

// ---- unit: the accept decision ----

const unit = suite('protected mode: isLoopback');
unit('loopback addresses', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(a), a);
});
unit('non-loopback addresses', () => {
  for (const a of [OUTSIDE, '10.0.0.1', '::ffff:192.168.1.2', 'fe80::1', '0.0.0.0', '', undefined]) assert.not.ok(isLoopback(a), String(a));
});
unit('the rule is Redis 7.0\'s two clauses: protected-mode yes AND the default user nopass (not requirepass, not bind)', () => {
  const acl = (nopass: boolean) => ({ defaultUser: { nopass } }) as unknown as AclStore;
  assert.ok(protectedModeDenies(true, acl(true), OUTSIDE));
  assert.not.ok(protectedModeDenies(true, acl(false), OUTSIDE), 'a password on the default user (by ACL or requirepass) lifts it');
  assert.not.ok(protectedModeDenies(false, acl(true), OUTSIDE), 'protected-mode no');
  assert.not.ok(protectedModeDenies(true, acl(true), '127.0.0.1'), 'loopback');
  assert.not.ok(protectedModeDenies(true, acl(true), '::1'), 'loopback v6');
});
unit('a loopback client is served with protected mode on and no password', async () => {
  const kv = await startKv({ 'protected-mode': 'yes' });
  const c = await RawClient.connect(kv.port);
  assert.is(await c.call('PING'), '+PONG\r\n');
  c.close();
  await kv.stop();
});
unit.run();

// ---- black box: a client from another address, in a namespace of our own ----

function netnsUsable(): boolean {
  if (process.getuid?.() !== 0 || !findTool('ip')) return false;
  const r = spawnSync('ip', ['netns', 'add', NS], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  const steps = [
    ['ip', '-n', NS, 'link', 'set', 'lo', 'up'],
    ['ip', '-n', NS, 'addr', 'add', `${OUTSIDE}/32`, 'dev', 'lo'],
  ];
  return steps.every(([cmd, ...args]) => spawnSync(cmd!, args).status === 0);
}

function deleteNetns(): void {
  spawnSync('ip', ['netns', 'del', NS]);
}

/** Runs inside the namespace: connects to host:port, sends argv, prints every byte received until close (JSON). */
const CLIENT_SCRIPT = `
const net = require('net');
const [host, port, ...argv] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port), localAddress: host });
let got = '';
s.on('data', (d) => (got += d.toString('latin1')));
s.on('connect', () => s.write('*' + argv.length + '\\r\\n' + argv.map((a) => '$' + Buffer.byteLength(a) + '\\r\\n' + a + '\\r\\n').join('')));
const done = (closed) => { process.stdout.write(JSON.stringify({ got, closed })); process.exit(0); };
s.on('close', () => done(true));
s.on('error', () => {});
setTimeout(() => done(false), 1500);
`;

/** What a client at `from` gets for one command: the bytes, and whether the server closed. */
function ask(from: string, port: number, ...argv: string[]): { got: string; closed: boolean } {
  const r = spawnSync('ip', ['netns', 'exec', NS, process.execPath, '-e', CLIENT_SCRIPT, from, String(port), ...argv], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(r.stdout) as { got: string; closed: boolean };
}

const servers = new Set<ChildProcess>();

/** Starts a server inside the namespace and waits until it accepts on 127.0.0.1. */
async function startInNetns(cmd: string[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', NS, ...cmd], { cwd: ROOT, stdio: 'ignore' });
  servers.add(child);
  child.on('exit', () => servers.delete(child));
  const port = cmd[cmd.indexOf('--port') + 1]!;
  for (let i = 0; i < 200; i++) {
    const probe = spawnSync('ip', ['netns', 'exec', NS, process.execPath, '-e', `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`]);
    if (probe.status === 0) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${cmd.join(' ')} did not start`);
}

function stopAll(): void {
  for (const c of servers) c.kill('SIGKILL');
}

const kvCmd = (port: number, ...flags: string[]) => [process.execPath, '--import', 'tsx', 'src/server/main.ts', '--port', String(port), '--bind', '0.0.0.0', '--loglevel', 'warning', ...flags];

const bb = suite('protected mode: clients from another address (network namespace)');
let usable = false;

bb.before(() => {
  usable = netnsUsable();
  if (!usable) {
    deleteNetns();
    if (IN_CI && process.getuid?.() === 0 && findTool('ip')) throw new Error('could not set up a network namespace under CI=true');
    console.log('skipped: network namespace (needs root and ip); the accept decision is tested at the unit level');
  }
});
bb.after(() => {
  stopAll();
  deleteNetns();
});
process.on('exit', () => {
  stopAll();
  deleteNetns();
});

bb('no password: DENIED with Redis\'s exact bytes, then closed; loopback served', async () => {
  if (!usable) return;
  await startInNetns(kvCmd(7001));
  const denied = ask(OUTSIDE, 7001, 'PING');
  assert.equal(denied, { got: DENIED, closed: true });
  assert.equal(ask('127.0.0.1', 7001, 'PING'), { got: '+PONG\r\n', closed: false });
  if (findTool('redis-server')) {
    await startInNetns(['redis-server', '--port', '7002', '--bind', '0.0.0.0', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes']);
    assert.equal(ask(OUTSIDE, 7002, 'PING'), denied, 'same bytes as redis-server');
  }
});

bb('with requirepass: not denied, NOAUTH instead', async () => {
  if (!usable) return;
  await startInNetns(kvCmd(7003, '--requirepass', 'pw'));
  assert.equal(ask(OUTSIDE, 7003, 'PING'), { got: `-${Err.NOAUTH}\r\n`, closed: false });
  assert.equal(ask(OUTSIDE, 7003, 'AUTH', 'pw'), { got: '+OK\r\n', closed: false });
});

bb('--protected-mode no: served', async () => {
  if (!usable) return;
  await startInNetns(kvCmd(7004, '--protected-mode', 'no'));
  assert.equal(ask(OUTSIDE, 7004, 'PING'), { got: '+PONG\r\n', closed: false });
});

bb('CONFIG SET protected-mode no from loopback lifts it at once', async () => {
  if (!usable) return;
  await startInNetns(kvCmd(7005));
  assert.equal(ask(OUTSIDE, 7005, 'PING'), { got: DENIED, closed: true });
  assert.equal(ask('127.0.0.1', 7005, 'CONFIG', 'SET', 'protected-mode', 'no'), { got: '+OK\r\n', closed: false });
  assert.equal(ask(OUTSIDE, 7005, 'PING'), { got: '+PONG\r\n', closed: false });
});

bb('ACL SETUSER default >pw lifts it (as requirepass does); requirepass "" brings it back — kv-server and redis-server alike', async () => {
  if (!usable) return;
  // the servers of the first test, still protected (7001 kv-server, 7002 redis-server)
  const ports: number[] = findTool('redis-server') ? [7001, 7002] : [7001];
  for (const port of ports) {
    // (the first test saw both DENY a client from outside while the default user is nopass)
    assert.equal(ask('127.0.0.1', port, 'ACL', 'SETUSER', 'default', '>pw'), { got: '+OK\r\n', closed: false });
    assert.equal(ask(OUTSIDE, port, 'PING'), { got: `-${Err.NOAUTH}\r\n`, closed: false }, `${port}: default user has a password`);
    // CONFIG SET requirepass "" while requirepass is already "" changes nothing (Redis applies a
    // config only when its value changes): the ACL password stays, still not protected
    const authed = (...argv: string[]) => {
      const script = CLIENT_SCRIPT.replace("s.on('connect', () => s.write(", "s.on('connect', () => s.write('*2\\r\\n$4\\r\\nAUTH\\r\\n$2\\r\\npw\\r\\n' + ");
      const r = spawnSync('ip', ['netns', 'exec', NS, process.execPath, '-e', script, '127.0.0.1', String(port), ...argv], { encoding: 'utf8', timeout: 30_000 });
      return (JSON.parse(r.stdout) as { got: string }).got;
    };
    assert.is(authed('CONFIG', 'SET', 'requirepass', ''), '+OK\r\n+OK\r\n');
    assert.equal(ask(OUTSIDE, port, 'PING'), { got: `-${Err.NOAUTH}\r\n`, closed: false }, `${port}: unchanged requirepass`);
    // requirepass set then cleared makes the default user nopass again: protected once more
    assert.is(authed('CONFIG', 'SET', 'requirepass', 'pw'), '+OK\r\n+OK\r\n');
    assert.is(authed('CONFIG', 'SET', 'requirepass', ''), '+OK\r\n+OK\r\n');
    assert.equal(ask(OUTSIDE, port, 'PING'), { got: DENIED, closed: true }, `${port}: nopass again`);
  }
});

bb.run();
