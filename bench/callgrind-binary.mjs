#!/usr/bin/env node
/*
 * User-space instructions per request with 1 request in flight, kv-server/client over the binary
 * port against ioredis over RESP on the same kv-server, counted under valgrind's callgrind (a
 * busy machine makes wall-clock and even CPU-time figures noise; instruction counts are not).
 * `--side server`: kv-server runs under callgrind, the clients natively; `--side client`: each
 * client process runs under callgrind, kv-server natively. For each client and operation: a
 * warm-up (not counted: V8 tiers up), counters zeroed (`callgrind_control -z`), n sequential
 * requests, counters dumped (`-d`); the dump's total over n is the figure. Kernel time (the
 * syscalls, the wake-ups) is not in it: bench/roundtrip-cpu.mjs shows that side.
 *
 *   npm run build && node bench/callgrind-binary.mjs [--side server|client] [--n 20000]
 *        [--ops GET,SET] [--clients binary,ioredis]
 * (KV_CALLGRIND_DIR: where dumps go, default /tmp/kv-callgrind-binary). A few minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, KV_MAIN, sleep } from './lib.mjs';

const WORKER = fileURLToPath(new URL('./roundtrip-worker.mjs', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const SIDE = arg('side', 'server');
const N = Number(arg('n', '20000'));
const OPS = arg('ops', 'GET,SET').split(',');
const CLIENTS = arg('clients', 'binary,ioredis').split(',');
const OUT = process.env.KV_CALLGRIND_DIR ?? '/tmp/kv-callgrind-binary';
/** node flags of the counted process, e.g. `--perf-basic-prof` to name JIT code (bench/callgrind-jit-names.mjs) */
const NODE_ARGS = (process.env.KV_CALLGRIND_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

const grind = (dir) => ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${path.join(dir, 'cg.out')}.%p`];

/** The newest dump's instructions: the main thread's and all threads'. */
function lastDump(dir, seen) {
  const files = readdirSync(dir).filter((f) => f.startsWith('cg.out') && /\.\d+\.\d+(-\d+)?$/.test(f) && !seen.has(f));
  if (files.length === 0) throw new Error(`no new dump in ${dir}`);
  const dumpOf = (f) => Number(/\.(\d+)(?:-\d+)?$/.exec(f)[1]);
  const last = Math.max(...files.map(dumpOf));
  let main = 0;
  let total = 0;
  for (const f of files) {
    seen.add(f);
    if (dumpOf(f) !== last) continue;
    const n = Number(/^(?:summary|totals): (\d+)/m.exec(readFileSync(path.join(dir, f), 'latin1'))[1]);
    total += n;
    if (!/-\d+$/.test(f) || f.endsWith('-01')) main = n;
  }
  return { main, total };
}

function startWorker(client, port, binPort, dir) {
  const argv = [WORKER, JSON.stringify({ client, port, binPort })];
  const child = dir === null ? spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] }) : spawn('valgrind', [...grind(dir), process.execPath, ...NODE_ARGS, ...argv], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.once('exit', r));
  let buf = '';
  const lines = [];
  let waiting = null;
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
    if (waiting !== null && lines.length > 0) {
      const w = waiting;
      waiting = null;
      w(lines.shift());
    }
  });
  const next = () => new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift()) : (waiting = resolve)));
  return {
    pid: child.pid,
    ready: next,
    run: (spec) => {
      child.stdin.write(JSON.stringify(spec) + '\n');
      return next();
    },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function untilListening(port) {
  for (let i = 0; i < 600; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await sleep(250);
  }
  throw new Error(`nothing listens on ${port}`);
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const port = await freePort();
  const binPort = await freePort();
  const serverArgv = [KV_MAIN, '--port', String(port), '--bin-port', String(binPort), '--save', '', '--loglevel', 'warning'];
  const serverDir = path.join(OUT, 'server');
  mkdirSync(serverDir);
  const server = SIDE === 'server' ? spawn('valgrind', [...grind(serverDir), process.execPath, ...NODE_ARGS, ...serverArgv], { stdio: 'ignore' }) : spawn(process.execPath, serverArgv, { stdio: 'ignore' });
  const exited = new Promise((r) => server.once('exit', r));
  await untilListening(binPort);
  const seen = new Set();
  const rows = [];
  try {
    for (const client of CLIENTS) {
      const dir = path.join(OUT, client);
      mkdirSync(dir);
      const w = startWorker(client, port, binPort, SIDE === 'client' ? dir : null);
      await w.ready();
      const counted = SIDE === 'server' ? server.pid : w.pid;
      const cgDir = SIDE === 'server' ? serverDir : dir;
      for (const op of OPS) {
        await w.run({ op, n: N / 2 });
        execFileSync('callgrind_control', ['-z', String(counted)], { stdio: 'ignore' });
        await w.run({ op, n: N });
        execFileSync('callgrind_control', ['-d', `${client}-${op}`, String(counted)], { stdio: 'ignore' });
        await sleep(500);
        const { main, total } = lastDump(cgDir, seen);
        rows.push([op, client, main / N, total / N]);
        console.error(`${SIDE} serving ${op} for ${client}: ${(main / N).toFixed(0)} instructions/request on the main thread, ${(total / N).toFixed(0)} in all`);
      }
      await w.stop();
    }
  } finally {
    server.kill('SIGINT');
    await exited;
  }
  console.log(`instructions per request (callgrind, ${SIDE} process), 1 in flight, n=${N}`);
  console.log(`| op | client | ${SIDE} main thread | ${SIDE} all threads |`);
  console.log('| --- | --- | --- | --- |');
  for (const [op, client, m, t] of rows) console.log(`| ${op} | ${client} | ${m.toFixed(0)} | ${t.toFixed(0)} |`);
}

await main();
