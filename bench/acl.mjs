/*
 * `node bench/acl.mjs` (after `npm run build`): the throughput cost of AUTH + ACL checks, on
 * kv-server and on Debian's redis-server with the same settings. Each server runs twice over:
 * (a) no ACL — the default user (nopass, +@all ~* &*: the check is skipped), and (b) an
 * authenticated user `bench` with `~app:* +@all -@dangerous` (redis-benchmark --user bench -a pw),
 * so every command is checked: its command bit, then its key against `app:*`. SET and GET of
 * `app:__rand_int__` with -r 1000000, -c 50 unpipelined and -P 16, the four configurations
 * interleaved run by run, pinned as the other benchmarks. Reports each server's relative cost of
 * (b) over (a). Wall-clock figures on a shared machine are noisy: the CPU cost of the check per
 * command is measured with callgrind instruction counts (`--callgrind`), see bench/RESULTS.md.
 *
 *   node bench/acl.mjs [--requests N] [--runs N] [--quiet-machine]
 *   node bench/acl.mjs --callgrind [--requests N] [--pipeline P]   # instructions per GET/SET, kv-server and redis
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, KV_MAIN, machineInfo, median, pinned, PINNING, sleep, startKv, startRedis, table, writeSection } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const CALLGRIND = args.includes('--callgrind');
const REQUESTS = opt('requests', CALLGRIND ? 20_000 : 50_000);
const RUNS = opt('runs', 2);
/** --callgrind only: the pipeline depth of the measured loads (-P) */
const CG_PIPELINE = opt('pipeline', 1);
const CLIENTS = 50;
const NOTE = args.includes('--quiet-machine') ? 'quiet machine' : 'loaded machine (shared with other work while it ran): ratios are indicative only';
const USER = ['ACL', 'SETUSER', 'bench', 'on', '>pw', '~app:*', '+@all', '-@dangerous'];
const VALUE = 'x'.repeat(3);

/** redis-benchmark against `port`, as `user` (null: the default user); one command shape. */
function runBenchmark(port, user, test, pipeline, requests, clients = CLIENTS) {
  const cmd = test === 'set' ? ['SET', 'app:__rand_int__', VALUE] : ['GET', 'app:__rand_int__'];
  const auth = user === null ? [] : ['--user', user, '-a', 'pw'];
  const a = ['-h', '127.0.0.1', '-p', String(port), ...auth, '-c', String(clients), '-n', String(requests), '-P', String(pipeline), '-r', '1000000', '--csv', ...cmd];
  return new Promise((resolve) => {
    const [bin, argv] = pinned('client', 'redis-benchmark', a);
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const row = out.split('\n').find((l) => l.startsWith('"') && !l.startsWith('"test"'));
      if (code !== 0 || !row) return resolve({ error: (err || out).trim().split('\n').pop() || `exit ${code}` });
      const [, rps] = row.split(',').map((c) => Number(c.replace(/"/g, '')));
      resolve({ rps });
    });
  });
}

function cli(port, ...argv) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'utf8' });
  if (r.status !== 0 || !/OK/.test(r.stdout)) throw new Error(`redis-cli ${argv.join(' ')}: ${r.stdout}${r.stderr}`);
}

async function wallClock() {
  const kv = await startKv();
  const redis = await startRedis();
  const rows = [];
  try {
    for (const s of [kv, redis]) cli(s.port, ...USER);
    for (const pipeline of [1, 16]) {
      for (const test of ['set', 'get']) {
        const res = { kvA: [], kvB: [], rA: [], rB: [] };
        const n = pipeline > 1 ? REQUESTS * 4 : REQUESTS;
        for (let run = 0; run < RUNS; run++) {
          // interleaved: every configuration once per run
          res.kvA.push(await runBenchmark(kv.port, null, test, pipeline, n));
          res.rA.push(await runBenchmark(redis.port, null, test, pipeline, n));
          res.kvB.push(await runBenchmark(kv.port, 'bench', test, pipeline, n));
          res.rB.push(await runBenchmark(redis.port, 'bench', test, pipeline, n));
        }
        const m = (rs) => {
          const ok = rs.filter((r) => !r.error);
          return ok.length === 0 ? NaN : median(ok.map((r) => r.rps));
        };
        const [ka, kb, ra, rb] = [m(res.kvA), m(res.kvB), m(res.rA), m(res.rB)];
        const fmt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'error');
        const cost = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? `${(((a - b) / a) * 100).toFixed(1)}%` : '–');
        const label = `${test.toUpperCase()} ${pipeline > 1 ? `-P ${pipeline}` : 'unpipelined'}`;
        console.log(`${label}: kv ${fmt(ka)} → ${fmt(kb)} (${cost(ka, kb)}), redis ${fmt(ra)} → ${fmt(rb)} (${cost(ra, rb)})`);
        rows.push([label, fmt(ka), fmt(kb), cost(ka, kb), fmt(ra), fmt(rb), cost(ra, rb)]);
      }
    }
  } finally {
    await kv.stop();
    await redis.stop();
  }
  return rows;
}

/** Total instructions (Ir) of a callgrind output file. */
function totalIr(file) {
  const text = readFileSync(file, 'latin1');
  const m = text.match(/^totals:\s+(\d+)/m) ?? text.match(/^summary:\s+(\d+)/m);
  return m ? Number(m[1]) : NaN;
}

/** Starts `argv` under callgrind on `port`, waits for PING. */
async function underCallgrind(argv, port, out) {
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, ...argv], { stdio: 'ignore' });
  for (let i = 0; i < 900; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' }).stdout.includes('PONG')) return child;
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${argv[0]} did not start under valgrind`);
}

/**
 * Instructions per request, one server process under callgrind per (server, user): a warm-up
 * (the JIT's, for kv-server), then the counters are zeroed (callgrind_control --zero) and each
 * measured load is followed by a dump (which zeroes them again), so a dump holds exactly one
 * load — GET then SET — plus whatever the idle server did meanwhile (timers), the same for both
 * users.
 */
async function callgrind() {
  const rows = [];
  const measure = async (server, user) => {
    const port = await freePort();
    const out = join(tmpdir(), `kv-acl-cg-${process.pid}-${port}.out`);
    const argv = server === 'kv' ? [process.execPath, KV_MAIN, '--port', String(port), '--loglevel', 'warning'] : ['redis-server', '--port', String(port), '--save', '', '--appendonly', 'no'];
    const child = await underCallgrind(argv, port, out);
    cli(port, ...USER);
    // warm-up (the JIT's: the measured load's shape, long enough for the optimizing compiler)
    for (let i = 0; i < 3; i++) for (const test of ['get', 'set']) await runBenchmark(port, user, test, CG_PIPELINE, CG_PIPELINE > 1 ? 20000 : 5000, 10);
    const ctl = (...a) => spawnSync('callgrind_control', [...a, String(child.pid)], { encoding: 'utf8' });
    ctl('--zero');
    const per = {};
    for (const test of ['get', 'set']) {
      await runBenchmark(port, user, test, CG_PIPELINE, REQUESTS, 10);
      ctl('--dump=' + test);
    }
    spawnSync('redis-cli', ['-p', String(port), 'SHUTDOWN', 'NOSAVE']);
    await new Promise((r) => child.once('exit', r));
    // the dumps are out.1, out.2 (in order), the final one out
    for (const [i, test] of ['get', 'set'].entries()) {
      per[test] = totalIr(`${out}.${i + 1}`) / REQUESTS;
      rmSync(`${out}.${i + 1}`, { force: true });
    }
    rmSync(out, { force: true });
    return per;
  };
  for (const server of args.includes('--kv-only') ? ['kv'] : ['kv', 'redis']) {
    const d = await measure(server, null);
    const b = await measure(server, 'bench');
    for (const test of ['get', 'set']) {
      console.log(`${server} ${test}: default ${Math.round(d[test])}, bench ${Math.round(b[test])} instructions/request`);
      rows.push([server === 'kv' ? 'kv-server' : 'redis-server', test.toUpperCase(), Math.round(d[test]).toLocaleString('en-US'), Math.round(b[test]).toLocaleString('en-US'), `${(((b[test] - d[test]) / d[test]) * 100).toFixed(1)}%`]);
    }
  }
  return rows;
}

async function main() {
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  if (CALLGRIND) {
    const rows = await callgrind();
    console.log(table(['server', 'command', 'default user (Ir/request)', 'ACL user (Ir/request)', 'ACL cost'], rows));
    console.log(`pipeline ${CG_PIPELINE}; load average at start: ${load}`);
    return;
  }
  const rows = await wallClock();
  writeSection(
    'acl',
    [
      '## ACL checks (`node bench/acl.mjs`)',
      '',
      `redis-benchmark -c ${CLIENTS} -r 1000000, \`SET app:__rand_int__ ${VALUE}\` / \`GET app:__rand_int__\`, ${REQUESTS.toLocaleString('en-US')} requests unpipelined and ${(REQUESTS * 4).toLocaleString('en-US')} with -P 16, ${RUNS} run(s) each, the four configurations interleaved: (a) the default user (no ACL: nopass, +@all ~* &*), (b) \`${USER.slice(2).join(' ')}\` authenticated with --user/-a (every command checked: command bit and key pattern). Cost = (a − b) / a. ${PINNING}. Target: the ACL check costs kv-server < 5%.`,
      '',
      `**${NOTE}; load average at start ${load}.**`,
      '',
      table(['test', 'kv (a) req/s', 'kv (b) req/s', 'kv cost', 'redis (a) req/s', 'redis (b) req/s', 'redis cost'], rows),
      '',
      machineInfo(),
    ].join('\n'),
  );
}

await main();
