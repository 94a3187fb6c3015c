/*
 * What the client tests share: a recording TCP proxy (so a test can assert the exact handshake a
 * client library sends), a collector of the library's own error events and console warnings, and
 * the value cases every client round-trips.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { RequestDecoder } from '../src/resp/decoder.js';
import { replyLength, startKv, startRedis } from './harness.js';

/**
 * A loopback proxy to `targetPort` that decodes every command clients send through it and
 * splits the server's answers into whole raw replies (so a test can assert no error came back).
 */
export class SpyProxy {
  /** each connection's commands, in order; argv as latin1 strings */
  readonly connections: string[][][] = [];
  /** each connection's raw replies (latin1), in order */
  readonly replies: string[][] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(readonly targetPort: number) {
    this.server = net.createServer((client) => {
      const commands: string[][] = [];
      const replies: string[] = [];
      this.connections.push(commands);
      this.replies.push(replies);
      let pending = Buffer.alloc(0);
      const decoder = new RequestDecoder();
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        decoder.feed(chunk);
        let argv: string[] | null;
        while ((argv = decoder.next()) !== null) commands.push(argv);
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        client.write(chunk);
        pending = Buffer.concat([pending, chunk]);
        let n: number;
        while (pending.length > 0 && (n = replyLength(pending)) >= 0) {
          replies.push(pending.toString('latin1', 0, n));
          pending = pending.subarray(n);
        }
      });
    });
  }

  static async start(targetPort: number): Promise<SpyProxy> {
    const proxy = new SpyProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The first `n` command names (lowercase, with a subcommand when the command has one) of connection `i`. */
  names(i = 0, n = Infinity): string[] {
    return (this.connections[i] ?? []).slice(0, n).map(commandName);
  }

  /**
   * Every error reply the server sent, with the command it answered (push messages aside).
   * Against real Redis (CLIENT_TESTS_TARGET=redis) CLIENT SETINFO's errors are left out: Debian's
   * 7.0.15 predates that command (7.2), which kv-server, reporting 7.2, must have.
   */
  errorReplies(): string[] {
    const out: string[] = [];
    this.replies.forEach((replies, i) => {
      const commands = this.connections[i] ?? [];
      replies.filter((r) => !r.startsWith('>')).forEach((r, j) => {
        const command = (commands[j] ?? ['?']).join(' ');
        if (AGAINST_REDIS && /^client setinfo /i.test(command)) return;
        if (r.startsWith('-') || r.startsWith('!')) out.push(`${(commands[j] ?? ['?']).join(' ').slice(0, 80)} -> ${r.trim()}`);
      });
    });
    return out;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const AGAINST_REDIS = process.env.CLIENT_TESTS_TARGET === 'redis';

const CONTAINERS = new Set(['client', 'config', 'command', 'hello']);

/** `get`, `client setinfo`, `hello 3`: the name plus what tells the handshake steps apart. */
export function commandName(argv: string[]): string {
  const name = argv[0]!.toLowerCase();
  return CONTAINERS.has(name) && argv.length > 1 ? `${name} ${argv[1]!.toLowerCase()}` : name;
}

/**
 * Collects what a client library reports besides replies: 'error' events of `emitter` and
 * console.warn/console.error output while installed. `restore()` puts the console back.
 */
export class Complaints {
  readonly messages: string[] = [];
  private readonly saved = { warn: console.warn, error: console.error };

  constructor() {
    console.warn = (...a: unknown[]) => this.messages.push(`console.warn: ${a.map(String).join(' ')}`);
    console.error = (...a: unknown[]) => this.messages.push(`console.error: ${a.map(String).join(' ')}`);
  }

  watch(emitter: { on(event: 'error', f: (e: Error) => void): unknown }): void {
    emitter.on('error', (e: Error) => this.messages.push(`error event: ${e.message}`));
  }

  restore(): void {
    console.warn = this.saved.warn;
    console.error = this.saved.error;
  }
}

/** Values every client must round-trip byte for byte. */
export const UNICODE_VALUE = 'héllo wörld ✓ 日本語 🚀';
export const BINARY_VALUE = Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0xc3, 0x28, 0x00, 0x7f]);
export const LARGE_VALUE = 'x'.repeat(1024 * 1024) + 'end';

/** A server a client test talks to: kv-server, or real Redis to check the test itself. */
export interface Target {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts kv-server with `settings` (in this process, free loopback port). With
 * CLIENT_TESTS_TARGET=redis it starts a real redis-server with the same settings instead: run a
 * client test that way to prove its expectations are Redis's (`CLIENT_TESTS_TARGET=redis node
 * --import tsx compat-tests/clients-ioredis.test.ts`).
 */
export async function startTarget(settings: Record<string, string> = {}): Promise<Target> {
  return AGAINST_REDIS ? startRealRedis(settings) : startKv(settings);
}

/** Starts a real redis-server with `settings`; it must be installed (this mode checks the tests). */
export async function startRealRedis(settings: Record<string, string> = {}): Promise<Target> {
  const redis = await startRedis(settings);
  if (!redis) throw new Error('CLIENT_TESTS_TARGET=redis needs redis-server installed');
  return redis;
}
