#!/usr/bin/env node
/*
 * `npm run bench:persistence`: RDB snapshots side by side with redis-server. Each server gets
 * the same dataset — DEBUG POPULATE's 1M string keys (`key:N` → `value:N`) plus 20k small hashes
 * of 10 fields — then, interleaved, SAVE's time, the file's size, and DEBUG RELOAD NOSAVE's time
 * (the load: flush, read, rebuild), median of --runs (default 3). Servers are pinned to core 0.
 * Options: --keys <n> (default 1000000), --runs <n>.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Conn, encodeCommand, machineInfo, median, PINNING, startKv, startRedis, table, writeSection } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const KEYS = opt('--keys', 1_000_000);
const RUNS = opt('--runs', 3);
const HASHES = 20_000;

async function timed(conn, ...cmd) {
  const t = performance.now();
  const reply = await conn.call(...cmd);
  if (reply instanceof Error) throw reply;
  return performance.now() - t;
}

async function prepare(name, server, dir) {
  const c = await Conn.open(server.port);
  await c.call('FLUSHALL');
  await c.call('DEBUG', 'POPULATE', String(KEYS));
  for (let at = 0; at < HASHES; at += 1000) {
    let batch = '';
    for (let i = at; i < at + 1000; i++) batch += encodeCommand(['HSET', `hash:${i}`, ...Array.from({ length: 10 }, (_, f) => [`field${f}`, `value-${i}-${f}`]).flat()]);
    await c.send(batch, 1000);
  }
  return { name, server, dir, c, save: [], load: [], bytes: 0 };
}

const dirs = [mkdtempSync(join(tmpdir(), 'kv-bench-rdb-')), mkdtempSync(join(tmpdir(), 'redis-bench-rdb-'))];
const kv = await startKv({ args: ['--dir', dirs[0]] });
const redis = await startRedis({ args: ['--dir', dirs[1], '--enable-debug-command', 'yes'] });
try {
  const sides = [await prepare('kv-server', kv, dirs[0]), await prepare('redis', redis, dirs[1])];
  for (let run = 0; run < RUNS; run++) {
    for (const s of sides) {
      s.save.push(await timed(s.c, 'SAVE'));
      s.bytes = statSync(join(s.dir, 'dump.rdb')).size;
      s.load.push(await timed(s.c, 'DEBUG', 'RELOAD', 'NOSAVE'));
      const size = await s.c.call('DBSIZE');
      if (size !== KEYS + HASHES) throw new Error(`${s.name} holds ${size} keys after the reload`);
    }
  }
  const [k, r] = sides;
  const ms = (xs) => `${median(xs).toFixed(0)} ms`;
  const rows = [
    ['SAVE', ms(k.save), ms(r.save), `${(median(r.save) / median(k.save)).toFixed(2)}×`],
    ['load (DEBUG RELOAD NOSAVE)', ms(k.load), ms(r.load), `${(median(r.load) / median(k.load)).toFixed(2)}×`],
    ['file size', `${(k.bytes / 1048576).toFixed(1)} MiB`, `${(r.bytes / 1048576).toFixed(1)} MiB`, `${(k.bytes / r.bytes).toFixed(2)} (kv/Redis)`],
  ];
  const md = [
    `${KEYS.toLocaleString('en')} string keys (DEBUG POPULATE) + ${HASHES.toLocaleString('en')} hashes of 10 fields; median of ${RUNS} interleaved runs; ${PINNING}.`,
    'Speed ratio is Redis time / kv-server time (above 1: kv-server faster).',
    '',
    table(['operation', 'kv-server', 'Redis', 'ratio'], rows),
    '',
    machineInfo(),
  ].join('\n');
  console.log(md);
  writeSection('persistence', md);
  for (const s of sides) s.c.close();
} finally {
  await kv.stop();
  await redis.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
