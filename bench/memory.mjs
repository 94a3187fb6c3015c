#!/usr/bin/env node
/*
 * `npm run bench:memory`: memory and start time of kv-server and redis-server, side by side.
 *
 * - start time: spawn → first PONG, median of 3 starts of each (alternating);
 * - memory: RSS (/proc/<pid>/status VmRSS) and INFO memory's used_memory, empty and after
 *   loading 1M keys (`SET key:N <10 bytes>`, pipelined over one connection).
 *
 * Options: --quick (100k keys, 1 start each; does not touch RESULTS.md), --keys <n>.
 */
import { Conn, errorText, infoField, loadKeys, machineInfo, median, mib, rssBytes, startKv, startRedis, table, writeSection } from './lib.mjs';

const VALUE = '0123456789';

function parseArgs(argv) {
  const opts = { quick: false, keys: 1_000_000, starts: 3 };
  let keysSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--keys') {
      opts.keys = Number(argv[++i]);
      keysSet = true;
      if (!Number.isInteger(opts.keys) || opts.keys < 1) throw new Error('--keys needs a positive integer');
    } else throw new Error(`unknown option ${a}`);
  }
  if (opts.quick) {
    opts.starts = 1;
    if (!keysSet) opts.keys = 100_000;
  }
  return opts;
}

/** RSS and used_memory of a running server (used_memory null when INFO fails). */
async function memory(server) {
  const conn = await Conn.open(server.port);
  try {
    const info = await conn.call('INFO', 'memory');
    const used = infoField(info, 'used_memory');
    return {
      rss: rssBytes(server.pid),
      used: used === null ? null : Number(used),
      infoError: info instanceof Error ? errorText(info) : used === null ? 'no used_memory field' : null,
    };
  } finally {
    conn.close();
  }
}

/** DBSIZE, or the error text when the server lacks it. */
async function dbsize(port) {
  const conn = await Conn.open(port);
  try {
    const r = await conn.call('DBSIZE');
    return r instanceof Error ? errorText(r) : r;
  } finally {
    conn.close();
  }
}

async function measureLoad(start, keys) {
  const server = await start();
  try {
    const empty = await memory(server);
    const load = await loadKeys(server.port, { count: keys, key: (i) => `key:${i}`, value: VALUE, connections: 1 });
    const full = await memory(server);
    return { empty, full, load, dbsize: await dbsize(server.port) };
  } finally {
    await server.stop();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const starts = { kv: [], redis: [] };
  for (let i = 0; i < opts.starts; i++) {
    for (const [side, start] of [['kv', startKv], ['redis', startRedis]]) {
      const server = await start();
      starts[side].push(server.startMs);
      await server.stop();
      console.log(`  start ${i + 1} ${side.padEnd(5)} ${server.startMs.toFixed(1)} ms`);
    }
  }
  const kv = await measureLoad(startKv, opts.keys);
  console.log(`  kv-server: loaded ${opts.keys} keys in ${(kv.load.ms / 1000).toFixed(2)} s`);
  const redis = await measureLoad(startRedis, opts.keys);
  console.log(`  redis-server: loaded ${opts.keys} keys in ${(redis.load.ms / 1000).toFixed(2)} s`);

  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');
  const used = (m) => (m.used === null ? `n/a (${m.infoError})` : mib(m.used));
  const perKey = (r) => (r.full.rss - r.empty.rss) / opts.keys;
  const kvStart = median(starts.kv);
  const redisStart = median(starts.redis);
  const rows = [
    [`start: spawn → first PONG (median of ${opts.starts})`, `${kvStart.toFixed(1)} ms`, `${redisStart.toFixed(1)} ms`, ratio(kvStart, redisStart)],
    ['RSS, empty', mib(kv.empty.rss), mib(redis.empty.rss), ratio(kv.empty.rss, redis.empty.rss)],
    [`RSS after ${opts.keys.toLocaleString('en-US')} keys`, mib(kv.full.rss), mib(redis.full.rss), ratio(kv.full.rss, redis.full.rss)],
    ['RSS growth per key', `${perKey(kv).toFixed(0)} B`, `${perKey(redis).toFixed(0)} B`, ratio(perKey(kv), perKey(redis))],
    ['INFO used_memory, empty', used(kv.empty), used(redis.empty), ratio(kv.empty.used ?? NaN, redis.empty.used ?? NaN)],
    [`INFO used_memory after ${opts.keys.toLocaleString('en-US')} keys`, used(kv.full), used(redis.full), ratio(kv.full.used ?? NaN, redis.full.used ?? NaN)],
    ['load time (pipelined SET, 1 connection)', `${(kv.load.ms / 1000).toFixed(2)} s`, `${(redis.load.ms / 1000).toFixed(2)} s`, ratio(kv.load.ms, redis.load.ms)],
    ['DBSIZE after load', String(kv.dbsize), String(redis.dbsize), ''],
  ];
  const notes = [];
  for (const [name, r] of [['kv-server', kv], ['redis-server', redis]]) {
    if (r.load.errors) notes.push(`- ${name}: ${r.load.errors} SET(s) failed, first: ${r.load.firstError}`);
  }
  const markdown = [
    '## Memory and start time',
    '',
    `\`npm run bench:memory\`${opts.quick ? ' --quick' : ''}: \`SET key:N <10 bytes>\` for N below ${opts.keys.toLocaleString('en-US')}, ` +
      'pipelined (batches of 10,000, two in flight) over one connection. RSS from /proc/<pid>/status VmRSS right after the load ' +
      "(kv-server's includes V8 heap not yet collected); used_memory is each server's own accounting (kv-server's is an estimate). " +
      'Load time is mostly the Node loader building requests, not a fair server comparison.',
    '',
    machineInfo(),
    '',
    table(['', 'kv-server', 'redis-server', 'kv/redis'], rows),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
  console.log('\n' + markdown);
  if (opts.quick) console.log('\n(--quick: RESULTS.md left unchanged)');
  else writeSection('memory', markdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
