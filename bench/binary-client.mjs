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
  try {
    for (const op of ops) {
      for (const depth of depths) {
        for (let round = 0; round < ROUNDS; round++) {
          // interleaved, and the order alternates between rounds
          const order = round % 2 === 0 ? ['binary', 'ioredis'] : ['ioredis', 'binary'];
          for (const client of order) {
            const rate = await measure({ client, op, depth, port: kv.port, binPort, durationMs: DURATION_MS });
            const k = `${op}/${depth}/${client}`;
            results.set(k, [...(results.get(k) ?? []), rate]);
            process.stdout.write(`${op} depth ${depth} ${client}: ${Math.round(rate).toLocaleString('en-US')} req/s\n`);
          }
        }
      }
    }
  } finally {
    await kv.stop();
  }
  const rows = [];
  for (const op of ops) {
    for (const depth of depths) {
      const b = median(results.get(`${op}/${depth}/binary`));
      const i = median(results.get(`${op}/${depth}/ioredis`));
      rows.push([op === 'MGET' ? 'MGET (10 keys)' : op, String(depth), fmt(b), fmt(i), `${(b / i).toFixed(2)}×`]);
    }
  }
  const md = [
    '## Binary protocol client vs ioredis (same kv-server)',
    '',
    `\`npm run bench:binary\`: one connection per client, requests kept in flight by concurrent loops; ${ROUNDS} interleaved round(s) of ${DURATION_MS} ms per cell, median; 16-byte values. ${PINNING.replace('redis-benchmark', 'the client process')}. ioredis ${await ioredisVersion()} over RESP on kv-server's port; kv-server/client over the binary listener of the same process. Took ${Math.round((Date.now() - t0) / 1000)} s.`,
    '',
    '**Loaded machine**: run while other work shared the 2 cores; ratios only.',
    '',
    machineInfo(),
    '',
    table(['command', 'in flight', 'binary req/s', 'ioredis req/s', 'binary/ioredis'], rows),
  ].join('\n');
  console.log('\n' + md);
  if (!quick) writeSection('binary-client', md);
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

async function ioredisVersion() {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('ioredis/package.json').version;
}

/** Runs one measurement in a client process pinned to the client core; resolves with req/s. */
function measure(spec) {
  return new Promise((resolve, reject) => {
    const [cmd, args] = pinned('client', process.execPath, [SELF, '--worker', JSON.stringify(spec)]);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${JSON.stringify(spec)} exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()).rate);
    });
  });
}

async function worker({ client, op, depth, port, binPort, durationMs }) {
  let call;
  let close;
  if (client === 'binary') {
    const { connect } = await import('../dist/client/index.js');
    const c = await connect(`kv://127.0.0.1:${binPort}`);
    await c.mset(KEYS.map((k) => [k, VALUE]));
    call = op === 'GET' ? () => c.get(KEYS[0]) : op === 'SET' ? () => c.set(KEYS[0], VALUE) : () => c.mget(KEYS);
    close = () => c.close();
  } else {
    const { default: Redis } = await import('ioredis');
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: true });
    await r.connect();
    await r.mset(...KEYS.flatMap((k) => [k, VALUE]));
    call = op === 'GET' ? () => r.get(KEYS[0]) : op === 'SET' ? () => r.set(KEYS[0], VALUE) : () => r.mget(KEYS);
    close = async () => void r.disconnect();
  }
  let counting = false;
  let done = 0;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      await call();
      if (counting) done++;
    }
  };
  const loops = Array.from({ length: depth }, loop);
  // warm-up, then the measured window
  await new Promise((r) => setTimeout(r, Math.min(300, durationMs / 3)));
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  const n = done;
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.all(loops);
  await close();
  process.stdout.write(JSON.stringify({ rate: (n / elapsed) * 1000 }) + '\n');
  process.exit(0);
}
