/*
 * The binary protocol's listener (`bin-port`, docs/protocol.md): the same accept-time checks as
 * RESP's (protected mode, maxclients), refused with an Error frame.
 */
import net from 'node:net';
import type { ServerContext } from '../core/server-context.js';
import type { Dispatcher } from '../core/dispatch.js';
import { Err } from '../resp/errors.js';
import { BinaryConnection } from '../binary/binary-connection.js';
import { errorCodeOf, FrameWriter, Op, Tag } from '../binary/codec.js';
import { protectedModeDenies } from '../security/protected-mode.js';

export class BinaryListener {
  readonly connections = new Set<BinaryConnection>();
  private readonly servers: net.Server[] = [];

  constructor(
    private readonly context: ServerContext,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Binds every address in `hosts` on `port` (as RespListener: `-addr` is optional); returns the port. */
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
      if (!ok) continue;
      bound = (server.address() as net.AddressInfo).port;
      this.servers.push(server);
    }
    return bound;
  }

  private accept(socket: net.Socket): void {
    const { config, stats, clients } = this.context;
    socket.on('error', () => {});
    if (protectedModeDenies(config.protectedMode, this.context.acl, socket.remoteAddress)) {
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
    const conn = new BinaryConnection(socket, this.context, this.dispatcher);
    this.connections.add(conn);
    conn.socket.once('close', () => this.connections.delete(conn));
  }

  async close(): Promise<void> {
    const closed = Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const conn of this.connections) conn.close();
    await closed;
  }
}

/** An Error frame (id 0), then close. */
function refuse(socket: net.Socket, error: string): void {
  const w = new FrameWriter();
  w.begin(Op.REPLY, 0);
  w.u8(Tag.ERROR);
  w.u16(errorCodeOf(error));
  w.latin1(error);
  w.end();
  socket.end(w.take()!);
  socket.destroySoon();
}
