#!/usr/bin/env node
/*
 * The binary protocol's client (kv-server/client) against ioredis on the same kv-server, in the
 * same run: GET, SET and MGET of 10 keys, with 1 and 50 requests in flight on one connection.
 * The server (dist/server/main.js with --bin-port) is pinned to core 0, each measurement runs in
 * a client process pinned to core 1 (taskset), binary and ioredis runs interleaved; the median of
 * the rounds is reported. `npm run bench:binary` (`--quick`: shorter runs). Writes the
 * "binary-client" section of bench/RESULTS.md. Not a test.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort, machineInfo, median, pinned, PINNING, startKv, table, writeSection } from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);
const quick = process.argv.includes('--quick');
const DURATION_MS = quick ? 500 : 1500;
const ROUNDS = quick ? 1 : 3;
const KEYS = Array.from({ length: 10 }, (_, i) => `bench:k${i}`);
const VALUE = 'v'.repeat(16);

if (process.argv[2] === '--worker') {
  await worker(JSON.parse(process.argv[3]));
} else {
  await main();
}

async function main() {
  const t0 = Date.now();
  const binPort = await freePort();
  const kv = await startKv({ args: ['--bin-port', String(binPort), '--save', ''] });
  const ops = ['GET', 'SET', 'MGET'];
  const depths = [1, 50];
  const results = new Map();
  /** client-process CPU per request (µs): what the client itself costs, less sensitive to load */
  const cpuPer = new Map();
  /** kv-server's CPU per request (µs) while serving each client */
  const serverPer = new Map();
  const workers = { binary: spawnWorker('binary', kv.port, binPort), ioredis: spawnWorker('ioredis', kv.port, binPort) };
  try {
    // warm both clients' code on every operation before measuring
    for (const op of ops) for (const client of ['binary', 'ioredis']) await workers[client].run({ op, depth: 50, durationMs: quick ? 200 : 700, warmupMs: 0 });
    for (const op of ops) {
      for (const depth of depths) {
        for (let round = 0; round < ROUNDS; round++) {
          // interleaved, and the order alternates between rounds
          const order = round % 2 === 0 ? ['binary', 'ioredis'] : ['ioredis', 'binary'];
          for (const client of order) {
            const s0 = serverCpuUs(kv.pid);
            const { rate, cpuUs, all } = await workers[client].run({ op, depth, durationMs: DURATION_MS, warmupMs: 200 });
            const serverUs = (serverCpuUs(kv.pid) - s0) / all;
            const k = `${op}/${depth}/${client}`;
            results.set(k, [...(results.get(k) ?? []), rate]);
            cpuPer.set(k, [...(cpuPer.get(k) ?? []), cpuUs]);
            serverPer.set(k, [...(serverPer.get(k) ?? []), serverUs]);
            process.stdout.write(`${op} depth ${depth} ${client}: ${Math.round(rate).toLocaleString('en-US')} req/s, ${cpuUs.toFixed(1)} µs client CPU/req, ${serverUs.toFixed(1)} µs server CPU/req\n`);
          }
        }
      }
    }
  } finally {
    workers.binary.stop();
    workers.ioredis.stop();
    await kv.stop();
  }
  const rows = [];
  for (const op of ops) {
    for (const depth of depths) {
      const b = median(results.get(`${op}/${depth}/binary`));
      const i = median(results.get(`${op}/${depth}/ioredis`));
      const cb = median(cpuPer.get(`${op}/${depth}/binary`));
      const ci = median(cpuPer.get(`${op}/${depth}/ioredis`));
      const sb = median(serverPer.get(`${op}/${depth}/binary`));
      const si = median(serverPer.get(`${op}/${depth}/ioredis`));
      rows.push([op === 'MGET' ? 'MGET (10 keys)' : op, String(depth), fmt(b), fmt(i), `${(b / i).toFixed(2)}×`, cb.toFixed(1), ci.toFixed(1), sb.toFixed(1), si.toFixed(1)]);
    }
  }
  const md = [
    '## Binary protocol client vs ioredis (same kv-server)',
    '',
    `\`npm run bench:binary\`: one connection per client, each client in its own long-lived process (warmed up on every operation first), requests kept in flight by concurrent loops; ${ROUNDS} interleaved round(s) of ${DURATION_MS} ms (after 200 ms of warm-up) per cell, median; 16-byte values; "µs CPU/req": the client process's CPU time per request, and kv-server's while it served that client (/proc, 10 ms ticks). ${PINNING.replace('redis-benchmark', 'the client process')}. ioredis ${await ioredisVersion()} over RESP on kv-server's port; kv-server/client over the binary listener of the same process. Took ${Math.round((Date.now() - t0) / 1000)} s.`,
    '',
    `**Loaded machine** (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores when it ended): other work shared the cores; ratios only. With 1 in flight a request is one round trip through two pinned processes, so its rate measures how soon the scheduler runs them, not the clients.`,
    '',
    machineInfo(),
    '',
    table(['command', 'in flight', 'binary req/s', 'ioredis req/s', 'binary/ioredis', 'binary client µs CPU/req', 'ioredis µs CPU/req', 'server µs CPU/req (binary)', 'server µs CPU/req (RESP, ioredis)'], rows),
  ].join('\n');
  console.log('\n' + md);
  if (!quick) writeSection('binary-client', md);
}

/** CPU time (user + system) of process `pid` so far, in µs (from /proc; clock ticks of 10 ms). */
function serverCpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

async function ioredisVersion() {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('ioredis/package.json').version;
}

/**
 * A client process pinned to the client core that stays up for the whole run (so its JIT is warm
 * for every cell): it reads one measurement per stdin line and answers one JSON line.
 */
function spawnWorker(client, port, binPort) {
  const [cmd, args] = pinned('client', process.execPath, [SELF, '--worker', JSON.stringify({ client, port, binPort })]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  let waiting = null;
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiting;
      waiting = null;
      w?.resolve(JSON.parse(line));
    }
  });
  child.on('exit', (code) => waiting?.reject(new Error(`${client} worker exited ${code}`)));
  return {
    run(spec) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        child.stdin.write(JSON.stringify(spec) + '\n');
      });
    },
    stop() {
      child.stdin.end();
    },
  };
}

async function worker({ client, port, binPort }) {
  let calls;
  let close;
  if (client === 'binary') {
    const { connect } = await import('../dist/client/index.js');
    const c = await connect(`kv://127.0.0.1:${binPort}`);
    await c.mset(KEYS.map((k) => [k, VALUE]));
    calls = { GET: () => c.get(KEYS[0]), SET: () => c.set(KEYS[0], VALUE), MGET: () => c.mget(KEYS) };
    close = () => c.close();
  } else {
    const { default: Redis } = await import('ioredis');
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
    await r.mset(...KEYS.flatMap((k) => [k, VALUE]));
    calls = { GET: () => r.get(KEYS[0]), SET: () => r.set(KEYS[0], VALUE), MGET: () => r.mget(KEYS) };
    close = async () => void r.disconnect();
  }
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const { op, depth, durationMs, warmupMs } = JSON.parse(line);
    const call = calls[op];
    let counting = false;
    let done = 0;
    let all = 0;
    let stop = false;
    const loop = async () => {
      while (!stop) {
        await call();
        all++;
        if (counting) done++;
      }
    };
    const loops = Array.from({ length: depth }, loop);
    await new Promise((r) => setTimeout(r, warmupMs));
    counting = true;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, durationMs));
    const n = done;
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    stop = true;
    await Promise.all(loops);
    process.stdout.write(JSON.stringify({ rate: (n / elapsed) * 1000, cpuUs: (cpu.user + cpu.system) / n, all }) + '\n');
  }
  await close();
  process.exit(0);
}
