/*
 * The listeners for RESP: TCP, TLS and a Unix socket. Applies protected mode (TCP and TLS: a Unix
 * socket client is local) and maxclients at accept time, as Redis does. A TLS client is taken
 * once its handshake is done; one that fails it (plain text on the TLS port, an untrusted or
 * expired certificate) is dropped by node:tls without reaching anything else.
 */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { TlsServerSettings } from './tls-context.js';
import type { ServerContext } from '../core/server-context.js';
import { protectedModeDenies } from '../security/protected-mode.js';
import type { Dispatcher } from '../core/dispatch.js';
import { Err } from '../resp/errors.js';
import { RespConnection } from './resp-connection.js';

export { isLoopback } from '../security/protected-mode.js';

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
    const servers = await this.bindAll(hosts, port, () => net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket)));
    this.servers.push(...servers);
    this.tcpServers.push(...servers);
    return servers.length === 0 ? port : (servers[0]!.address() as net.AddressInfo).port;
  }

  /** the plain TCP servers (one per bind address), which `moveTcp` replaces */
  private tcpServers: net.Server[] = [];

  /**
   * CONFIG SET port/bind: listens on `hosts`:`port` (0: no plain TCP), then stops listening on the
   * old addresses (their clients stay connected). Rejects, keeping the old ones, when it cannot bind.
   */
  async moveTcp(hosts: string[], port: number): Promise<number> {
    const fresh = port === 0 ? [] : await this.bindAll(hosts, port, () => net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket)));
    const old = this.tcpServers;
    this.tcpServers = fresh;
    for (const s of old) this.servers.splice(this.servers.indexOf(s), 1);
    this.servers.push(...fresh);
    await Promise.all(old.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    return fresh.length === 0 ? 0 : (fresh[0]!.address() as net.AddressInfo).port;
  }

  /** the TLS servers (one per bind address), their settings reloaded by `reloadTls` */
  private tlsServers: tls.Server[] = [];
  private tlsAuthClients: TlsServerSettings['authClients'] = 'yes';

  /** Binds the TLS port on every address of `hosts`, as `listen`; resolves with the port bound. */
  async listenTls(hosts: string[], port: number, settings: TlsServerSettings): Promise<number> {
    this.tlsAuthClients = settings.authClients;
    const servers = await this.bindAll(hosts, port, () => {
      const server = tls.createServer({ ...settings.options, noDelay: true }, (socket) => this.acceptTls(socket));
      server.on('tlsClientError', (e, socket) => {
        this.context.log.verbose(`Error accepting a client connection: ${e.message} (addr=${socket.remoteAddress}:${socket.remotePort})`);
        socket.destroy();
      });
      return server;
    });
    this.tlsServers.push(...servers);
    return servers.length === 0 ? port : (servers[0]!.address() as net.AddressInfo).port;
  }

  /** New TLS settings (CONFIG SET tls-…) for the connections accepted from now on. */
  reloadTls(settings: TlsServerSettings): void {
    this.tlsAuthClients = settings.authClients;
    for (const server of this.tlsServers) {
      server.setSecureContext(settings.options);
      // read by node:tls for each connection, not part of the secure context
      const s = server as tls.Server & { requestCert?: boolean; rejectUnauthorized?: boolean };
      s.requestCert = settings.options.requestCert;
      s.rejectUnauthorized = settings.options.rejectUnauthorized;
    }
  }

  /** Stops listening on the TLS port (the connections it accepted stay). */
  async closeTls(): Promise<void> {
    const servers = this.tlsServers;
    this.tlsServers = [];
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  get tlsListening(): boolean {
    return this.tlsServers.length !== 0;
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

  /** One server per address of `hosts` on `port` (the first one bound fixes port 0 for the rest). */
  private async bindAll<S extends net.Server>(hosts: string[], port: number, create: () => S): Promise<S[]> {
    let bound = port;
    const servers: S[] = [];
    for (const entry of hosts) {
      const optional = entry.startsWith('-');
      const host = optional ? entry.slice(1) : entry;
      const server = create();
      let ok: boolean;
      try {
        ok = await new Promise<boolean>((resolve, reject) => {
          server.once('error', (e: NodeJS.ErrnoException) => {
            if (optional && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) resolve(false);
            else reject(e);
          });
          server.listen({ host: host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host, port: bound }, () => {
            server.removeAllListeners('error');
            resolve(true);
          });
        });
      } catch (e) {
        for (const s of servers) s.close();
        throw e;
      }
      // accept errors (EMFILE when out of file descriptors…) must not end the process
      server.on('error', (e) => this.context.log.warning(`Accepting a client connection: ${e.message}`));
      if (!ok) {
        this.context.log.notice(`Skipping optional bind address ${host}: not available`);
        continue;
      }
      bound = (server.address() as net.AddressInfo).port;
      servers.push(server);
    }
    return servers;
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
    if (unixPath === undefined && protectedModeDenies(config.protectedMode, this.context.acl, socket.remoteAddress)) {
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
    const closed = Promise.all([...this.servers, ...this.tlsServers].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.tlsServers = [];
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
