/*
 * The Unix socket listener (`unixsocket`, `unixsocketperm`), beside TCP or instead of it
 * (`port 0`), with redis-cli -s, ioredis { path }, node-redis socket.path and redis-py
 * unix_socket_path; CLIENT LIST shows `addr=/path:0` and flag U as Redis; a stale socket file is
 * replaced at start and the file is removed on shutdown.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { freePort, RawClient, requireRedisPy, requireTool, startKv } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kv-unix-'));

/** Runs a program without blocking this process's event loop (the server under test lives in it). */
function run(cmd: string, args: string[]): Promise<{ out: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('close', (status) => resolve({ out, status }));
  });
}

/** One RESP command over the Unix socket at `path`; resolves with the raw reply. */
function callUnix(path: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(path);
    let out = '';
    s.on('data', (d) => {
      out += d.toString('latin1');
      if (out.endsWith('\r\n')) {
        s.end();
        resolve(out);
      }
    });
    s.on('error', reject);
    s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

test('port 0 with a Unix socket serves on the socket only; CLIENT LIST shows the path; the file goes on close', async () => {
  const path = join(dir, 'only.sock');
  const kv = await startKv({ unixsocket: path, unixsocketperm: '700' });
  try {
    assert.is(kv.port, 0, 'no TCP port');
    assert.is(statSync(path).mode & 0o777, 0o700);
    assert.is(await callUnix(path, 'SET', 'k', 'v'), '+OK\r\n');
    const list = await callUnix(path, 'CLIENT', 'INFO');
    assert.match(list, `addr=${path}:0 laddr=${path}:0 `);
    assert.match(list, / flags=U /);
  } finally {
    await kv.stop();
  }
  assert.not.ok(existsSync(path), 'socket file removed on shutdown');
});

test('a stale socket file is replaced at start', async () => {
  const path = join(dir, 'stale.sock');
  // a socket file nobody listens on any more, as a crash leaves behind (bound, never unlinked)
  const made = await run('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)})`]);
  assert.is(made.status, 0, made.out);
  assert.ok(statSync(path).isSocket());
  const kv = await startKv({ unixsocket: path, port: '0', bind: '127.0.0.1' });
  try {
    assert.is(await callUnix(path, 'PING'), '+PONG\r\n');
    assert.is(kv.port, 0, 'with a Unix socket, port 0 means no TCP, as in Redis');
  } finally {
    await kv.stop();
  }
});

test('ioredis { path } and node-redis socket.path, with TCP beside the socket', async () => {
  const path = join(dir, 'clients.sock');
  const port = await freePort();
  const kv = await startKv({ unixsocket: path, port: String(port) });
  try {
    assert.is(kv.port, port);
    const tcp = await RawClient.connect(port);
    assert.is(await tcp.call('PING'), '+PONG\r\n');
    tcp.close();
    const io = new Redis({ path, lazyConnect: true, maxRetriesPerRequest: 0 });
    await io.connect();
    await io.set('io', 'x');
    assert.is(await io.get('io'), 'x');
    await io.quit();
    const nr = await createClient({ socket: { path, tls: false } }).connect();
    assert.is(await nr.get('io'), 'x');
    await nr.quit();
  } finally {
    await kv.stop();
  }
});

test('redis-cli -s', async () => {
  const cli = requireTool('redis-cli');
  if (!cli) return;
  const path = join(dir, 'cli.sock');
  const kv = await startKv({ unixsocket: path });
  try {
    assert.is((await run(cli, ['-s', path, 'SET', 'c', 'from-cli'])).out, 'OK\n');
    assert.is((await run(cli, ['-s', path, 'GET', 'c'])).out, 'from-cli\n');
  } finally {
    await kv.stop();
  }
});

test('redis-py unix_socket_path', async () => {
  const python = requireRedisPy();
  if (!python) return;
  const path = join(dir, 'py.sock');
  const kv = await startKv({ unixsocket: path });
  try {
    const code = `import redis\nr = redis.Redis(unix_socket_path=${JSON.stringify(path)})\nr.set("p", b"\\x00\\xff")\nassert r.get("p") == b"\\x00\\xff"\nprint("ok")`;
    const r = await run(python, ['-c', code]);
    assert.is(r.out.trim(), 'ok', r.out);
    assert.is(r.status, 0);
  } finally {
    await kv.stop();
  }
});

test.run();
