#!/usr/bin/env node
/*
 * `npm run bench`: redis-benchmark against kv-server and a real redis-server, in the same run.
 *
 * Both servers are started on free loopback ports. For each test (PING_INLINE, SET, GET, INCR,
 * MSET) and each mode (`-c 50` unpipelined, `-c 50 -P 16`), redis-benchmark runs `runs` times,
 * alternating kv-server and redis-server, and each figure is the median of those runs. Each run is
 * its own redis-benchmark process with one `-t` test, so that a command kv-server lacks (or a
 * hang) costs only its own cell of the table. Figures come from redis-benchmark 7.0's `--csv`
 * (rps, avg/min/p50/p95/p99/max latency in ms).
 *
 * Every mode runs twice: with redis-benchmark's own default keys (no `-r`: every request names the
 * same key, the run the issue's targets refer to) and with `-r 100000` random keys, where the
 * cost of a cache-missing hash-table lookup shows.
 *
 * The data-type tests (LPUSH … LRANGE_600) run the same way into their own section.
 *
 * Options: --quick (fewer requests, 1 run: a smoke check that does not touch RESULTS.md),
 *          -n <requests> (per unpipelined run; pipelined runs get 5×), --runs <r>,
 *          --keys default|random (only one of the two key patterns), --tests core|types.
 */
import { spawn } from 'node:child_process';
import { machineInfo, median, PINNING, pinned, startKv, startRedis, table, writeSection } from './lib.mjs';

/** The string tests (section `redis-benchmark`) and the data-type tests (`redis-benchmark-types`),
 *  the latter in redis-benchmark's own order, so that pops follow pushes on each server. */
const TEST_SETS = {
  core: ['PING_INLINE', 'SET', 'GET', 'INCR', 'MSET'],
  types: ['LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'SADD', 'HSET', 'SPOP', 'ZADD', 'ZPOPMIN', 'LRANGE_100', 'LRANGE_600'],
};
let TESTS = TEST_SETS.core;
const CLIENTS = 50;
const PIPELINE = 16;
const KEYSPACE = 100_000; // -r for the random-keys tables
const PIPELINED_FACTOR = 5; // pipelined runs send this many times -n
const RUN_TIMEOUT_MS = 60_000;
/**
 * Per server and test, before measuring: V8 takes a few seconds of load to tier kv-server's hot
 * path up to optimised code (a fresh process measured 430-640k INCR/s pipelined in its first
 * million requests and 850-950k from the third on), so the tables compare steady states. Redis
 * gets the same warm-up.
 */
const WARMUP_REQUESTS = 1_000_000;

function parseArgs(argv) {
  const opts = { quick: false, n: 100_000, runs: 3, keys: ['default', 'random'], sets: ['core', 'types'] };
  let nSet = false;
  let runsSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '-n' || a === '--requests') {
      opts.n = positiveInt(a, argv[++i]);
      nSet = true;
    } else if (a === '--runs') {
      opts.runs = positiveInt(a, argv[++i]);
      runsSet = true;
    } else if (a === '--keys') {
      const k = argv[++i];
      if (k !== 'default' && k !== 'random') throw new Error('--keys takes default or random');
      opts.keys = [k];
    } else if (a === '--tests') {
      const t = argv[++i];
      if (!(t in TEST_SETS)) throw new Error('--tests takes core or types');
      opts.sets = [t];
    } else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/redis-benchmark.mjs [--quick] [-n requests] [--runs r] [--keys default|random] [--tests core|types]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (opts.quick) {
    if (!nSet) opts.n = 10_000;
    if (!runsSet) opts.runs = 1;
  }
  return opts;
}

function positiveInt(flag, s) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
  return n;
}

/**
 * One redis-benchmark process for one test. Resolves with the CSV figures
 * ({ rps, avg, min, p50, p95, p99, max }) or { error } — it never rejects.
 */
function runBenchmark(port, test, { requests, pipeline, random = false }) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(CLIENTS), '-n', String(requests), '-P', String(pipeline), '-t', test.toLowerCase(), '--csv'];
  if (random) args.push('-r', String(KEYSPACE));
  return new Promise((resolve) => {
    const [command, argv] = pinned('client', 'redis-benchmark', args);
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', (e) => resolve({ error: `redis-benchmark: ${e.message}` }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve({ error: `timed out after ${RUN_TIMEOUT_MS / 1000}s` });
      // the LRANGE tests print the LPUSH that fills their list first: take the test's own row
      const row = out.split('\n').find((l) => l.startsWith(`"${test}`));
      if (code !== 0 || !row) {
        const line = (err + out).split('\n').find((l) => l.startsWith('Error')) ?? (err || out).trim().split('\n').pop() ?? '';
        // "Error from server: ERR unknown command 'X', with args beginning with: …": keep the gist
        const reason = line.replace(/^Error from server: /, '').replace(/, with args beginning with:.*$/, '').slice(0, 120);
        return resolve({ error: reason || `exit code ${code}` });
      }
      const [, rps, avg, min, p50, p95, p99, max] = row.split(',').map((c) => Number(c.replace(/"/g, '')));
      resolve({ rps, avg, min, p50, p95, p99, max });
    });
  });
}

/** The median of each figure over the runs without error, or the first error when all failed. */
function summarize(results) {
  const ok = results.filter((r) => !r.error);
  if (ok.length === 0) return { error: results[0]?.error ?? 'no run' };
  const out = { failedRuns: results.length - ok.length };
  for (const k of ['rps', 'avg', 'min', 'p50', 'p95', 'p99', 'max']) out[k] = median(ok.map((r) => r[k]));
  return out;
}

const fmtRps = (r) => (r.error ? 'error' : Math.round(r.rps).toLocaleString('en-US'));
const fmtMs = (r, k) => (r.error ? '–' : r[k].toFixed(3));

function renderMode(title, cells) {
  const rows = TESTS.map((test) => {
    const kv = cells[test].kv;
    const redis = cells[test].redis;
    const ratio = kv.error || redis.error ? '–' : `${(kv.rps / redis.rps).toFixed(2)}×`;
    return [test, fmtRps(kv), fmtRps(redis), ratio, fmtMs(kv, 'p50'), fmtMs(redis, 'p50'), fmtMs(kv, 'p95'), fmtMs(redis, 'p95'), fmtMs(kv, 'p99'), fmtMs(redis, 'p99')];
  });
  const header = ['test', 'kv req/s', 'redis req/s', 'kv/redis', 'kv p50', 'redis p50', 'kv p95', 'redis p95', 'kv p99', 'redis p99'];
  const notes = [];
  for (const test of TESTS) {
    for (const side of ['kv', 'redis']) {
      const c = cells[test][side];
      if (c.error) notes.push(`- ${test} on ${side === 'kv' ? 'kv-server' : 'redis-server'} failed: ${c.error}`);
      else if (c.failedRuns) notes.push(`- ${test} on ${side === 'kv' ? 'kv-server' : 'redis-server'}: ${c.failedRuns} run(s) failed and were left out`);
    }
  }
  return `### ${title}\n\n${table(header, rows)}\n${notes.length ? '\n' + notes.join('\n') + '\n' : ''}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const set of opts.sets) {
    TESTS = TEST_SETS[set];
    await runSet(opts, set);
  }
}

async function runSet(opts, set) {
  const modes = opts.keys.flatMap((keys) => {
    const random = keys === 'random';
    const which = random ? `-r ${KEYSPACE} random keys` : "redis-benchmark's default keys";
    return [
      { key: `c50${random ? 'r' : ''}`, title: `-c ${CLIENTS}, no pipelining, ${which}`, requests: opts.n, pipeline: 1, random },
      { key: `p16${random ? 'r' : ''}`, title: `-c ${CLIENTS} -P ${PIPELINE}, ${which}`, requests: opts.n * PIPELINED_FACTOR, pipeline: PIPELINE, random },
    ];
  });
  const kv = await startKv();
  const redis = await startRedis();
  console.log(`kv-server on port ${kv.port} (pid ${kv.pid}), redis-server on port ${redis.port} (pid ${redis.pid})`);
  console.log(`${opts.runs} run(s) per cell, interleaved kv/redis; -n ${opts.n} unpipelined, ${opts.n * PIPELINED_FACTOR} with -P ${PIPELINE}; keys: ${opts.keys.join(', ')}\n`);
  const t0 = Date.now();
  const sections = [];
  try {
    for (const server of [kv, redis]) {
      for (const test of TESTS) await runBenchmark(server.port, test, { requests: opts.quick ? 50_000 : WARMUP_REQUESTS, pipeline: PIPELINE, random: true });
    }
    for (const mode of modes) {
      const cells = {};
      for (const test of TESTS) {
        const runs = { kv: [], redis: [] };
        for (let i = 0; i < opts.runs; i++) {
          for (const [side, server] of [['kv', kv], ['redis', redis]]) {
            const r = await runBenchmark(server.port, test, mode);
            runs[side].push(r);
            const shown = r.error ? `error: ${r.error}` : `${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;
            console.log(`  ${mode.key} ${test.padEnd(11)} run ${i + 1} ${side.padEnd(5)} ${shown}`);
          }
        }
        cells[test] = { kv: summarize(runs.kv), redis: summarize(runs.redis) };
      }
      sections.push(renderMode(mode.title, cells));
    }
  } finally {
    await kv.stop();
    await redis.stop();
  }
  const elapsed = ((Date.now() - t0) / 1000).toFixed(0);
  const markdown = [
    set === 'core' ? '## redis-benchmark: kv-server vs redis-server' : '## redis-benchmark, data types: kv-server vs redis-server',
    '',
    `\`npm run bench\`${opts.quick ? ' --quick' : ''}: median of ${opts.runs} run(s) per cell, kv-server and redis-server runs interleaved; ` +
      `\`-n ${opts.n}\` unpipelined and \`-n ${opts.n * PIPELINED_FACTOR}\` pipelined, 3-byte values; ` +
      `latencies in ms from redis-benchmark's \`--csv\`. ${set === 'core' ? 'MSET sets 10 keys per request' : 'Tests in redis-benchmark\'s order on each server (pops follow pushes); with -r the members are random'}. ${PINNING}. Took ${elapsed} s.`,
    '',
    machineInfo(),
    '',
    ...sections,
  ].join('\n');
  console.log('\n' + markdown);
  if (opts.quick) console.log('\n(--quick: RESULTS.md left unchanged)');
  else writeSection(set === 'core' ? 'redis-benchmark' : 'redis-benchmark-types', markdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
