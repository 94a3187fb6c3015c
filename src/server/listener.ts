/*
 * The listeners for RESP: TCP and a Unix socket. Applies protected mode (TCP only: a Unix socket
 * client is local) and maxclients at accept time, as Redis does.
 */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { ServerContext } from '../core/server-context.js';
import type { Dispatcher } from '../core/dispatch.js';
import { Err } from '../resp/errors.js';
import { RespConnection } from './resp-connection.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

export class RespListener {
  readonly connections = new Set<RespConnection>();
  private readonly servers: net.Server[] = [];

  constructor(
    private readonly context: ServerContext,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Binds every address in `hosts` on `port`; resolves with the port actually bound. */
  async listen(hosts: string[], port: number): Promise<number> {
    let bound = port;
    for (const host of hosts) {
      const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: host === '*' ? '0.0.0.0' : host, port: bound }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      bound = (server.address() as net.AddressInfo).port;
      this.servers.push(server);
    }
    return bound;
  }

  private unixPath: string | null = null;

  /**
   * Listens on the Unix socket `path` with permissions `perm` (octal text, as unixsocketperm; ''
   * leaves the umask's). A stale socket file left by a crash is replaced, as Redis does; anything
   * else at that path is an error. The file is removed again on close.
   */
  async listenUnix(path: string, perm: string): Promise<void> {
    try {
      if (lstatSync(path).isSocket()) unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const server = net.createServer({ pauseOnConnect: true }, (socket) => this.accept(socket, path));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (perm !== '' && perm !== '0') chmodSync(path, parseInt(perm, 8));
    this.unixPath = path;
    this.servers.push(server);
  }

  private accept(socket: net.Socket, unixPath?: string): void {
    const { config, stats, clients } = this.context;
    // a peer may reset at any time, a refused one too: an unhandled 'error' would end the process
    socket.on('error', () => {});
    if (unixPath === undefined && config.protectedMode && !config.requirepass && !isLoopback(socket.remoteAddress)) {
      stats.rejectedConnections++;
      refuse(socket, Err.DENIED_PROTECTED);
      return;
    }
    if (clients.size >= config.int('maxclients')) {
      stats.rejectedConnections++;
      refuse(socket, Err.MAX_CLIENTS);
      return;
    }
    const keepAlive = config.int('tcp-keepalive');
    if (keepAlive > 0 && unixPath === undefined) socket.setKeepAlive(true, keepAlive * 1000);
    const conn = new RespConnection(socket, this.context, this.dispatcher, unixPath);
    this.connections.add(conn);
    conn.socket.once('close', () => this.connections.delete(conn));
  }

  /** Stops accepting; existing connections get their pending replies, then close. */
  async close(): Promise<void> {
    const closed = Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const conn of this.connections) conn.close();
    await closed;
    if (this.unixPath !== null) {
      try {
        unlinkSync(this.unixPath);
      } catch {
        // already gone (Node may remove it itself)
      }
      this.unixPath = null;
    }
  }
}

/** Writes the error and closes once it is written (the socket was accepted paused: it reads nothing). */
function refuse(socket: net.Socket, error: string): void {
  socket.end(`-${error}\r\n`);
  socket.destroySoon();
}
