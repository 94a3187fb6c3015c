/*
 * What black-box tests share: start kv-server (in-process, on a free port) and a real
 * redis-server (spawned, on a free port), find external tools, and exchange raw RESP bytes.
 *
 * Tools that are missing make a test say "skipped: … not installed", except under CI=true,
 * where they are required and their absence fails the run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, type RunningServer } from '../src/server/app.js';
import { Config } from '../src/core/config.js';
import { Logger } from '../src/server/log.js';
import type { Clock } from '../src/engine/clock.js';

export const IN_CI = process.env.CI === 'true';

/**
 * A fresh folder for one test server's RDB files (its `dir`), unless the test gives one: no test
 * server loads at start, or overwrites, a dump.rdb of the checkout or of another server.
 */
const scratchDir = (): string => mkdtempSync(join(tmpdir(), 'kv-test-data-'));

/** Starts kv-server in this process on a free loopback port. */
export async function startKv(settings: Record<string, string> = {}, clock?: Clock): Promise<RunningServer> {
  const config = new Config();
  config.set('port', '0');
  const dir = settings.dir === undefined ? scratchDir() : null;
  if (dir !== null) config.set('dir', dir);
  for (const [k, v] of Object.entries(settings)) config.set(k, v);
  const server = await startServer(config, { clock, logger: new Logger('warning') });
  if (dir === null) return server;
  const stop = server.stop;
  server.stop = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return server;
}

/**
 * Starts kv-server with its binary listener on a free port: a port freePort() found can be taken
 * by another process before the server binds it, so EADDRINUSE picks another (a few times).
 */
export async function startKvWithBinPort(settings: Record<string, string> = {}): Promise<RunningServer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startKv({ ...settings, 'bin-port': String(await freePort()) });
    } catch (e) {
      if (attempt >= 4 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

/** Path of an executable on PATH (or an absolute path that exists), or null. */
export function findTool(name: string): string | null {
  if (name.startsWith('/')) return existsSync(name) ? name : null;
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Returns the tool's path, or null after printing "skipped: <tool> not installed".
 * Under CI=true a missing tool throws: CI installs them all.
 */
export function requireTool(name: string, what = name): string | null {
  const path = findTool(name);
  if (path) return path;
  if (IN_CI) throw new Error(`${what} is required under CI=true but is not installed`);
  console.log(`skipped: ${what} not installed`);
  return null;
}

/** Whether Debian's python3 has the redis module (the first python3 on PATH may not). */
export function requireRedisPy(): string | null {
  const py = '/usr/bin/python3';
  const ok = existsSync(py) && spawnSync(py, ['-c', 'import redis'], { encoding: 'utf8' }).status === 0;
  if (ok) return py;
  if (IN_CI) throw new Error('redis-py (python3-redis) is required under CI=true but is not installed');
  console.log('skipped: redis-py (/usr/bin/python3 with python3-redis) not installed');
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RealRedis {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a real redis-server on a free port (no persistence) with extra `settings` (`--name value`
 * each), or returns null when it is not installed.
 */
export async function startRedis(settings: Record<string, string> = {}): Promise<RealRedis | null> {
  const bin = requireTool('redis-server');
  if (!bin) return null;
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'];
  const dir = settings.dir === undefined ? scratchDir() : null;
  if (dir !== null) args.push('--dir', dir);
  for (const [k, v] of Object.entries(settings)) args.push(`--${k}`, v);
  const child: ChildProcess = spawn(bin, args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          if (dir !== null) rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGKILL');
      }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Encodes a command as a RESP multibulk (arguments as latin1 strings or Buffers). */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * The length of the first complete RESP2/RESP3 reply in `buf` from `at`, or -1 if incomplete.
 * A framing scanner only: it does not interpret values.
 */
export function replyLength(buf: Buffer, at = 0): number {
  const end = endOfReply(buf, at);
  return end < 0 ? -1 : end - at;
}

function endOfReply(buf: Buffer, at: number): number {
  if (at >= buf.length) return -1;
  const nl = buf.indexOf('\r\n', at);
  if (nl < 0) return -1;
  const type = String.fromCharCode(buf[at]!);
  const header = buf.toString('latin1', at + 1, nl);
  let pos = nl + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return pos;
    case '$': case '!': case '=': {
      const n = Number(header);
      if (n < 0) return pos;
      return buf.length >= pos + n + 2 ? pos + n + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(header);
      if (n < 0) return pos;
      if (type === '%' || type === '|') n *= 2;
      for (let i = 0; i < n; i++) {
        pos = endOfReply(buf, pos);
        if (pos < 0) return -1;
      }
      // an attribute is followed by the reply it annotates
      return type === '|' ? endOfReply(buf, pos) : pos;
    }
    default:
      throw new Error(`not a RESP reply at ${at}: ${JSON.stringify(buf.toString('latin1', at, at + 40))}`);
  }
}

/* Decoding, for tests that look inside replies (the raw bytes are what the differential compares). */

/** A reply decoded for inspection (RESP2 and RESP3). */
export type Decoded = string | number | null | Decoded[];

/** Decodes one raw reply; aggregate types become arrays, scalars their text. */
export function decodeReply(raw: string): Decoded {
  let pos = 0;
  const line = (): string => {
    const nl = raw.indexOf('\r\n', pos);
    const s = raw.slice(pos, nl);
    pos = nl + 2;
    return s;
  };
  const one = (): Decoded => {
    const t = raw[pos++];
    const head = line();
    switch (t) {
      case '$': case '=': case '!': {
        const n = Number(head);
        if (n < 0) return null;
        const s = raw.slice(pos, pos + n);
        pos += n + 2;
        return s;
      }
      case '*': case '~': case '>': case '%': {
        const n = Number(head);
        if (n < 0) return null;
        const items: Decoded[] = [];
        for (let i = 0; i < (t === '%' ? 2 * n : n); i++) items.push(one());
        return items;
      }
      case '_': return null;
      case ':': return Number(head);
      default: return `${t}${head}`;
    }
  };
  return one();
}

/**
 * A raw connection: send bytes, read whole replies as latin1 strings. For byte-exact tests.
 */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Sends one command and returns its raw reply. */
  async call(...args: Array<string | Buffer>): Promise<string> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /** Reads the next whole reply (raw, latin1). Rejects after `timeoutMs` or on close. */
  async readReply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = replyLength(this.buf);
      if (n >= 0) {
        const out = this.buf.toString('latin1', 0, n);
        this.buf = this.buf.subarray(n);
        return out;
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs}ms; buffered: ${JSON.stringify(this.buf.toString('latin1'))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Reads one line (without its CRLF; raw, latin1). */
  async readLine(timeoutMs = 5000): Promise<string> {
    await this.waitFor(() => this.buf.indexOf('\r\n') >= 0, timeoutMs);
    const end = this.buf.indexOf('\r\n');
    const line = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(end + 2);
    return line;
  }

  /** Reads exactly `n` bytes (a replica's RDB payload, which no CRLF ends). */
  async readBytes(n: number, timeoutMs = 5000): Promise<Buffer> {
    await this.waitFor(() => this.buf.length >= n, timeoutMs);
    const out = Buffer.from(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    return out;
  }

  private async waitFor(ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`nothing within ${timeoutMs}ms; buffered: ${JSON.stringify(this.buf.toString('latin1'))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the server closes the connection; returns whatever was unread. */
  async readUntilClose(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('connection still open');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.buf.toString('latin1');
  }

  close(): void {
    this.socket.destroy();
  }
}
