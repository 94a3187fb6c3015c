/*
 * `npm run bench:tls`: redis-benchmark --tls against kv-server and Debian's redis-server, both
 * serving TLS with the same certificates (made here with openssl), pinned as the other benchmarks
 * (servers on core 0, redis-benchmark on core 1), interleaved run by run. SET and GET, unpipelined
 * (-c 50) and pipelined (-c 50 -P 16). Short by default (the machine is shared); `--requests N`
 * and `--runs N` for longer runs. Writes the "tls" section of bench/RESULTS.md.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, machineInfo, median, pinned, PINNING, startKv, startRedis, table, writeSection } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const REQUESTS = opt('requests', 20_000);
const RUNS = opt('runs', 1);
const CLIENTS = 50;
const NOTE = args.includes('--quiet-machine') ? 'quiet machine' : 'loaded machine (shared with other work while it ran): ratios are indicative only';

function makeCerts() {
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-tls-'));
  const o = (...a) => execFileSync('openssl', a, { cwd: dir, stdio: 'ignore' });
  o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=bench CA');
  writeFileSync(join(dir, 'ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  o('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext');
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

function runBenchmark(tlsPort, ca, test, pipeline) {
  const a = ['--tls', '--cacert', ca, '-h', '127.0.0.1', '-p', String(tlsPort), '-c', String(CLIENTS), '-n', String(pipeline > 1 ? REQUESTS * 5 : REQUESTS), '-P', String(pipeline), '-t', test, '--csv'];
  return new Promise((resolve) => {
    const [cmd, argv] = pinned('client', 'redis-benchmark', a);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const row = out.split('\n').find((l) => l.startsWith('"') && !l.startsWith('"test"'));
      if (code !== 0 || !row) return resolve({ error: (err || out).trim().split('\n').pop() || `exit ${code}` });
      const [, rps, , , p50, , p99] = row.split(',').map((c) => Number(c.replace(/"/g, '')));
      resolve({ rps, p50, p99 });
    });
  });
}

async function main() {
  const certs = makeCerts();
  const tlsArgs = (port) => ['--tls-port', String(port), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no'];
  const kvTls = await freePort();
  const redisTls = await freePort();
  const kv = await startKv({ args: tlsArgs(kvTls) });
  const redis = await startRedis({ args: tlsArgs(redisTls) });
  const rows = [];
  try {
    for (const pipeline of [1, 16]) {
      for (const test of ['set', 'get']) {
        const res = { kv: [], redis: [] };
        for (let run = 0; run < RUNS; run++) {
          // interleaved: kv-server, then Redis, run after run
          res.kv.push(await runBenchmark(kvTls, certs.ca, test, pipeline));
          res.redis.push(await runBenchmark(redisTls, certs.ca, test, pipeline));
        }
        const sum = (rs) => {
          const ok = rs.filter((r) => !r.error);
          return ok.length === 0 ? { error: rs[0].error } : { rps: median(ok.map((r) => r.rps)), p99: median(ok.map((r) => r.p99)) };
        };
        const k = sum(res.kv);
        const r = sum(res.redis);
        const cell = (x) => (x.error ? `error: ${x.error}` : `${Math.round(x.rps).toLocaleString('en-US')} (p99 ${x.p99} ms)`);
        const ratio = k.error || r.error ? '–' : `${(k.rps / r.rps).toFixed(2)}×`;
        const label = `${test.toUpperCase()} ${pipeline > 1 ? `-P ${pipeline}` : 'unpipelined'}`;
        console.log(`${label}: kv-server ${cell(k)}, redis ${cell(r)}, ${ratio}`);
        rows.push([label, cell(k), cell(r), ratio]);
      }
    }
  } finally {
    await kv.stop();
    await redis.stop();
  }
  writeSection(
    'tls',
    [
      '## TLS (`npm run bench:tls`)',
      '',
      `redis-benchmark --tls -c ${CLIENTS}, ${REQUESTS.toLocaleString('en-US')} requests unpipelined and ${(REQUESTS * 5).toLocaleString('en-US')} with -P 16, ${RUNS} run(s) each, interleaved; both servers serve TLS with the same certificate (RSA 2048, TLS 1.3 negotiated), no client certificates. ${PINNING}. Target: kv-server ≥ 0.8× Redis over TLS.`,
      '',
      `**${NOTE}.**`,
      '',
      table(['test', 'kv-server req/s', 'redis-server req/s', 'kv / redis'], rows),
      '',
      machineInfo(),
    ].join('\n'),
  );
}

await main();
