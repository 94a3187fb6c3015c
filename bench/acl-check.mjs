/*
 * `node bench/acl-check.mjs` (after `npm run build`): the CPU cost of the ACL check alone, next
 * to the CPU a whole request costs the server. In this process: nanoseconds per checkCommand
 * (security/acl-check.ts) for GET and SET of an `app:` key by a user with
 * `~app:* +@all -@dangerous`, and for the default user (the `unrestricted` fast path), over
 * millions of calls. Then a kv-server process serving redis-benchmark GET/SET -r 1000000 -c 50
 * as that user: its CPU time (utime + stime from /proc) per request. The ratio is what the check
 * costs a request — robust on a shared machine where wall-clock throughput is not.
 *
 * Instructions: `valgrind --tool=callgrind node bench/acl-check.mjs --only-check N` for N = 0 and
 * N = 1000000; (Ir(N) − Ir(0)) / N is one check's instruction count. `--only-range N [get|set]`:
 * the same for the byte-range path's check (rangeKeyAllowed).
 */
import { readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { pinned, startKv } from './lib.mjs';

const dist = new URL('../dist/', import.meta.url);
const { buildCommandTable } = await import(new URL('core/command-list.js', dist).href);
const { AclStore } = await import(new URL('security/acl-store.js', dist).href);
const { applyRules } = await import(new URL('security/acl-rules.js', dist).href);
const { checkCommand, rangeKeyAllowed } = await import(new URL('security/acl-check.js', dist).href);

const RULES = ['on', '>pw', '~app:*', '+@all', '-@dangerous'];
const store = new AclStore(buildCommandTable());
const user = applyRules(store.newUser('bench'), RULES, store.ruleContext);
const table = store.universe;

function nsPerCheck(u, argv, iterations = 5_000_000) {
  const spec = table.lookup(argv[0]);
  const keys = Array.from({ length: 1024 }, (_, i) => `app:${String(i * 977).padStart(12, '0')}`);
  const lines = keys.map((k) => [argv[0], k, ...argv.slice(2)]);
  let denied = 0;
  // warm-up, then the measured loop
  for (let i = 0; i < 200_000; i++) if (checkCommand(u, spec, lines[i & 1023]) !== null) denied++;
  // CPU time, not wall time: on a shared machine the process is preempted
  const t0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) if (checkCommand(u, spec, lines[i & 1023]) !== null) denied++;
  const used = process.cpuUsage(t0);
  const ns = ((used.user + used.system) * 1000) / iterations;
  if (denied !== 0) throw new Error('denied');
  return ns;
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
}

async function serverCpuPerRequest(test, requests) {
  const kv = await startKv();
  try {
    spawnSync('redis-cli', ['-p', String(kv.port), 'ACL', 'SETUSER', 'bench', ...RULES]);
    const cmd = test === 'set' ? ['SET', 'app:__rand_int__', 'xxx'] : ['GET', 'app:__rand_int__'];
    const run = (n) =>
      new Promise((resolve) => {
        const [bin, argv] = pinned('client', 'redis-benchmark', ['-p', String(kv.port), '--user', 'bench', '-a', 'pw', '-c', '50', '-n', String(n), '-r', '1000000', '-q', ...cmd]);
        spawn(bin, argv, { stdio: 'ignore' }).on('close', resolve);
      });
    await run(20_000); // warm-up
    const before = cpuTicks(kv.pid);
    await run(requests);
    const ticks = cpuTicks(kv.pid) - before;
    return (ticks * 10_000_000) / requests; // ns (100 ticks per second)
  } finally {
    await kv.stop();
  }
}

// `--only-check N`: just N checks of GET by the restricted user (run under callgrind with N and
// with 0: the difference / N is the instructions of one check)
const only = process.argv.indexOf('--only-check');
if (only >= 0) {
  const n = Number(process.argv[only + 1]);
  const spec = table.lookup('get');
  const lines = Array.from({ length: 1024 }, (_, i) => ['get', `app:${String(i * 977).padStart(12, '0')}`]);
  let denied = 0;
  for (let i = 0; i < n; i++) if (checkCommand(user, spec, lines[i & 1023]) !== null) denied++;
  console.log(`${n} checks, ${denied} denied`);
  process.exit(0);
}

// `--only-range N`: N range-path checks (rangeKeyAllowed: the cached grant, then the key's bytes
// in a buffer against `app:*`), the same way: (Ir(N) − Ir(0)) / N
const onlyRange = process.argv.indexOf('--only-range');
if (onlyRange >= 0) {
  const n = Number(process.argv[onlyRange + 1]);
  const spec = table.lookup(process.argv[onlyRange + 2] ?? 'get');
  const buf = Buffer.from(Array.from({ length: 1024 }, (_, i) => `app:${String(i * 977).padStart(12, '0')}`).join(''), 'latin1');
  let denied = 0;
  for (let i = 0; i < n; i++) {
    const at = (i & 1023) * 16;
    if (!rangeKeyAllowed(user, spec, buf, at, at + 16)) denied++;
  }
  console.log(`${n} range checks, ${denied} denied`);
  process.exit(0);
}

const results = [];
for (const [test, argv] of [['get', ['get', 'k']], ['set', ['set', 'k', 'xxx']]]) {
  const restricted = nsPerCheck(user, argv);
  const fast = nsPerCheck(store.defaultUser, argv);
  const server = await serverCpuPerRequest(test, 200_000);
  results.push({ test, restricted, fast, server });
  console.log(`${test.toUpperCase()}: check ${restricted.toFixed(1)} ns (default user ${fast.toFixed(1)} ns); server CPU ${Math.round(server)} ns/request → check = ${((restricted / server) * 100).toFixed(2)}% of a request`);
}
console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
