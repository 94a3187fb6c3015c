#!/usr/bin/env node
/*
 * Where one request's round trip goes with 1 in flight: kv-server/client over the binary port
 * and ioredis over RESP on the same kv-server, a fixed number of sequential requests each, and
 * the CPU both processes spent on them, split into user-space (JS, V8, libuv) and kernel time
 * (/proc/PID/stat utime and stime for the server, process.cpuUsage() in the client). Counting
 * a fixed number of requests, not a fixed time, keeps the per-request CPU figures usable when the
 * machine is busy; the wall-clock rate is not. Server pinned to core 0, clients to core 1.
 *
 *   node bench/roundtrip-cpu.mjs [--n 100000] [--ops GET,SET] [--clients binary,ioredis]
 *        [--server-prof DIR] [--client-prof DIR]   (node --cpu-prof of that side, into DIR)
 *
 * Not a test, and it writes nothing to RESULTS.md: its numbers are quoted there by hand.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, KV_MAIN, pinned, sleep } from './lib.mjs';

const WORKER = fileURLToPath(new URL('./roundtrip-worker.mjs', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};

await main();

async function main() {
  const n = Number(arg('n', '100000'));
  const ops = arg('ops', 'GET,SET').split(',');
  const clients = arg('clients', 'binary,ioredis').split(',');
  const serverProf = arg('server-prof', null);
  const clientProf = arg('client-prof', null);
  const port = await freePort();
  const binPort = await freePort();
  const nodeArgs = serverProf === null ? [] : ['--cpu-prof', '--cpu-prof-dir', serverProf];
  const [cmd, args] = pinned('server', process.execPath, [...nodeArgs, KV_MAIN, '--port', String(port), '--bin-port', String(binPort), '--save', '', '--loglevel', 'warning']);
  const server = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((r) => server.once('exit', r));
  await sleep(1500);
  try {
    for (const client of clients) {
      const w = spawnWorker(client, port, binPort, clientProf);
      // warm-up, then the measured run
      await w.run({ op: ops[0], n: Math.min(n, 20000) });
      for (const op of ops) {
        await w.run({ op, n: Math.min(n, 20000) });
        const s0 = procCpu(server.pid);
        const r = await w.run({ op, n });
        const s1 = procCpu(server.pid);
        const su = (s1.user - s0.user) / n;
        const ss = (s1.sys - s0.sys) / n;
        const rt = 1e6 / r.rate;
        console.log(
          `${op} ${client.padEnd(7)} ${Math.round(r.rate).toString().padStart(6)} req/s  round trip ${rt.toFixed(1)} µs | ` +
            `client user ${r.user.toFixed(1)} sys ${r.sys.toFixed(1)} | server user ${su.toFixed(1)} sys ${ss.toFixed(1)} µs/req`,
        );
      }
      await w.stop();
    }
  } finally {
    server.kill('SIGINT');
    await exited;
  }
}

/** user and system CPU of `pid` so far, µs (clock ticks of 10 ms) */
function procCpu(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return { user: Number(f[11]) * 10_000, sys: Number(f[12]) * 10_000 };
}

function spawnWorker(client, port, binPort, profDir) {
  const nodeArgs = profDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir];
  const [cmd, args] = pinned('client', process.execPath, [...nodeArgs, WORKER, JSON.stringify({ client, port, binPort })]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  let buf = '';
  let waiting = () => {};
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (line.ready !== true) waiting(line);
    }
  });
  return {
    run: (spec) =>
      new Promise((resolve) => {
        waiting = resolve;
        child.stdin.write(JSON.stringify(spec) + '\n');
      }),
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

