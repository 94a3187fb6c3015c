#!/usr/bin/env node
/*
 * Lock acquire/release throughput: kv-server's KV.LOCK + KV.UNLOCK next to the recipe other
 * libraries use (`SET key owner NX PX ttl` + a Lua release by EVALSHA) on a real redis-server —
 * and that same recipe on kv-server — in one run, servers pinned to core 0 and this load
 * generator to core 1 (taskset). Each of `CONNS` connections loops acquire → release without
 * pipelining; "uncontended": every connection has its own lock; "contended": all share `KEYS`
 * locks, so some acquisitions fail (counted apart). Short by design (DURATION_MS per row).
 *
 *   npm run build && node bench/locks.mjs            (KV_BENCH_WRITE=1 also writes bench/RESULTS.md)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Conn, PINNING, encodeCommand, machineInfo, pinned, startKv, startRedis, table, writeSection } from './lib.mjs';

// the load generator runs on the client core: re-run this script under taskset once
if (!process.env.KV_BENCH_PINNED) {
  const [cmd, args] = pinned('client', process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)]);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, KV_BENCH_PINNED: '1' } });
  process.exit(r.status ?? 1);
}

const CONNS = Number(process.env.CONNS ?? 50);
const KEYS = Number(process.env.KEYS ?? 5);
const DURATION_MS = Number(process.env.DURATION_MS ?? 3000);
const TTL = '30000';
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** Runs `CONNS` loops of acquire → release for DURATION_MS; returns { pairs, failed, perSec }. */
async function run(port, style, contended) {
  const conns = await Promise.all(Array.from({ length: CONNS }, () => Conn.open(port)));
  const sha = style === 'recipe' ? await conns[0].call('SCRIPT', 'LOAD', RELEASE) : null;
  let pairs = 0;
  let failed = 0;
  const end = performance.now() + DURATION_MS;
  await Promise.all(
    conns.map(async (c, i) => {
      const owner = `owner-${i}-${Math.random().toString(36).slice(2)}`;
      const key = contended ? `lock:${i % KEYS}` : `lock:${i}`;
      const acquire = style === 'kv' ? encodeCommand(['KV.LOCK', key, owner, TTL]) : encodeCommand(['SET', key, owner, 'NX', 'PX', TTL]);
      const release = style === 'kv' ? encodeCommand(['KV.UNLOCK', key, owner]) : encodeCommand(['EVALSHA', sha, '1', key, owner]);
      while (performance.now() < end) {
        const got = (await c.send(acquire, 1, true)).replies[0];
        if (got === null) {
          failed++;
          continue;
        }
        await c.send(release, 1);
        pairs++;
      }
    }),
  );
  for (const c of conns) c.close();
  return { pairs, failed, perSec: Math.round((pairs * 1000) / DURATION_MS) };
}

const kv = await startKv();
const redis = await startRedis();
const rows = [];
try {
  for (const contended of [false, true]) {
    const mode = contended ? `contended (${CONNS} clients, ${KEYS} locks)` : `uncontended (${CONNS} clients, own lock each)`;
    const r = await run(redis.port, 'recipe', contended);
    const k = await run(kv.port, 'kv', contended);
    const kr = await run(kv.port, 'recipe', contended);
    const fmt = (x) => `${x.perSec.toLocaleString('en-US')}/s${contended ? ` (${Math.round((x.failed * 1000) / DURATION_MS).toLocaleString('en-US')}/s refused)` : ''}`;
    rows.push([mode, fmt(r), fmt(k), `${(k.perSec / r.perSec).toFixed(2)}x`, fmt(kr)]);
    console.log(rows[rows.length - 1].join(' | '));
  }
} finally {
  await kv.stop();
  await redis.stop();
}

const md = [
  '## Locks: KV.LOCK/KV.UNLOCK vs SET NX PX + Lua release',
  '',
  machineInfo(),
  `- ${PINNING.replace('redis-benchmark', 'this load generator')}; ${DURATION_MS} ms per row; acquire→release pairs per second, unpipelined`,
  `- **the machine was heavily loaded**: 2 cores shared with other work, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} during the run — absolute numbers are meaningless, ratios indicative only`,
  '',
  table(['workload', 'Redis: SET NX PX + EVALSHA', 'kv-server: KV.LOCK + KV.UNLOCK', 'kv / Redis', 'kv-server: SET NX PX + EVALSHA'], rows),
].join('\n');
console.log(`\n${md}`);
if (process.env.KV_BENCH_WRITE) writeSection('locks', md);
