/*
 * ACL: SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI, CAT, DRYRUN, GENPASS, LOG, LOAD, SAVE,
 * HELP. The users, rules and checks live in security/; this file parses and replies.
 */
import { randomBytes } from 'node:crypto';
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import { ACL_CATEGORIES } from '../core/table.js';
import type { Client } from '../core/client.js';
import type { CommandRow, CommandSpec } from '../core/command-types.js';
import { applyRules, validUsername } from '../security/acl-rules.js';
import { anySelectorAllowsChannel, checkCommand } from '../security/acl-check.js';
import { installUsers, readAclFile, writeAclFile } from '../security/acl-file.js';
import type { AclUser } from '../security/acl-user.js';
import { replyHelp } from './admin.js';

/* ACL SETUSER username [rule [rule ...]] */
function aclSetUserCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!validUsername(name)) return c.reply.error(Err.ACL_BAD_USERNAME);
  const acl = c.server.acl;
  const existing = acl.users.get(name);
  const result = applyRules(existing ?? acl.newUser(name), argv.slice(3), acl.ruleContext);
  if ('unmatched' in result) return c.reply.error(Err.ACL_UNMATCHED_SELECTOR(result.unmatched));
  if ('reason' in result) return c.reply.error(Err.ACL_SETUSER_RULE(result.rule, result.reason));
  if (existing !== undefined) existing.copyFrom(result);
  else acl.users.set(name, result);
  disconnectSubscribersNoLongerAllowed(c, existing ?? result);
  c.reply.ok();
}

/**
 * After a user's channels changed, its clients subscribed to a channel or pattern they may no
 * longer use are disconnected (Redis's ACLKillPubsubClientsIfNeeded).
 */
function disconnectSubscribersNoLongerAllowed(c: Client, u: AclUser): void {
  if (u.allChannels || u.selectors.some((s) => s.allChannels)) return;
  for (const other of c.server.clients.values()) {
    const subs = other.subscriptions;
    if (other.user !== u || subs === null) continue;
    let ok = true;
    for (const ch of subs.channels) if (!anySelectorAllowsChannel(u, ch, false)) ok = false;
    for (const ch of subs.shardChannels) if (!anySelectorAllowsChannel(u, ch, false)) ok = false;
    for (const p of subs.patterns) if (!anySelectorAllowsChannel(u, p, true)) ok = false;
    if (ok) continue;
    if (other === c) c.closeAfterReply = true;
    else other.conn.close();
  }
}

/* ACL GETUSER username */
function aclGetUserCommand(c: Client, argv: string[]): void {
  const u = c.server.acl.users.get(argv[2]!);
  const r = c.reply;
  if (u === undefined) return r.nil();
  r.map(u.namespace === undefined ? 6 : 7);
  r.bulk('flags');
  const flags = [u.enabled ? 'on' : 'off'];
  if (u.nopass) flags.push('nopass');
  if (u.sanitize !== '') flags.push(u.sanitize);
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('passwords');
  r.bulks(u.passwords);
  r.bulk('commands');
  r.bulk(u.describeCommands());
  r.bulk('keys');
  r.bulk(u.describeKeys());
  r.bulk('channels');
  r.bulk(u.describeChannels());
  r.bulk('selectors');
  r.array(u.selectors.length);
  for (const s of u.selectors) {
    r.map(3);
    r.bulk('commands');
    r.bulk(s.describeCommands());
    r.bulk('keys');
    r.bulk(s.describeKeys());
    r.bulk('channels');
    r.bulk(s.describeChannels());
  }
  if (u.namespace !== undefined) {
    r.bulk('namespace');
    r.bulk(u.namespace);
  }
}

/* ACL DELUSER username [username ...] */
function aclDelUserCommand(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  for (let i = 2; i < argv.length; i++) if (argv[i] === 'default') return c.reply.error(Err.ACL_DEFAULT_NOT_REMOVABLE);
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    const u = acl.users.get(argv[i]!);
    if (u === undefined) continue;
    acl.users.delete(u.name);
    acl.disconnectClientsOf(u, c.server.clients.values(), c);
    deleted++;
  }
  c.reply.int(deleted);
}

/* ACL USERS */
function aclUsersCommand(c: Client): void {
  c.reply.bulks(c.server.acl.sortedUsers().map((u) => u.name));
}

/* ACL LIST */
function aclListCommand(c: Client): void {
  c.reply.bulks(c.server.acl.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`));
}

/* ACL WHOAMI */
function aclWhoamiCommand(c: Client): void {
  c.reply.bulk(c.user.name);
}

/* ACL CAT [category] */
function aclCatCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'ACL'));
  if (argv.length === 2) return c.reply.bulks([...ACL_CATEGORIES]);
  const cat = argv[2]!.toLowerCase();
  const specs = c.server.acl.universe.byCategory.get(cat);
  if (specs === undefined) return c.reply.error(Err.ACL_UNKNOWN_CATEGORY(argv[2]!));
  c.reply.bulks(specs.map((s) => s.name));
}

/* ACL DRYRUN username command [arg ...] */
function aclDryRunCommand(c: Client, argv: string[]): void {
  const u = c.server.acl.users.get(argv[2]!);
  if (u === undefined) return c.reply.error(Err.ACL_USER_NOT_FOUND(argv[2]!));
  const line = argv.slice(3);
  const spec = resolveLine(c, line);
  if (spec === undefined) return c.reply.error(Err.ACL_COMMAND_NOT_FOUND(argv[3]!));
  if (spec.arity >= 0 ? line.length !== spec.arity : line.length < -spec.arity) return c.reply.error(Err.WRONG_ARITY(spec.name));
  const d = spec.noAuth === true ? null : checkCommand(u, spec, line);
  if (d === null) return c.reply.ok();
  if (d.reason === 'command') c.reply.bulk(`This user has no permissions to run the '${d.object}' command`);
  else c.reply.bulk(`This user has no permissions to access the '${d.object}' ${d.reason}`);
}

/** The row a command line runs (its subcommand's for a container), as dispatch finds it. */
function resolveLine(c: Client, line: readonly string[]): CommandSpec | undefined {
  const spec = c.server.commandTable.get(line[0]!);
  if (spec === undefined || spec.subcommands === undefined || line.length === 1) return spec;
  return spec.subcommands.get(line[1]!.toLowerCase());
}

/* ACL GENPASS [bits] */
function aclGenPassCommand(c: Client, argv: string[]): void {
  let bits = 256;
  if (argv.length > 3) return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'ACL'));
  if (argv.length === 3) {
    const v = parseInt64(argv[2]!);
    if (v === null) return c.reply.error(Err.NOT_INTEGER);
    if (v <= 0 || v > 4096) return c.reply.error(Err.ACL_GENPASS_BITS);
    bits = Number(v);
  }
  const chars = Math.ceil(bits / 4);
  c.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

/* ACL LOG [count | RESET] */
function aclLogCommand(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  if (argv.length > 3) return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'ACL'));
  let count = 10;
  if (argv.length === 3) {
    if (argv[2]!.toLowerCase() === 'reset') {
      acl.log = [];
      return c.reply.ok();
    }
    const v = parseInt64(argv[2]!);
    if (v === null) return c.reply.error(Err.NOT_INTEGER);
    count = v < 0 ? 0 : Number(v);
  }
  const entries = acl.log.slice(0, count);
  const r = c.reply;
  const now = c.server.clock.now();
  r.array(entries.length);
  for (const e of entries) {
    r.map(7);
    r.bulk('count');
    r.int(e.count);
    r.bulk('reason');
    r.bulk(e.reason);
    r.bulk('context');
    r.bulk(e.context);
    r.bulk('object');
    r.bulk(e.object);
    r.bulk('username');
    r.bulk(e.username);
    r.bulk('age-seconds');
    r.double((now - e.ctime) / 1000);
    r.bulk('client-info');
    r.bulk(e.clientInfo);
  }
}

/* ACL LOAD */
function aclLoadCommand(c: Client): void {
  const path = c.server.config.get('aclfile');
  if (path === '') return c.reply.error(Err.ACL_NO_ACLFILE);
  const acl = c.server.acl;
  const users = readAclFile(acl, path);
  if ('error' in users) return c.reply.error(Err.ACL_LOAD_FAILED(users.error));
  installUsers(acl, users, (old) => acl.disconnectClientsOf(old, c.server.clients.values(), c));
  c.reply.ok();
}

/* ACL SAVE */
function aclSaveCommand(c: Client): void {
  const path = c.server.config.get('aclfile');
  if (path === '') return c.reply.error(Err.ACL_NO_ACLFILE);
  try {
    writeAclFile(c.server.acl, path);
  } catch (e) {
    c.server.log.warning(`Opening ACL file for rewriting: ${(e as Error).message}`);
    return c.reply.error(Err.ACL_SAVE_FAILED);
  }
  c.reply.ok();
}

/* ACL HELP */
function aclHelpCommand(c: Client): void {
  replyHelp(c, 'ACL', [
    'CAT [<category>]',
    '    List all commands that belong to <category>, or all command categories',
    '    when no category is specified.',
    'DELUSER <username> [<username> ...]',
    '    Delete a list of users.',
    'DRYRUN <username> <command> [<arg> ...]',
    '    Returns whether the user can execute the given command without executing the command.',
    'GETUSER <username>',
    "    Get the user's details.",
    'GENPASS [<bits>]',
    '    Generate a secure 256-bit user password. The optional `bits` argument can',
    '    be used to specify a different size.',
    'LIST',
    '    Show users details in config file format.',
    'LOAD',
    '    Reload users from the ACL file.',
    'LOG [<count> | RESET]',
    '    Show the ACL log entries.',
    'SAVE',
    '    Save the current config to the ACL file.',
    'SETUSER <username> <attribute> [<attribute> ...]',
    '    Create or modify a user with the specified attributes.',
    'USERS',
    '    List all the registered usernames.',
    'WHOAMI',
    '    Return the current connection username.',
  ]);
}

const ADMIN = 'admin noscript loading stale';
const PLAIN = 'noscript loading stale';
const AD = '@dangerous';

export const aclCommands: CommandRow[] = [
  {
    name: 'acl', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'cat', arity: -2, flags: PLAIN, categories: '', handler: aclCatCommand },
      { name: 'deluser', arity: -3, flags: ADMIN, categories: AD, handler: aclDelUserCommand },
      { name: 'dryrun', arity: -4, flags: ADMIN, categories: AD, handler: aclDryRunCommand },
      { name: 'genpass', arity: -2, flags: PLAIN, categories: '', handler: aclGenPassCommand },
      { name: 'getuser', arity: 3, flags: ADMIN, categories: AD, handler: aclGetUserCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: aclHelpCommand },
      { name: 'list', arity: 2, flags: ADMIN, categories: AD, handler: aclListCommand },
      { name: 'load', arity: 2, flags: ADMIN, categories: AD, handler: aclLoadCommand },
      { name: 'log', arity: -2, flags: ADMIN, categories: AD, handler: aclLogCommand },
      { name: 'save', arity: 2, flags: ADMIN, categories: AD, handler: aclSaveCommand },
      { name: 'setuser', arity: -3, flags: ADMIN, categories: AD, handler: aclSetUserCommand },
      { name: 'users', arity: 2, flags: ADMIN, categories: AD, handler: aclUsersCommand },
      { name: 'whoami', arity: 2, flags: PLAIN, categories: '', handler: aclWhoamiCommand },
    ],
  },
];
