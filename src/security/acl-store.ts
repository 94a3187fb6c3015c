/*
 * The server's users and its ACL LOG: the `default` user (always there), authentication with
 * constant-time comparison of SHA-256 digests, `requirepass` (the default user's password, as
 * Redis keeps the two in step), disconnecting a deleted user's clients, and the log of denied
 * commands and failed authentications.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Client } from '../core/client.js';
import type { CommandTable } from '../core/table.js';
import { clientInfoLine } from '../commands/client-command.js';
import { AclUser } from './acl-user.js';
import { CommandUniverse } from './acl-commands.js';
import { applyRule, hashPassword, newUser, type RuleContext } from './acl-rules.js';

/** What ACL LOG records (Redis's reasons and contexts). */
export type AclLogReason = 'command' | 'key' | 'channel' | 'auth';
export type AclLogContext = 'toplevel' | 'multi' | 'lua';

export interface AclLogEntry {
  count: number;
  reason: AclLogReason;
  context: AclLogContext;
  object: string;
  username: string;
  /** ms: when it was last seen */
  ctime: number;
  clientInfo: string;
}

/** Entries this close in time (ms) with the same reason, context, object and user are one, counted. */
const LOG_GROUPING_MS = 60000;

export class AclStore {
  readonly universe: CommandUniverse;
  readonly users = new Map<string, AclUser>();
  readonly defaultUser: AclUser;
  /** newest first */
  log: AclLogEntry[] = [];
  logMaxLen = 128;
  /** acl-pubsub-default */
  ruleContext: RuleContext = { allChannelsByDefault: false };

  constructor(table: CommandTable) {
    this.universe = new CommandUniverse(table);
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
  }

  /** `user default on nopass ~* &* +@all` */
  createDefaultUser(): AclUser {
    const u = new AclUser('default', this.universe);
    for (const r of ['+@all', '~*', '&*', 'on', 'nopass']) applyRule(u, r, this.ruleContext);
    return u;
  }

  /** Whether a new connection must authenticate (Redis's authRequired for the default user). */
  get authRequired(): boolean {
    const d = this.defaultUser;
    return !d.nopass || !d.enabled;
  }

  /** A new user as ACL SETUSER creates it (not yet stored). */
  newUser(name: string): AclUser {
    return newUser(name, this.universe, this.ruleContext);
  }

  /**
   * The user `name` if `password` is one of its passwords (or it has nopass) and it is enabled;
   * else null. Every stored digest is compared, in constant time.
   */
  authenticate(name: string, password: string): AclUser | null {
    const u = this.users.get(name);
    if (u === undefined || !u.enabled) return null;
    if (u.nopass) return u;
    const given = Buffer.from(hashPassword(password), 'hex');
    let ok = false;
    for (const stored of u.passwords) {
      if (timingSafeEqual(given, Buffer.from(stored, 'hex'))) ok = true;
    }
    return ok ? u : null;
  }

  /** the requirepass value last applied (Redis applies a config only when its value changes) */
  private requirePass = '';

  /**
   * CONFIG SET requirepass (and at start): the default user's only password, or nopass when empty.
   * As Redis, setting the value it already has does nothing: after `ACL SETUSER default >pw`,
   * `CONFIG SET requirepass ""` (already "") leaves the password in place.
   */
  setRequirePass(password: string): void {
    if (password === this.requirePass) return;
    this.requirePass = password;
    const d = this.defaultUser;
    applyRule(d, 'resetpass', this.ruleContext);
    applyRule(d, password === '' ? 'nopass' : '>' + password, this.ruleContext);
  }

  /**
   * Closes every client authenticated as `u` (a deleted or replaced user). The client running the
   * command is closed after its reply, as Redis's CLIENT_CLOSE_AFTER_COMMAND.
   */
  disconnectClientsOf(u: AclUser, clients: Iterable<Client>, current: Client | null): void {
    for (const c of clients) {
      if (c.user !== u) continue;
      if (c === current) c.closeAfterReply = true;
      else c.conn.close();
    }
  }

  /** Records a denial or a failed authentication (Redis's addACLLogEntry). */
  addLogEntry(c: Client, reason: AclLogReason, context: AclLogContext, object: string, username: string): void {
    const now = c.server.clock.now();
    const info = clientInfoLine(c, now);
    const log = this.log;
    for (let i = 0; i < log.length; i++) {
      const e = log[i]!;
      if (e.reason === reason && e.context === context && e.object === object && e.username === username && now - e.ctime < LOG_GROUPING_MS) {
        e.count++;
        e.ctime = now;
        e.clientInfo = info;
        log.splice(i, 1);
        log.unshift(e);
        return;
      }
    }
    log.unshift({ count: 1, reason, context, object, username, ctime: now, clientInfo: info });
    if (log.length > this.logMaxLen) log.length = this.logMaxLen;
  }

  /** The users by name, in byte order (ACL LIST, ACL USERS, ACL SAVE). */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
