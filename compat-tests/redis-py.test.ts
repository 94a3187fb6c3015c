/*
 * redis-py (Debian's python3-redis 4.3.4, sync and redis.asyncio) against kv-server, unmodified.
 * Each scenario of python/redis_py_check.py runs in its own python process and must print
 * "ok <scenario>". redis-py 4.3.4 has no `protocol=3` (RESP3 arrived in 5.0): not tested here.
 * The script runs with warnings as errors, so a library warning fails the scenario.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { requireRedisPy } from './harness.js';
import { startTarget, type Target } from './clients-spy.js';

const SCRIPT = fileURLToPath(new URL('./python/redis_py_check.py', import.meta.url));
const SCENARIOS = ['strings', 'pipeline', 'errors', 'ttl_and_incr', 'client_name', 'auth', 'db', 'asyncio'];

const s = suite('redis-py');
const python = requireRedisPy();
let kv: Target;
let kvAuth: Target;

s.before(async () => {
  if (!python) return;
  kv = await startTarget();
  kvAuth = await startTarget({ requirepass: 's3cret' });
});
s.after(async () => {
  await kv?.stop();
  await kvAuth?.stop();
});

function runScenario(name: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(python!, [SCRIPT, String(kv.port), String(kvAuth.port), name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

for (const name of SCENARIOS) {
  s(name, async () => {
    if (!python) return;
    const { code, out } = await runScenario(name);
    assert.is(out.trim().split('\n').pop(), `ok ${name}`, out);
    assert.is(code, 0, out);
  });
}

s.run();
