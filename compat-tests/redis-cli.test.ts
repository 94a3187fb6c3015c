/*
 * redis-cli (Debian's 7.0.15) against kv-server, unmodified. One-shot commands, `-3`, `-n`, `-a`
 * and commands piped through stdin run against kv-server and a real redis-server alike: stdout,
 * stderr and the exit code must be the same (ports aside). Interactive mode runs in tmux through a
 * recording proxy: its start-up COMMAND DOCS must be answered without error, and its hints shown.
 */
import { spawn, spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { requireTool } from './harness.js';
import { SpyProxy, startRealRedis, startTarget, type Target } from './clients-spy.js';

interface Run {
  args: string[];
  stdin?: string;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const PASSWORD = 's3cret';

/** Cases on the server without a password. */
const PLAIN: Record<string, Run[]> = {
  'one-shot commands': [
    { args: ['PING'] },
    { args: ['SET', 'k', 'v'] },
    { args: ['GET', 'k'] },
    { args: ['GET', 'missing'] },
    { args: ['SET', 'k', 'v', 'EX', '0'] },
    { args: ['NOSUCH', 'a'] },
    { args: ['ECHO', 'héllo ✓'] },
    { args: ['--raw', 'GET', 'k'] },
    { args: ['--no-raw', 'GET', 'k'] },
  ],
  'value from stdin with -x': [{ args: ['-x', 'SET', 'fromstdin'], stdin: 'line1\nline2\n' }, { args: ['GET', 'fromstdin'] }],
  'RESP3 with -3': [{ args: ['-3', 'SET', 'a', '1'] }, { args: ['-3', 'GET', 'a'] }, { args: ['-3', 'GET', 'missing'] }, { args: ['-3', 'PING'] }, { args: ['-3', 'NOSUCH'] }],
  'database with -n': [
    { args: ['-n', '1', 'SET', 'k', 'db1'] },
    { args: ['-n', '1', 'GET', 'k'] },
    { args: ['GET', 'k'] },
    { args: ['-n', '16', 'PING'] },
  ],
  'commands piped through stdin': [
    { args: [], stdin: 'SET a 1\nGET a\nGET nope\nSET b "x\\x00\\xffy"\nGET b\nNOSUCH cmd\nPING\n' },
    { args: ['--raw'], stdin: 'SET a 2\nGET a\n' },
  ],
  'AUTH on a server without a password': [{ args: ['-a', 'x', 'PING'] }, { args: ['--no-auth-warning', '-a', 'x', 'PING'] }],
  'INCR': [{ args: [], stdin: 'SET n 41\nINCR n\nSET s abc\nINCR s\n' }],
};

/** Cases on the server with requirepass. */
const AUTH: Record<string, Run[]> = {
  'password with -a': [
    { args: ['-a', PASSWORD, 'SET', 'k', 'v'] },
    { args: ['--no-auth-warning', '-a', PASSWORD, 'GET', 'k'] },
    { args: ['--no-auth-warning', '-a', 'wrong', 'GET', 'k'] },
    { args: ['GET', 'k'] },
    { args: ['--no-auth-warning', '--user', 'default', '--pass', PASSWORD, 'PING'] },
    { args: ['--no-auth-warning', '-3', '-a', PASSWORD, 'PING'] },
    { args: ['--no-auth-warning', '-a', PASSWORD], stdin: 'GET k\nPING\n' },
  ],
};

function runCli(cli: string, port: number, run: Run): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(cli, ['-p', String(port), ...run.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d) => (stderr += d));
    // redis-cli may exit before reading its input (a refused AUTH): that EPIPE is not a failure
    child.stdin.on('error', () => {});
    child.stdin.end(run.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout.replaceAll(String(port), 'PORT'), stderr: stderr.replaceAll(String(port), 'PORT') });
    });
  });
}

const s = suite('redis-cli');
const cli = requireTool('redis-cli');
const redisPresent = requireTool('redis-server') !== null;
let kv: Target;
let kvAuth: Target;
let redis: Target;
let redisAuth: Target;

s.before(async () => {
  if (!cli || !redisPresent) return;
  kv = await startTarget();
  kvAuth = await startTarget({ requirepass: PASSWORD });
  redis = await startRealRedis();
  redisAuth = await startRealRedis({ requirepass: PASSWORD });
});
s.after(async () => {
  for (const t of [kv, kvAuth, redis, redisAuth]) await t?.stop();
});

for (const [cases, servers] of [
  [PLAIN, () => [kv, redis]],
  [AUTH, () => [kvAuth, redisAuth]],
] as const) {
  for (const [title, runs] of Object.entries(cases)) {
    s(title, async () => {
      if (!cli || !redisPresent) return;
      const [ours, theirs] = servers();
      for (const run of runs) {
        const got = await runCli(cli, ours!.port, run);
        const want = await runCli(cli, theirs!.port, run);
        assert.not.match(got.stdout + got.stderr + want.stdout + want.stderr, /Could not connect/);
        assert.equal(got, want, `redis-cli ${run.args.join(' ')}${run.stdin ? ` <<< ${JSON.stringify(run.stdin)}` : ''}`);
      }
    });
  }
}

/** A tmux server of our own (its own socket), killed at the end whatever happens. */
function tmux(socket: string, ...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000 });
  return r.stdout ?? '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForScreen(socket: string, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux(socket, 'capture-pane', '-p', '-t', 'cli');
    if (pattern.test(screen)) return screen;
    await sleep(100);
  }
  throw new Error(`screen never matched ${pattern}:\n${screen}`);
}

s('interactive mode in a terminal: COMMAND DOCS answered, hints shown, commands run', async () => {
  if (!cli || !redisPresent) return;
  if (!requireTool('tmux')) return;
  const proxy = await SpyProxy.start(kv.port);
  const socket = `kv-cli-test-${process.pid}`;
  try {
    tmux(socket, 'new-session', '-d', '-s', 'cli', '-x', '200', '-y', '20', `${cli} -p ${proxy.port}`);
    await waitForScreen(socket, />\s*$/m);
    tmux(socket, 'send-keys', '-t', 'cli', '-l', 'SET ');
    const hinted = await waitForScreen(socket, /SET key value \[NX\|XX\]/);
    assert.match(hinted, /SET key value \[NX\|XX\] \[GET\]/);
    tmux(socket, 'send-keys', '-t', 'cli', '-l', 'tk hello');
    tmux(socket, 'send-keys', '-t', 'cli', 'Enter');
    await waitForScreen(socket, /SET tk hello\s*\nOK\n/);
    tmux(socket, 'send-keys', '-t', 'cli', '-l', 'GET tk');
    tmux(socket, 'send-keys', '-t', 'cli', 'Enter');
    const screen = await waitForScreen(socket, /"hello"/);
    assert.not.match(screen, /\(error\)/);
    const sent = proxy.names(0);
    assert.is(sent[0], 'command docs', `first command: ${sent.join(', ')}`);
    assert.equal(proxy.errorReplies(), []);
  } finally {
    tmux(socket, 'kill-server');
    await proxy.stop();
  }
});

s.run();
