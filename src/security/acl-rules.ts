/*
 * ACL rules as Redis 7.0's ACL SETUSER takes them, applied one at a time to a user:
 *   on off nopass resetpass >pw <pw #sha256 !sha256 skip-sanitize-payload sanitize-payload
 *   allcommands +@all nocommands -@all +@cat -@cat +cmd -cmd +cmd|sub -cmd|sub +cmd|first-arg
 *   ~pattern %R~pattern %W~pattern %RW~pattern allkeys resetkeys
 *   &pattern allchannels resetchannels   reset
 *   (…) a selector: more permissions (commands, keys, channels rules only)   clearselectors
 * and kv-server's `namespace=<name>` (docs/compatibility.md).
 * `applyRule` returns null, or the reason Redis gives (its errno's message) when a rule is wrong.
 * A selector written over several arguments (`(+get` `~key*)`) is joined into one rule first
 * (`mergeSelectorArguments`), as Redis does for ACL SETUSER, the ACL file and `user` lines.
 */
import { isNamespaceName } from '../engine/keyspace.js';
import { createHash } from 'node:crypto';
import { splitArgs } from '../resp/quoting.js';
import { AclSelector, AclUser, compileKeyPattern, KEY_ALL, KEY_READ, KEY_WRITE } from './acl-user.js';

/** Redis's reasons (ACLSetUserStringError), by the errno its ACLSetUser sets. */
export const RuleError = {
  UNKNOWN: 'Unknown command or category name in ACL',
  SYNTAX: 'Syntax error',
  NO_SUCH_PASSWORD: 'The password you are trying to remove from the user does not exist',
  BAD_HASH: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  KEY_AFTER_ALL:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  CHANNEL_AFTER_ALL:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  FIRST_ARG_OF_SUB: 'Allowing first-arg of a subcommand is not supported',
} as const;

/** What a rule needs besides the user: acl-pubsub-default (`reset` and new users follow it). */
export interface RuleContext {
  allChannelsByDefault: boolean;
}

/** The SHA-256 digest of a password, in lowercase hex (the only form a password is kept in). */
export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

function validHash(h: string): boolean {
  return h.length === 64 && /^[0-9a-f]{64}$/.test(h);
}

/** A rule must not contain spaces (Redis's ACLStringHasSpaces: space, tab, CR, LF, NUL…). */
function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

/** Applies one rule to `u` (in place). Returns null, or Redis's reason for refusing it. */
export function applyRule(u: AclUser, op: string, ctx: RuleContext): string | null {
  const reason = applyRuleInner(u, op, ctx);
  u.refresh();
  return reason;
}

function applyRuleInner(u: AclUser, op: string, ctx: RuleContext): string | null {
  const lower = op.toLowerCase();
  switch (lower) {
    case 'on':
      u.enabled = true;
      return null;
    case 'off':
      u.enabled = false;
      return null;
    case 'skip-sanitize-payload':
    case 'sanitize-payload':
      u.sanitize = lower;
      return null;
    case 'nopass':
      u.nopass = true;
      u.passwords = [];
      return null;
    case 'resetpass':
      u.nopass = false;
      u.passwords = [];
      return null;
    case 'clearselectors':
      u.selectors = [];
      return null;
    case 'reset':
      for (const r of ['resetpass', 'resetkeys', 'resetchannels']) applyRuleInner(u, r, ctx);
      if (ctx.allChannelsByDefault) applyRuleInner(u, 'allchannels', ctx);
      u.enabled = false;
      u.sanitize = 'sanitize-payload';
      u.selectors = [];
      applyRuleInner(u, '-@all', ctx);
      return null;
  }
  const c0 = op[0];
  if (c0 === '>' || c0 === '<') {
    const digest = hashPassword(op.slice(1));
    return c0 === '>' ? addPassword(u, digest) : removePassword(u, digest);
  }
  if (c0 === '#' || c0 === '!') {
    const digest = op.slice(1);
    if (!validHash(digest)) return RuleError.BAD_HASH;
    return c0 === '#' ? addPassword(u, digest) : removePassword(u, digest);
  }
  if (c0 === '(' && op.length >= 2 && op[op.length - 1] === ')') {
    const made = selectorFromRules(u, op.slice(1, -1), ctx);
    if (typeof made === 'string') return made;
    u.selectors.push(made);
    return null;
  }
  if (lower.startsWith('namespace=')) {
    const ns = op.slice('namespace='.length);
    if (ns !== '' && !isNamespaceName(ns)) return RuleError.SYNTAX;
    u.namespace = ns === '' ? undefined : ns;
    return null;
  }
  const reason = applySelectorRule(u, op, lower);
  return reason === undefined ? RuleError.SYNTAX : reason;
}

/**
 * A selector from the text between its parentheses: split as Redis's sdssplitargs splits (quotes
 * allowed; unbalanced quotes make an empty selector, as in Redis), each rule a permission rule.
 * Returns the selector or the reason of its first wrong rule.
 */
function selectorFromRules(u: AclUser, inner: string, ctx: RuleContext): AclSelector | string {
  const s = new AclSelector(u.universe);
  if (ctx.allChannelsByDefault) s.allChannels = true;
  for (const rule of splitArgs(inner) ?? []) {
    const reason = applySelectorRule(s, rule, rule.toLowerCase());
    if (reason === undefined) return RuleError.SYNTAX;
    if (reason !== null) return reason;
  }
  return s;
}

/**
 * A rule about commands, keys or channels (Redis's ACLSetSelector), applied to the root or to
 * an extra selector: null when applied, a reason when wrong, undefined when not such a rule.
 */
function applySelectorRule(u: AclSelector, op: string, lower: string): string | null | undefined {
  switch (lower) {
    case 'allkeys':
    case '~*':
      u.allKeys = true;
      u.keyPatterns = [];
      return null;
    case 'resetkeys':
      u.allKeys = false;
      u.keyPatterns = [];
      return null;
    case 'allchannels':
    case '&*':
      u.allChannels = true;
      u.channels = [];
      return null;
    case 'resetchannels':
      u.allChannels = false;
      u.channels = [];
      return null;
    case 'allcommands':
    case '+@all':
      u.allowed = new Set(u.universe.all);
      u.allCommands = true;
      u.firstArgs = null;
      return null;
    case 'nocommands':
    case '-@all':
      u.allowed = new Set();
      u.allCommands = false;
      u.firstArgs = null;
      return null;
  }
  const c0 = op[0];
  if (c0 === '~' || c0 === '%') return addKeyPattern(u, op);
  if (c0 === '&') {
    if (u.allChannels) return RuleError.CHANNEL_AFTER_ALL;
    const pattern = op.slice(1);
    if (hasSpaces(pattern)) return RuleError.SYNTAX;
    if (!u.channels.includes(pattern)) u.channels.push(pattern);
    return null;
  }
  if ((c0 === '+' || c0 === '-') && op[1] === '@') {
    const cat = lower.slice(2);
    if (!u.universe.isCategory(cat)) return RuleError.UNKNOWN;
    u.changeCategory(cat, c0 === '+');
    return null;
  }
  if (c0 === '+') return allowCommand(u, op.slice(1));
  if (c0 === '-') {
    const spec = u.universe.lookup(op.slice(1));
    if (spec === undefined) return RuleError.UNKNOWN;
    u.changePerm(spec, false);
    return null;
  }
  return undefined;
}

/**
 * Joins a selector written over several arguments into one rule, as Redis's
 * ACLMergeSelectorArguments: an argument starting with `(` and not ending with `)` opens one,
 * the following arguments are appended with a space up to one ending with `)` (an argument
 * opening another selector before that starts it afresh). Returns the rules, or the argument
 * that opened a selector never closed.
 */
export function mergeSelectorArguments(args: readonly string[]): string[] | { unmatched: string } {
  const out: string[] = [];
  let open: string | null = null;
  let opener = '';
  for (const op of args) {
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      open = op;
      opener = op;
      continue;
    }
    if (open !== null) {
      open += ' ' + op;
      if (op[op.length - 1] === ')') {
        out.push(open);
        open = null;
      }
      continue;
    }
    out.push(op);
  }
  return open !== null ? { unmatched: opener } : out;
}

function addPassword(u: AclUser, digest: string): null {
  if (!u.passwords.includes(digest)) u.passwords.push(digest);
  u.nopass = false;
  return null;
}

function removePassword(u: AclUser, digest: string): string | null {
  const i = u.passwords.indexOf(digest);
  if (i < 0) return RuleError.NO_SUCH_PASSWORD;
  u.passwords.splice(i, 1);
  return null;
}

/** `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern`: the same pattern twice merges its permissions. */
function addKeyPattern(u: AclSelector, op: string): string | null {
  if (u.allKeys) return RuleError.KEY_AFTER_ALL;
  let flags = 0;
  let offset = 1;
  if (op[0] === '%') {
    let closed = false;
    for (; offset < op.length; offset++) {
      const ch = op[offset]!.toUpperCase();
      if (ch === 'R' && !(flags & KEY_READ)) flags |= KEY_READ;
      else if (ch === 'W' && !(flags & KEY_WRITE)) flags |= KEY_WRITE;
      else if (op[offset] === '~') {
        offset++;
        closed = true;
        break;
      } else return RuleError.SYNTAX;
    }
    if (!closed || flags === 0) return RuleError.SYNTAX;
  } else {
    flags = KEY_ALL;
  }
  const pattern = op.slice(offset);
  if (hasSpaces(pattern)) return RuleError.SYNTAX;
  const existing = u.keyPatterns.find((p) => p.pattern === pattern);
  if (existing !== undefined) existing.flags |= flags;
  else u.keyPatterns.push({ pattern, flags, ...compileKeyPattern(pattern) });
  u.allKeys = false;
  return null;
}

/** `+cmd`, `+cmd|sub` (a subcommand) or `+cmd|arg` (a first argument of a command without subcommands). */
function allowCommand(u: AclSelector, name: string): string | null {
  const bar = name.lastIndexOf('|');
  if (bar < 0) {
    const spec = u.universe.lookup(name);
    if (spec === undefined) return RuleError.UNKNOWN;
    u.changePerm(spec, true);
    return null;
  }
  const base = u.universe.lookup(name.slice(0, bar));
  if (base === undefined) return RuleError.UNKNOWN;
  if (base.parent !== undefined) return RuleError.FIRST_ARG_OF_SUB;
  const arg = name.slice(bar + 1);
  if (arg === '') return RuleError.SYNTAX;
  if (base.subcommands !== undefined) {
    const sub = u.universe.lookup(name);
    if (sub === undefined) return RuleError.UNKNOWN;
    u.changePerm(sub, true);
    return null;
  }
  // the deprecated first-arg form (SELECT|0): only while the command itself is denied
  if (u.allowed.has(base)) return null;
  u.firstArgs ??= new Map();
  const list = u.firstArgs.get(base) ?? [];
  if (!list.includes(arg.toLowerCase())) list.push(arg.toLowerCase());
  u.firstArgs.set(base, list);
  return null;
}

/**
 * Applies rules (selectors over several arguments joined first) to a copy of `u` and returns
 * it, or the first wrong rule and its reason, or the argument opening an unclosed selector (then
 * `u` is untouched: ACL SETUSER is all or nothing).
 */
export function applyRules(u: AclUser, args: readonly string[], ctx: RuleContext): AclUser | { rule: string; reason: string } | { unmatched: string } {
  const rules = mergeSelectorArguments(args);
  if (!Array.isArray(rules)) return rules;
  const copy = u.clone();
  for (const rule of rules) {
    const reason = applyRule(copy, rule, ctx);
    if (reason !== null) return { rule, reason };
  }
  return copy;
}

/** Usernames may not hold spaces or NUL bytes (Redis's ACLStringHasSpaces). */
export function validUsername(name: string): boolean {
  return !hasSpaces(name);
}

/** A user as Redis creates one for ACL SETUSER of an unknown name: off, no passwords, no commands. */
export function newUser(name: string, universe: AclUser['universe'], ctx: RuleContext): AclUser {
  const u = new AclUser(name, universe);
  if (ctx.allChannelsByDefault) u.allChannels = true;
  u.refresh();
  return u;
}
