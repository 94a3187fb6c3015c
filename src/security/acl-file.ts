/*
 * Users from files: the ACL file (`aclfile`, Redis's users.acl format: one `user <name> <rules…>`
 * line per user, blank lines ignored) read at start and by ACL LOAD, written by ACL SAVE; and the
 * config file's `user` lines. Loading is all or nothing, with Redis's error texts.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { splitArgs } from '../resp/quoting.js';
import type { AclStore } from './acl-store.js';
import type { AclUser } from './acl-user.js';
import { applyRule, mergeSelectorArguments, RuleError, validUsername } from './acl-rules.js';

/**
 * Parses an ACL file's text into a new set of users (the default user included, fresh when the
 * file does not define it), or returns Redis's accumulated error report.
 */
export function parseAclFile(store: AclStore, text: string, filename: string): Map<string, AclUser> | { error: string } {
  const users = new Map<string, AclUser>();
  let errors = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineno = i + 1;
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    // as Redis: blank lines are skipped, but there are no comments (`#…` is a wrong line)
    if (line === '') continue;
    const argv = splitArgs(line);
    if (argv === null) {
      errors += `${filename}:${lineno}: unbalanced quotes in acl line. `;
      continue;
    }
    if (argv.length === 0) continue;
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${filename}:${lineno} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1]!;
    if (!validUsername(name)) {
      errors += `'${filename}:${lineno}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${lineno}. `;
      continue;
    }
    // a selector over several arguments is one rule (Redis 7.0.15 crashes on an unclosed one;
    // kv-server reports it as ACL SETUSER words it, and loads nothing)
    const rules = mergeSelectorArguments(argv.slice(2).map((raw) => raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '')));
    if (!Array.isArray(rules)) {
      errors += `${filename}:${lineno}: Unmatched parenthesis in acl selector starting at '${rules.unmatched}'. `;
      continue;
    }
    const u = store.newUser(name);
    users.set(name, u);
    let reported = false;
    for (const rule of rules) {
      const reason = applyRule(u, rule, store.ruleContext);
      if (reason === null) continue;
      if (reason === RuleError.UNKNOWN) {
        // a missing command is named: it holds nothing secret
        errors += `${filename}:${lineno}: Error in applying operation '${rule}': ${reason}. `;
      } else if (!reported) {
        // other errors: only the first, since it may affect the rules after it
        errors += `${filename}:${lineno}: ${reason}. `;
        reported = true;
      }
    }
  }
  if (errors !== '') return { error: errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed' };
  if (!users.has('default')) users.set('default', store.createDefaultUser());
  return users;
}

/**
 * Replaces the store's users with `users` (ACL LOAD, the file at start). The default user object
 * stays (clients hold it) and takes the new rules; every other old user's clients are
 * disconnected, as Redis frees the old users.
 */
export function installUsers(store: AclStore, users: Map<string, AclUser>, disconnect: (old: AclUser) => void): void {
  const old = [...store.users.values()];
  store.defaultUser.copyFrom(users.get('default')!);
  store.users.clear();
  for (const [name, u] of users) store.users.set(name, name === 'default' ? store.defaultUser : u);
  for (const u of old) if (u !== store.defaultUser) disconnect(u);
}

/** Reads and parses the ACL file; Redis's message when it cannot be opened. */
export function readAclFile(store: AclStore, path: string): Map<string, AclUser> | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    return { error: `Error loading ACLs, opening file '${path}': ${describeFsError(e)}` };
  }
  return parseAclFile(store, text, path);
}

/** ACL SAVE: every user as a `user` line, written to a temporary file renamed over the ACL file. */
export function writeAclFile(store: AclStore, path: string): void {
  let text = '';
  for (const u of store.sortedUsers()) text += `user ${u.name} ${u.describe()}\n`;
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, 'latin1');
  renameSync(tmp, path);
}

/**
 * The config file's `user <name> <rules…>` lines: each user reset, then its rules applied (as
 * Redis's ACLLoadConfiguredUsers). Throws Redis's message for a wrong line.
 */
export function applyConfiguredUsers(store: AclStore, lines: readonly string[][]): void {
  for (const [name, ...rules] of lines) {
    if (!validUsername(name!)) throw new Error(`Error in user declaration '${name}': ${RuleError.SYNTAX}`);
    let u = store.users.get(name!);
    if (u === undefined) {
      u = store.newUser(name!);
      store.users.set(name!, u);
    }
    applyRule(u, 'reset', store.ruleContext);
    const merged = mergeSelectorArguments(rules);
    if (!Array.isArray(merged)) throw new Error(`Error in user declaration '${name}': Unmatched parenthesis in acl selector starting at '${merged.unmatched}'.`);
    for (const rule of merged) {
      const reason = applyRule(u, rule, store.ruleContext);
      if (reason !== null) throw new Error(`Error in user declaration '${name}': ${reason}`);
    }
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (e as Error).message;
}
