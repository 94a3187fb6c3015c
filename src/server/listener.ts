/*
 * The TCP listener for RESP. Applies protected mode and maxclients at accept time, as Redis does.
 */
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

  /**
   * Binds every address in `hosts` on `port`; resolves with the port actually bound. An address
   * written `-addr` is optional, as in Redis's `bind 127.0.0.1 -::1`: when it cannot be bound
   * (no IPv6, say) it is skipped.
   */
  async listen(hosts: string[], port: number): Promise<number> {
    let bound = port;
    for (const entry of hosts) {
      const optional = entry.startsWith('-');
      const host = optional ? entry.slice(1) : entry;
      const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
      const ok = await new Promise<boolean>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => {
          if (optional && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) resolve(false);
          else reject(e);
        });
        server.listen({ host: host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host, port: bound }, () => {
          server.removeAllListeners('error');
          resolve(true);
        });
      });
      if (!ok) {
        this.context.log.notice(`Skipping optional bind address ${host}: not available`);
        continue;
      }
      bound = (server.address() as net.AddressInfo).port;
      this.servers.push(server);
    }
    return bound;
  }

  private accept(socket: net.Socket): void {
    const { config, stats, clients } = this.context;
    // a peer may reset at any time, a refused one too: an unhandled 'error' would end the process
    socket.on('error', () => {});
    if (config.protectedMode && !config.requirepass && !isLoopback(socket.remoteAddress)) {
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
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive * 1000);
    const conn = new RespConnection(socket, this.context, this.dispatcher);
    this.connections.add(conn);
    conn.socket.once('close', () => this.connections.delete(conn));
  }

  /** Stops accepting; existing connections get their pending replies, then close. */
  async close(): Promise<void> {
    const closed = Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const conn of this.connections) conn.close();
    await closed;
  }
}

/** Writes the error and closes once it is written (the socket was accepted paused: it reads nothing). */
function refuse(socket: net.Socket, error: string): void {
  socket.end(`-${error}\r\n`);
  socket.destroySoon();
}
