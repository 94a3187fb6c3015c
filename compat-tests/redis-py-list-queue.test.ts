/*
 * redis-py (Debian's 4.3.4) running a job queue against kv-server: BRPOP worker threads and
 * asyncio BLMOVE workers (python/redis_py_list_queue.py, which must print "ok queue").
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requireRedisPy, startKv } from './harness.js';

const SCRIPT = fileURLToPath(new URL('./python/redis_py_list_queue.py', import.meta.url));

test('a list queue with blocking workers', async () => {
  const python = requireRedisPy();
  if (!python) return;
  const kv = await startKv();
  try {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(python, [SCRIPT, String(kv.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    assert.is(out.trim().split('\n').pop(), 'ok queue', out);
    assert.is(code, 0, out);
  } finally {
    await kv.stop();
  }
});

test.run();
