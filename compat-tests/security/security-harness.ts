/*
 * What the security tests share: a raw client over any socket (plain TCP or TLS) that sends
 * bytes and reads whole replies, TLS connections with or without a client certificate, and a
 * healthy client that keeps pinging a server and records its latencies while an attack runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { encodeCommand, freePort, replyLength } from '../harness.js';

export class SocketClient {
  private buf: Buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitForData(until: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.max(0, until - Date.now()));
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  async call(...args: Array<string | Buffer>): Promise<string> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  async readReply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = replyLength(this.buf);
      if (n >= 0) {
        const out = this.buf.toString('latin1', 0, n);
        this.buf = this.buf.subarray(n);
        return out;
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`);
      if (Date.now() >= deadline) throw new Error(`no reply within ${timeoutMs}ms`);
      await this.waitForData(deadline);
    }
  }

  /** Waits for the server to close the connection; returns what was unread (latin1). */
  async readUntilClose(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() >= deadline) throw new Error('connection still open');
      await this.waitForData(deadline);
    }
    return this.buf.toString('latin1');
  }

  /** Everything received so far (latin1), consumed. */
  take(): string {
    const s = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return s;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function connectPlain(port: number, host = '127.0.0.1'): Promise<SocketClient> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    s.once('connect', () => resolve(new SocketClient(s)));
    s.once('error', reject);
  });
}

/**
 * A TLS connection trusting `ca`, with `cert`/`key` as its client certificate when given.
 * Rejects when the handshake fails or the server drops it right after (a refused certificate
 * in TLS 1.3 shows only once something is read).
 */
export function connectTls(port: number, opts: tls.ConnectionOptions): Promise<SocketClient> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...opts });
    s.once('secureConnect', () => resolve(new SocketClient(s)));
    s.once('error', reject);
    s.once('close', () => reject(new Error('closed during the handshake')));
  });
}

/**
 * Whether a TLS client with these options gets to run a command: true with a PONG, false when
 * the handshake fails or the connection is dropped without a reply.
 */
export async function tlsPingWorks(port: number, opts: tls.ConnectionOptions): Promise<boolean> {
  let c: SocketClient;
  try {
    c = await connectTls(port, opts);
  } catch {
    return false;
  }
  try {
    return (await c.call('PING')) === '+PONG\r\n';
  } catch {
    return false;
  } finally {
    c.close();
  }
}

/** p-th percentile (0..100) of `values` */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A client that sends PING every `intervalMs` and records each round trip (ms) until stopped.
 * `stop()` resolves with the latencies; a missing or wrong reply rejects it.
 */
export function healthyPinger(client: SocketClient, intervalMs = 5): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  let failure: Error | null = null;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const r = await client.call('PING');
        if (r !== '+PONG\r\n') throw new Error(`healthy client got ${JSON.stringify(r)}`);
      } catch (e) {
        failure = e as Error;
        return;
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (failure) throw failure;
      return latencies;
    },
  };
}

/** A kv-server in its own process (dist/, built by `npm test`'s pretest). */
export interface SpawnedKv {
  port: number;
  pid: number;
  /** whether the process is still running */
  alive(): boolean;
  /** resident memory of the process in bytes (Linux /proc) */
  rss(): number;
  stderr(): string;
  stop(): Promise<void>;
}

const MAIN = process.env.KV_MAIN ?? fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

/**
 * Starts `node dist/server/main.js --port <free> …settings` and waits until it accepts
 * connections. Attacks run against a separate process: its crash or memory is its own, and the
 * attacking clients do not share its event loop.
 */
export async function spawnKv(settings: Record<string, string> = {}): Promise<SpawnedKv> {
  const port = await freePort();
  const args = [MAIN, '--port', String(port), '--loglevel', 'warning'];
  for (const [k, v] of Object.entries(settings)) args.push(`--${k}`, v);
  const child: ChildProcess = spawn(process.execPath, [...(process.env.KV_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.KV_PROF] : []), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const c = await connectPlain(port);
      c.close();
      break;
    } catch (e) {
      if (exited || Date.now() > deadline) throw new Error(`kv-server did not start: ${stderr || (e as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    pid: child.pid!,
    alive: () => !exited,
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'latin1');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stderr: () => stderr,
    stop: async () => {
      if (!exited) child.kill(process.env.KV_STOP_SIGNAL === 'TERM' ? 'SIGTERM' : 'SIGKILL');
      await exit;
    },
  };
}

/** the pinger run in its own process: its latencies are the server's, not this process's */
const PINGER = `
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const s = net.connect(Number(process.argv[1]), '127.0.0.1');
s.setNoDelay(true);
const lat = [];
let t0 = 0, buf = '', stopping = false, failure = null;
const ping = () => { if (stopping) return finish(); t0 = performance.now(); s.write('PING\\r\\n'); };
s.on('connect', ping);
s.on('data', (d) => {
  buf += d;
  if (!buf.endsWith('\\r\\n')) return;
  if (buf !== '+PONG\\r\\n') failure = 'got ' + JSON.stringify(buf);
  buf = '';
  lat.push(performance.now() - t0);
  setTimeout(ping, Number(process.argv[2]));
});
s.on('error', (e) => { failure = String(e); finish(); });
s.on('close', () => { if (!stopping) { failure = failure || 'closed'; finish(); } });
process.stdin.on('data', () => { stopping = true; });
function finish() { process.stdout.write(JSON.stringify({ lat, failure }) + '\\n', () => process.exit(0)); }
`;

/**
 * A healthy client in a separate process sending PING every `intervalMs` to `port`; `stop()`
 * resolves with its round trips (ms) and rejects if a reply was missing or wrong.
 */
export function separatePinger(port: number, intervalMs = 5): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', PINGER, String(port), String(intervalMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin!.write('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      const r = JSON.parse(out) as { lat: number[]; failure: string | null };
      if (r.failure) throw new Error(`healthy client: ${r.failure}`);
      return r.lat;
    },
  };
}

/** what a server sent back to one exchange, and whether it closed the connection */
export interface Outcome {
  reply: string;
  closed: boolean;
}

/** Writes `pieces` (a pause between them), then reads until the server closes or goes quiet. */
export function exchange(port: number, pieces: Buffer[], gapMs = 60, quietMs = 600): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let quiet: NodeJS.Timeout | null = null;
    let writing = true;
    const finish = (closed: boolean) => {
      if (quiet) clearTimeout(quiet);
      s.destroy();
      resolve({ reply: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const arm = () => {
      if (quiet) clearTimeout(quiet);
      if (!writing) quiet = setTimeout(() => finish(false), quietMs);
    };
    s.on('data', (d) => {
      chunks.push(d);
      arm();
    });
    s.on('close', () => finish(true));
    s.on('error', () => {});
    s.once('connect', async () => {
      for (let i = 0; i < pieces.length; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (s.destroyed) break;
        // wait until the kernel has taken it: the quiet period starts after the last byte
        await new Promise<void>((r) => s.write(pieces[i]!, () => r()));
      }
      writing = false;
      arm();
    });
    s.once('error', (e) => {
      if (s.connecting) reject(e);
    });
  });
}
