/*
 * The `kv-server` process: builds if stale (scripts/build.mjs --if-stale), then spawns the
 * compiled dist/server/main.js with flags and config files, on free loopback ports. Checks the
 * startup line, each flag, the config file with flags overriding it, clean exit 0 on
 * SIGINT/SIGTERM with a client connected, and a non-zero exit with a clear message for a bad flag
 * or a bad config.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, RawClient } from './harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/server/main.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const STARTED = /kv-server (\S+) started, pid=(\d+), listening on (.+) port (\d+)/;

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

function launch(args: string[]): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, stderr: () => stderr, stdout: () => stdout, exited };
}

/** Launches a server and waits for its startup line; returns it with the line's fields. */
async function startProcess(args: string[]): Promise<Proc & { line: RegExpExecArray }> {
  const p = launch(args);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = STARTED.exec(p.stderr());
    if (m) return { ...p, line: m };
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`no startup line; stderr: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function stopProcess(p: Proc): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

/** Runs a process expected to exit by itself (help, version, errors). */
async function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = launch(args);
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const tmp = mkdtempSync(join(tmpdir(), 'kv-cli-test-'));
const s = suite('cli (dist/server/main.js)');

s.before(() => {
  // only when src/ is newer than the last build: a rebuild rewrites dist/ under the other test
  // files that run it at the same time
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.is(r.status, 0, `the build failed:\n${r.stdout}\n${r.stderr}`);
});
s.after(() => {
  for (const c of running) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

s('--version and --help print and exit 0', async () => {
  const v = await runToExit(['--version']);
  assert.is(v.code, 0);
  assert.match(v.stdout, new RegExp(`^kv-server/${VERSION.replaceAll('.', '\\.')} `));
  const h = await runToExit(['--help']);
  assert.is(h.code, 0);
  for (const flag of ['--port', '--bind', '--shards', '--databases', '--requirepass', '--loglevel', '--config', '--version', '--help']) {
    assert.ok(h.stdout.includes(flag), `--help lists ${flag}`);
  }
});

s('--port: startup line on stderr with version, pid and address; serves PING', async () => {
  const port = await freePort();
  const p = await startProcess(['--port', String(port)]);
  try {
    assert.is(p.line[1], VERSION);
    assert.is(Number(p.line[2]), p.child.pid);
    assert.is(p.line[3], '127.0.0.1');
    assert.is(Number(p.line[4]), port);
    const c = await RawClient.connect(port);
    assert.is(await c.call('PING'), '+PONG\r\n');
    c.close();
  } finally {
    await stopProcess(p);
  }
});

s('--bind another loopback address', async () => {
  const port = await freePort();
  const p = await startProcess(['--port', String(port), '--bind', '127.0.0.2']);
  try {
    assert.is(p.line[3], '127.0.0.2');
    const c = await RawClient.connect(port, '127.0.0.2');
    assert.is(await c.call('PING'), '+PONG\r\n');
    c.close();
    const refused = await RawClient.connect(port, '127.0.0.1').then(
      (x) => (x.close(), false),
      () => true,
    );
    assert.ok(refused, 'not listening on 127.0.0.1');
  } finally {
    await stopProcess(p);
  }
});

s('--databases, --shards and --requirepass', async () => {
  const port = await freePort();
  const p = await startProcess(['--port', String(port), '--databases', '4', '--shards', '4', '--requirepass', 'pw 1']);
  try {
    const c = await RawClient.connect(port);
    assert.is(await c.call('PING'), '-NOAUTH Authentication required.\r\n');
    assert.is(await c.call('AUTH', 'pw 1'), '+OK\r\n');
    assert.is(await c.call('SELECT', '3'), '+OK\r\n');
    assert.is(await c.call('SELECT', '4'), '-ERR DB index is out of range\r\n');
    assert.is(await c.call('CONFIG', 'GET', 'databases'), '*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
    for (let i = 0; i < 20; i++) assert.is(await c.call('SET', `k${i}`, 'v'), '+OK\r\n');
    assert.is(await c.call('GET', 'k19'), '$1\r\nv\r\n');
    c.close();
  } finally {
    await stopProcess(p);
  }
});

s('--loglevel warning silences the notice-level startup line', async () => {
  const port = await freePort();
  const p = launch(['--port', String(port), '--loglevel', 'warning']);
  try {
    let c: RawClient | null = null;
    for (let i = 0; i < 100 && !c; i++) {
      c = await RawClient.connect(port).catch(() => null);
      if (!c) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(c, 'server listening');
    assert.is(await c!.call('CONFIG', 'GET', 'loglevel'), '*2\r\n$8\r\nloglevel\r\n$7\r\nwarning\r\n');
    c!.close();
    assert.is(p.stderr(), '');
  } finally {
    await stopProcess(p);
  }
});

s('config file in redis.conf syntax; flags override it', async () => {
  const filePort = await freePort();
  const flagPort = await freePort();
  const file = join(tmp, 'kv.conf');
  writeFileSync(file, `# a comment\n\nport ${filePort}\nrequirepass "from file"\ndatabases 2\n  loglevel notice\nsave ""\n`);
  const p = await startProcess(['--config', file, '--port', String(flagPort)]);
  try {
    assert.is(Number(p.line[4]), flagPort);
    const c = await RawClient.connect(flagPort);
    assert.is(await c.call('AUTH', 'from file'), '+OK\r\n');
    assert.is(await c.call('SELECT', '1'), '+OK\r\n');
    assert.is(await c.call('SELECT', '2'), '-ERR DB index is out of range\r\n');
    c.close();
  } finally {
    await stopProcess(p);
  }
  // redis-server's form: the config file as the first argument
  const q = await startProcess([file, '--requirepass', '']);
  try {
    assert.is(Number(q.line[4]), filePort);
    const c = await RawClient.connect(filePort);
    assert.is(await c.call('PING'), '+PONG\r\n');
    c.close();
  } finally {
    await stopProcess(q);
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  s(`${signal} stops it cleanly with exit code 0 while a client is connected`, async () => {
    const port = await freePort();
    const p = await startProcess(['--port', String(port)]);
    const c = await RawClient.connect(port);
    assert.is(await c.call('SET', 'k', 'v'), '+OK\r\n');
    p.child.kill(signal);
    const { code, signal: killedBy } = await p.exited;
    assert.is(code, 0, p.stderr());
    assert.is(killedBy, null);
    assert.is(await c.readUntilClose(), '', 'the client is closed with nothing unread');
    assert.match(p.stderr(), new RegExp(`Received ${signal}`));
    const refused = await RawClient.connect(port).then(
      (x) => (x.close(), false),
      () => true,
    );
    assert.ok(refused, 'port released');
  });
}

s('a bad flag exits non-zero with a clear message', async () => {
  const unknown = await runToExit(['--nosuch-flag', '1']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /unknown option '--nosuch-flag'/);
  const badValue = await runToExit(['--port', 'abc']);
  assert.is(badValue.code, 1);
  assert.match(badValue.stderr, /--port 'abc': argument couldn't be parsed into an integer/);
  const missing = await runToExit(['--port']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /'--port' needs a value/);
  const shards = await runToExit(['--port', String(await freePort()), '--shards', '3']);
  assert.is(shards.code, 1);
  assert.match(shards.stderr, /power of two/);
});

s('a bad config file exits non-zero naming the file and line', async () => {
  const bad = join(tmp, 'bad.conf');
  writeFileSync(bad, 'port 1234\nmaxclients lots\n');
  const r = await runToExit(['--config', bad]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /bad\.conf', line 2: 'maxclients lots': argument couldn't be parsed into an integer/);
  writeFileSync(bad, 'no-such-directive yes\n');
  const d = await runToExit([bad]);
  assert.is(d.code, 1);
  assert.match(d.stderr, /line 1: 'no-such-directive yes': Bad directive or wrong number of arguments/);
  const missing = await runToExit(['--config', join(tmp, 'absent.conf')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /can't open config file '.*absent\.conf': ENOENT: no such file or directory/);
});

s('a port already in use exits non-zero with the reason', async () => {
  const port = await freePort();
  const first = await startProcess(['--port', String(port)]);
  try {
    const second = await runToExit(['--port', String(port)]);
    assert.is(second.code, 1);
    assert.match(second.stderr, /EADDRINUSE/);
  } finally {
    await stopProcess(first);
  }
});

s('--logfile: log lines go to the file, not stderr; an unopenable file exits non-zero', async () => {
  const port = await freePort();
  const file = join(tmp, 'kv.log');
  const p = launch(['--port', String(port), '--logfile', file]);
  try {
    const deadline = Date.now() + 10_000;
    let text = '';
    while (!STARTED.test(text) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 30));
      text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    }
    assert.match(text, STARTED);
    assert.is(p.stderr(), '');
  } finally {
    await stopProcess(p);
  }
  assert.match(readFileSync(file, 'utf8'), /ready to exit/);
  const bad = await runToExit(['--port', String(port), '--logfile', join(tmp, 'no-such-dir', 'kv.log')]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /can't open the log file/);
});

s.run();
