/*
 * Helpers shared by the benchmarks: starting kv-server and redis-server side by side on free
 * loopback ports, a small pipelined RESP client, a bulk key loader, process memory readings,
 * the description of the machine, and the sections of bench/RESULTS.md.
 *
 * Every server started here is a child of the benchmark process and is killed when it exits,
 * however it exits (normal end, error, Ctrl-C).
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import RedisParser from 'redis-parser';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH_DIR);
export const KV_MAIN = join(ROOT, 'dist', 'server', 'main.js');
const RESULTS = join(BENCH_DIR, 'RESULTS.md');

/* ---------- servers ---------- */

const children = new Set();
function killChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
}
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killChildren();
    process.exit(130);
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts kv-server (the compiled dist/server/main.js, as production runs it) on a free port.
 * `nodeArgs` go to node (e.g. --max-old-space-size); `main` runs another build (a checkout of an
 * earlier commit, for before/after comparisons) under the name `name`. Resolves once it answers PING.
 */
export async function startKv({ nodeArgs = [], args = [], main = KV_MAIN, name = 'kv-server' } = {}) {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = await freePort();
  return startProcess(name, process.execPath, [...nodeArgs, main, '--port', String(port), '--loglevel', 'warning', ...args], port);
}

/** Starts a real redis-server on a free port: no persistence, loopback only. */
export async function startRedis({ args = [] } = {}) {
  const port = await freePort();
  const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', ...args];
  return startProcess('redis-server', 'redis-server', argv, port);
}

/**
 * CPU pinning for load runs. Both servers run on core 0 and the load generator on core 1 (with
 * `taskset`, when present and the machine has two cores or more; KV_BENCH_NO_PIN=1 turns it off).
 * Unpinned, the scheduler moves Node's helper threads (GC, compiler) and the load generator onto
 * each other's cores from run to run, and kv-server's pipelined figures swung by up to 2x between
 * identical runs on the 2-core machine; pinned, they repeat within a few percent. Redis is pinned
 * the same way, so the comparison stays like for like.
 */
const CAN_PIN = !process.env.KV_BENCH_NO_PIN && cpus().length >= 2 && existsSync('/usr/bin/taskset');
export const PINNING = CAN_PIN ? 'servers pinned to core 0, redis-benchmark to core 1 (taskset)' : 'no CPU pinning';

/** [command, args] that run `cmd args` on the server core (role 'server') or the load core ('client'). */
export function pinned(role, cmd, args) {
  if (!CAN_PIN) return [cmd, args];
  return ['taskset', ['-c', role === 'server' ? '0' : '1', cmd, ...args]];
}

/**
 * Spawns a server and waits for its first PONG. The result has `startMs`, the time from spawn to
 * that PONG, and `stop()`, which kills the process and waits for it to exit.
 */
async function startProcess(name, cmd, argv, port) {
  const t0 = performance.now();
  const [command, args] = pinned('server', cmd, argv);
  const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(proc);
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let dead = null;
  void exited.then((r) => (dead = r));
  proc.once('error', (e) => (dead = { error: e }));
  const deadline = t0 + 20_000;
  for (;;) {
    if (dead) throw new Error(`${name} exited before answering PING (${JSON.stringify(dead)}): ${stderr.trim()}`);
    if (performance.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${name} did not answer PING within 20 s: ${stderr.trim()}`);
    }
    if (await pingOnce(port)) break;
    await sleep(2);
  }
  const startMs = performance.now() - t0;
  return {
    name,
    port,
    pid: proc.pid,
    startMs,
    /** the last 4000 characters the server wrote to stderr */
    stderr: () => stderr,
    /** null while running, else how it ended ({ code, signal } or { error }) */
    exitStatus: () => dead,
    stop: async () => {
      if (!dead) proc.kill('SIGKILL');
      await exited;
      children.delete(proc);
    },
  };
}

/** Connects, sends PING, resolves true on +PONG, false on any failure. */
function pingOnce(port) {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let got = '';
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('*1\r\n$4\r\nPING\r\n'));
    sock.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ---------- a small pipelined client ---------- */

/** Encodes one command as a RESP multibulk request. */
export function encodeCommand(args) {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/**
 * One connection that sends pipelined requests and resolves each `send` when the number of
 * replies it asked for has arrived. Error replies are counted and the first one kept, not thrown.
 */
export class Conn {
  static open(port) {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('error', reject);
      sock.once('connect', () => {
        sock.off('error', reject);
        resolve(new Conn(sock));
      });
    });
  }

  constructor(sock) {
    this.sock = sock;
    sock.setNoDelay(true);
    this.waiting = []; // { remaining, replies, errors, firstError, resolve, keep }
    this.parser = new RedisParser({
      returnReply: (r) => this.onReply(r, false),
      returnError: (e) => this.onReply(e, true),
      returnFatalError: (e) => this.fail(e),
    });
    sock.on('data', (d) => this.parser.execute(d));
    sock.on('error', (e) => this.fail(e));
    sock.on('close', () => this.fail(new Error('connection closed')));
  }

  onReply(r, isError) {
    const w = this.waiting[0];
    if (!w) return;
    if (isError) {
      w.errors++;
      w.firstError ??= errorText(r);
    }
    if (w.keep) w.replies.push(r);
    if (--w.remaining === 0) {
      this.waiting.shift();
      w.resolve(w);
    }
  }

  fail(e) {
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  /**
   * Writes `payload` (one or more encoded commands) and resolves when `count` replies arrived:
   * `{ errors, firstError, replies }` (replies kept only when `keep`).
   */
  send(payload, count, keep = false) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ remaining: count, replies: [], errors: 0, firstError: null, resolve, reject, keep });
      this.sock.write(payload);
    });
  }

  /** One command; resolves with its reply, or an Error object for an error reply. */
  async call(...args) {
    const r = await this.send(encodeCommand(args), 1, true);
    return r.replies[0];
  }

  close() {
    this.sock.removeAllListeners('close');
    this.sock.destroy();
  }
}

/**
 * Loads keys `key(i)` for i in [0, count) with `SET key value`, pipelined: `connections`
 * connections, each writing batches of `batch` commands with `window` batches in flight.
 * Resolves with { ms, errors, firstError }. `onProgress(done)` is called after each batch.
 */
export async function loadKeys(port, { count, key, value, connections = 1, batch = 10_000, window = 2, onProgress }) {
  const conns = await Promise.all(Array.from({ length: connections }, () => Conn.open(port)));
  const valueHead = `$${value.length}\r\n${value}\r\n`;
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError = null;
  const t0 = performance.now();
  const lane = async (conn) => {
    const inflight = [];
    for (;;) {
      while (inflight.length < window && next < count) {
        const from = next;
        const to = Math.min(count, from + batch);
        next = to;
        const parts = [];
        for (let i = from; i < to; i++) {
          const k = key(i);
          parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n${valueHead}`);
        }
        inflight.push(conn.send(Buffer.from(parts.join(''), 'latin1'), to - from).then((r) => ({ ...r, n: to - from })));
      }
      if (inflight.length === 0) return;
      const r = await inflight.shift();
      errors += r.errors;
      firstError ??= r.firstError;
      done += r.n;
      onProgress?.(done);
    }
  };
  try {
    await Promise.all(conns.map(lane));
  } finally {
    for (const c of conns) c.close();
  }
  return { ms: performance.now() - t0, errors, firstError };
}

/** An error reply's text without Redis's ", with args beginning with: …" tail. */
export function errorText(e) {
  return e.message.replace(/, with args beginning with:.*$/s, '');
}

/* ---------- measurements ---------- */

/** Resident set size of a process in bytes, from /proc/<pid>/status VmRSS. */
export function rssBytes(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'latin1').match(/^VmRSS:\s+(\d+)\s+kB/m);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** A field of an INFO reply, or null when the reply is an error or lacks it. */
export function infoField(info, field) {
  if (typeof info !== 'string') return null;
  const m = info.match(new RegExp(`^${field}:(.*?)\\r?$`, 'm'));
  return m ? m[1] : null;
}

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const mib = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)} MiB` : 'n/a');

/* ---------- machine and results ---------- */

/** The machine a benchmark ran on, as a Markdown list. */
export function machineInfo() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'latin1');
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? 'unknown';
  const memKb = Number((readFileSync('/proc/meminfo', 'latin1').match(/^MemTotal:\s+(\d+)/m) ?? [])[1]);
  const tryRun = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'], cwd: ROOT }).trim();
    } catch {
      return 'unknown';
    }
  };
  const redis = tryRun('redis-server', ['--version']).match(/v=(\S+)/)?.[1] ?? 'unknown';
  return [
    `- CPU: ${model}, ${cpus().length} cores`,
    `- memory: ${(memKb / 1048576).toFixed(1)} GiB`,
    `- Node ${process.version}, Redis ${redis} (Debian)`,
    `- kv-server commit ${tryRun('git', ['rev-parse', '--short', 'HEAD'])}`,
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
  ].join('\n');
}

const RESULTS_HEADER = `# Benchmark results

Written by the scripts in bench/ (see bench/README.md); each section is replaced by its own
script's last full run. Compare ratios, not absolute numbers: both servers ran on the same
machine in the same run.
`;

/** Replaces (or appends) the section `name` of bench/RESULTS.md with `markdown`. */
export function writeSection(name, markdown) {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : RESULTS_HEADER;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, text);
  console.log(`\nwrote section "${name}" of ${RESULTS}`);
}

/** A Markdown table from a header row and data rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
