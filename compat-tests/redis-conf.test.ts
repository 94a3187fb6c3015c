/*
 * A stock Redis configuration file loads: Debian's /etc/redis/redis.conf (Redis 7.0's own),
 * copied unchanged into a temporary directory, with only what this machine needs overridden by
 * flags (port, dir, logfile, daemonize, pidfile). Every directive it sets must then read back
 * through CONFIG GET exactly as a real redis-server loading the same file reports it. Also the
 * loader's own directives (include, rename-command, the optional `-` bind address) and the
 * one-line `kv-server: …` errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, IN_CI, RawClient, decodeReply, requireTool } from './harness.js';
import { Config } from '../src/core/config.js';
import { loadConfigFile } from '../src/server/cli.js';

const MAIN = join(fileURLToPath(new URL('..', import.meta.url)), 'dist/server/main.js');
const STOCK = '/etc/redis/redis.conf';

function launch(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { child, stderr: () => stderr, exited };
}

async function connectWhenUp(port: number): Promise<RawClient> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await RawClient.connect(port);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The parameter names the file sets (uncommented directive lines). */
function directives(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-z0-9-]*)\s/.exec(line);
    if (m) names.add(m[1]!);
  }
  return [...names];
}

test("Debian's redis.conf loads unchanged and reads back as redis-server reads it", async () => {
  if (!existsSync(STOCK)) {
    if (IN_CI) throw new Error(`${STOCK} is required under CI=true`);
    console.log(`skipped: ${STOCK} not present`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kv-redisconf-'));
  const conf = join(dir, 'redis.conf');
  copyFileSync(STOCK, conf);
  const port = await freePort();
  const overrides = ['--port', String(port), '--dir', dir, '--logfile', '', '--daemonize', 'no', '--pidfile', ''];
  const kv = launch([conf, ...overrides]);
  // redis-server reads the same file with the same overrides after it
  const redisBin = requireTool('redis-server');
  const redisPort = await freePort();
  const redisProc = redisBin === null ? null : spawn(redisBin, [conf, '--port', String(redisPort), '--dir', dir, '--logfile', '', '--daemonize', 'no', '--pidfile', '', '--save', ''], { stdio: 'ignore' });
  const redis = redisProc === null ? null : { port: redisPort };
  try {
    const c = await connectWhenUp(port);
    assert.is(await c.call('PING'), '+PONG\r\n');
    const names = directives(readFileSync(conf, 'latin1')).filter((n) => !['port', 'dir', 'logfile', 'daemonize', 'pidfile', 'include', 'save'].includes(n));
    assert.ok(names.length > 60, `only ${names.length} directives found`);
    if (redis !== null) {
      const r = await connectWhenUp(redis.port);
      const differ: string[] = [];
      for (const name of names) {
        const ours = decodeReply(await c.call('CONFIG', 'GET', name));
        const theirs = decodeReply(await r.call('CONFIG', 'GET', name));
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ.push(`${name}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
      }
      r.close();
      assert.equal(differ, []);
    }
    c.close();
  } finally {
    kv.child.kill('SIGTERM');
    await kv.exited;
    redisProc?.kill('SIGTERM');
  }
});

test('include, rename-command and an optional bind address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kv-include-'));
  mkdirSync(join(dir, 'fragments'));
  writeFileSync(join(dir, 'fragments', 'a.conf'), 'maxmemory-samples 7\n');
  writeFileSync(join(dir, 'fragments', 'b.conf'), 'hz 20\n');
  writeFileSync(join(dir, 'main.conf'), `bind 127.0.0.1 -::1\ninclude ${dir}/fragments/*.conf\nrename-command FLUSHALL ""\nrename-command DBSIZE SIZE\n`);
  const port = await freePort();
  const kv = launch([join(dir, 'main.conf'), '--port', String(port), '--loglevel', 'verbose']);
  try {
    const c = await connectWhenUp(port);
    assert.is(await c.call('CONFIG', 'GET', 'maxmemory-samples'), '*2\r\n$17\r\nmaxmemory-samples\r\n$1\r\n7\r\n');
    assert.is(await c.call('CONFIG', 'GET', 'hz'), '*2\r\n$2\r\nhz\r\n$2\r\n20\r\n');
    assert.is(await c.call('FLUSHALL'), "-ERR unknown command 'FLUSHALL', with args beginning with: \r\n");
    assert.is(await c.call('DBSIZE'), "-ERR unknown command 'DBSIZE', with args beginning with: \r\n");
    assert.is(await c.call('SIZE'), ':0\r\n');
    c.close();
  } finally {
    kv.child.kill('SIGTERM');
    await kv.exited;
  }
});

test('inert directives are accepted and logged once at verbose', () => {
  const config = new Config();
  loadConfigFile(config, 'tls-replication no\nrepl-timeout 60\nclient-output-buffer-limit replica 256mb 64mb 60\nclient-output-buffer-limit pubsub 32mb 8mb 60\n');
  assert.equal([...config.inertLoaded].sort(), ['client-output-buffer-limit', 'repl-timeout', 'tls-replication']);
  assert.is(config.get('client-output-buffer-limit'), 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
});

test('errors are one line on stderr, logfile or not: daemonize, a bad --shards, a bad file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kv-errors-'));
  const log = join(dir, 'log.txt');
  const cases: Array<[string[], RegExp]> = [
    [['--daemonize', 'yes', '--logfile', log], /^kv-server: daemonize yes is not supported[^\n]*\n$/],
    [['--shards', '3'], /^kv-server: invalid --shards '3': argument must be a power of two from 1 to 16384\n$/],
    [[join(dir, 'missing.conf')], /^kv-server: can't open config file '[^']+missing.conf'[^\n]*\n$/],
  ];
  writeFileSync(join(dir, 'bad.conf'), 'logfile ' + log + '\nnosuchdirective 1\n');
  cases.push([[join(dir, 'bad.conf')], /^kv-server: config file '[^']+bad.conf', line 2: 'nosuchdirective 1': Bad directive[^\n]*\n$/]);
  writeFileSync(join(dir, 'busy.conf'), `logfile ${log}\n`);
  const busy = await freePort();
  const blocker = (await import('node:net')).createServer().listen(busy, '127.0.0.1');
  cases.push([[join(dir, 'busy.conf'), '--port', String(busy)], /kv-server: failed to start: [^\n]*EADDRINUSE[^\n]*\n$/]);
  try {
    for (const [args, want] of cases) {
      const p = launch(args);
      const code = await p.exited;
      assert.is(code, 1, args.join(' '));
      assert.match(p.stderr(), want, args.join(' '));
    }
  } finally {
    blocker.close();
  }
});

test.run();
