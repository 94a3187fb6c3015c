/*
 * The binary protocol's listener (`bin-port`, docs/protocol.md): the same accept-time checks as
 * RESP's (protected mode, maxclients), refused with an Error frame.
 *
 * Over TLS when `bin-tls` says so (`auto`, the default: exactly when a `tls-port` is configured;
 * `yes`; `no`), with the same TLS settings as the RESP TLS port (tls-context.ts: certificate,
 * CAs, tls-auth-clients, protocols, ciphers) and reloaded with them. A client that does not
 * complete the handshake (plain text, an untrusted or expired certificate) is dropped by
 * node:tls before it is a connection: nothing else sees it.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ServerContext } from '../core/server-context.js';
import type { Dispatcher } from '../core/dispatch.js';
import type { Config } from '../core/config.js';
import { Err } from '../resp/errors.js';
import { BinaryConnection } from '../binary/binary-connection.js';
import { errorCodeOf, FrameWriter, Op, Tag } from '../binary/codec.js';
import { protectedModeDenies } from '../security/protected-mode.js';
import type { TlsServerSettings } from './tls-context.js';

/** Whether the binary listener runs TLS (`bin-tls`: auto follows tls-port). */
export function binaryUsesTls(config: Config): boolean {
  const v = config.get('bin-tls');
  return v === 'yes' || (v === 'auto' && config.int('tls-port') !== 0);
}

export class BinaryListener {
  readonly connections = new Set<BinaryConnection>();
  private readonly servers: net.Server[] = [];
  private tlsAuthClients: TlsServerSettings['authClients'] = 'yes';

  constructor(
    private readonly context: ServerContext,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Whether this listener speaks TLS (set by `listen`). */
  get secure(): boolean {
    return this.servers.length > 0 && this.servers[0] instanceof tls.Server;
  }

  /**
   * Binds every address in `hosts` on `port` (as RespListener: `-addr` is optional); returns the
   * port. With `tlsSettings`, the listener is a TLS one.
   */
  async listen(hosts: string[], port: number, tlsSettings?: TlsServerSettings): Promise<number> {
    let bound = port;
    if (tlsSettings !== undefined) this.tlsAuthClients = tlsSettings.authClients;
    for (const entry of hosts) {
      const optional = entry.startsWith('-');
      const host = optional ? entry.slice(1) : entry;
      const server = tlsSettings === undefined ? net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket)) : this.createTlsServer(tlsSettings);
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
      server.on('error', (e) => this.context.log.warning(`Accepting a client connection: ${e.message}`));
      bound = (server.address() as net.AddressInfo).port;
      this.servers.push(server);
    }
    return bound;
  }

  private createTlsServer(settings: TlsServerSettings): tls.Server {
    const server = tls.createServer({ ...settings.options, noDelay: true }, (socket) => this.acceptTls(socket));
    // a handshake that fails (plain text, a bad certificate) ends there, logged as Redis logs it
    server.on('tlsClientError', (e, socket) => {
      this.context.log.verbose(`Error accepting a client connection: ${e.message} (addr=${socket.remoteAddress}:${socket.remotePort})`);
      socket.destroy();
    });
    return server;
  }

  /** New TLS settings (CONFIG SET tls-…) for the connections accepted from now on. */
  reloadTls(settings: TlsServerSettings): void {
    if (!this.secure) return;
    this.tlsAuthClients = settings.authClients;
    for (const server of this.servers as tls.Server[]) {
      server.setSecureContext(settings.options);
      const s = server as tls.Server & { requestCert?: boolean; rejectUnauthorized?: boolean };
      s.requestCert = settings.options.requestCert;
      s.rejectUnauthorized = settings.options.rejectUnauthorized;
    }
  }

  private acceptTls(socket: tls.TLSSocket): void {
    // `optional`: no certificate is fine, a certificate that does not verify is not
    if (this.tlsAuthClients === 'optional' && !socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) {
      this.context.log.verbose(`Error accepting a client connection: ${String(socket.authorizationError)} (addr=${socket.remoteAddress}:${socket.remotePort})`);
      socket.destroy();
      return;
    }
    this.accept(socket);
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
