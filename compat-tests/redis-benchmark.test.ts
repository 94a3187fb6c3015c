/*
 * redis-benchmark (Debian's 7.0.15) against kv-server: a short run (-n 2000 -c 5) of the default
 * tests that exist so far. It must print no WARNING (it starts with CONFIG GET save and CONFIG GET
 * appendonly), no server error, a result line for each test, and leave the keys Redis would.
 */
import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, requireTool, startKv } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

const REQUESTS = 2000;

function runBenchmark(bin: string, port: number, tests: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, ['-p', String(port), '-n', String(REQUESTS), '-c', '5', '-q', '-t', tests], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The final line of each test (the live progress lines end in \r and are overwritten). */
function resultLines(out: string): string[] {
  return out
    .split('\n')
    .map((l) => l.split('\r').pop()!.trim())
    .filter((l) => l !== '');
}

const s = suite('redis-benchmark');
const bin = requireTool('redis-benchmark');
let kv: RunningServer;

s.before(async () => {
  kv = await startKv();
});
s.after(async () => {
  await kv?.stop();
});

for (const [tests, titles] of [
  ['ping', ['PING_INLINE', 'PING_MBULK']],
  ['set', ['SET']],
  ['get', ['GET']],
  ['incr', ['INCR']],
  ['mset', ['MSET (10 keys)']],
  ['lpush,rpush,lpop,rpop', ['LPUSH', 'RPUSH', 'LPOP', 'RPOP']],
  ['lrange', ['LPUSH (needed to benchmark LRANGE)', 'LRANGE_100 (first 100 elements)', 'LRANGE_300 (first 300 elements)', 'LRANGE_500 (first 500 elements)', 'LRANGE_600 (first 600 elements)']],
] as const) {
  s(`-t ${tests}: no warning, no error, a result per test`, async () => {
    if (!bin) return;
    const { code, out } = await runBenchmark(bin, kv.port, tests);
    assert.is(code, 0, out);
    assert.not.match(out, /WARNING/, 'redis-benchmark warned (CONFIG GET save / appendonly)');
    assert.not.match(out, /error/i, out);
    const lines = resultLines(out);
    assert.equal(
      lines.map((l) => l.split(':')[0]),
      titles,
      out,
    );
    for (const l of lines) assert.match(l, /: [\d.]+ requests per second, p50=[\d.]+ msec$/);
  });
}

s('the keys it leaves are the ones Redis leaves', async () => {
  if (!bin) return;
  const raw = await RawClient.connect(kv.port);
  try {
    await raw.call('FLUSHALL');
    await runBenchmark(bin, kv.port, 'set,incr');
    // without -r every request uses the literal key; SET values are 3 bytes (-d 3)
    assert.match(await raw.call('GET', 'key:__rand_int__'), /^\$3\r\n...\r\n$/);
    assert.is(await raw.call('GET', 'counter:__rand_int__'), `$${String(REQUESTS).length}\r\n${REQUESTS}\r\n`);
  } finally {
    raw.close();
  }
});

s.run();
