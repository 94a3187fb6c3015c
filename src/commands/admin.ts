/*
 * Server commands: CONFIG GET/SET/RESETSTAT/REWRITE/HELP, INFO, TIME, LASTSAVE, SHUTDOWN and
 * MONITOR (DEBUG is in debug.ts).
 */
import { Err } from '../resp/errors.js';
import { globMatch } from '../engine/glob.js';
import { findParam, normalizeValue, PARAMS, type Param } from '../core/config.js';
import type { Client } from '../core/client.js';
import type { ShutdownOptions } from '../core/server-context.js';
import { infoCommand } from './info.js';
import { monitorCommand } from '../core/monitor.js';
import type { CommandRow } from '../core/command-types.js';
import { wallClockMicros } from './wall-clock.js';
import { saveAll } from './persistence.js';

/** Replies a HELP text as Redis's addReplyHelp: a usage line, the given lines, then HELP. */
export function replyHelp(c: Client, container: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) c.reply.simple(line);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}

/*
 * CONFIG GET parameter [parameter ...]
 * A name without glob characters matches exactly and is echoed as given (Redis does the same);
 * a pattern matches case-insensitively. Each parameter is listed once.
 */
function configGetCommand(c: Client, argv: string[]): void {
  const config = c.server.config;
  // keyed by the name matched: a parameter's old alias (hash-max-ziplist-entries) is listed apart
  const matched = new Map<string, [Param, string]>();
  for (let i = 2; i < argv.length; i++) {
    const pattern = argv[i]!;
    if (!/[*?[]/.test(pattern)) {
      const param = findParam(pattern);
      const name = pattern.toLowerCase();
      if (param !== undefined && !matched.has(name)) matched.set(name, [param, pattern]);
      continue;
    }
    for (const param of PARAMS) {
      if (param.hidden) continue;
      for (const name of param.alias === undefined ? [param.name] : [param.name, param.alias]) {
        if (!matched.has(name) && globMatch(pattern, name, true)) matched.set(name, [param, name]);
      }
    }
  }
  c.reply.map(matched.size);
  for (const [param, shown] of matched.values()) {
    c.reply.bulk(shown);
    c.reply.bulk(config.get(param.name));
  }
}

/*
 * CONFIG SET parameter value [parameter value ...]
 * All or nothing: every name is checked (known, mutable, not repeated), then every value, and
 * only then is anything applied.
 */
function configSetCommand(c: Client, argv: string[]): void {
  if (argv.length % 2 !== 0) return c.reply.error(Err.SYNTAX);
  // by name, as Redis: a parameter and its alias may both be set (the last wins)
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i += 2) {
    const param = findParam(argv[i]!);
    if (param === undefined) return c.reply.error(Err.UNKNOWN_CONFIG(argv[i]!));
    const name = argv[i]!.toLowerCase(); // the name matched, which errors show (an alias included)
    if (!param.mutable && param.own !== true) return c.reply.error(Err.CONFIG_SET_FAILED(name, Err.CONFIG_IMMUTABLE));
    if (seen.has(name)) return c.reply.error(Err.CONFIG_SET_FAILED(name, Err.CONFIG_DUPLICATE));
    seen.add(name);
  }
  const changes: Array<[string, string]> = [];
  for (let i = 2; i < argv.length; i += 2) {
    const param = findParam(argv[i]!)!;
    const r = normalizeValue(param, argv[i + 1]!);
    if ('error' in r) return c.reply.error(Err.CONFIG_SET_FAILED(argv[i]!.toLowerCase(), r.error));
    // our own immutable parameters take only the value they have
    if (!param.mutable) {
      if (r.value !== c.server.config.get(param.name)) return c.reply.error(Err.CONFIG_SET_FAILED(argv[i]!.toLowerCase(), Err.CONFIG_IMMUTABLE));
      continue;
    }
    changes.push([param.name, r.value]);
  }
  for (const [name, value] of changes) c.server.config.set(name, value);
  c.reply.ok();
}

/* CONFIG RESETSTAT */
function configResetStatCommand(c: Client): void {
  c.server.resetStats();
  c.reply.ok();
}

/** The C library's text for a file system error, as Redis prints strerror(errno). */
function strerror(e: NodeJS.ErrnoException): string {
  const texts: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    EROFS: 'Read-only file system',
    ENOSPC: 'No space left on device',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
  };
  return texts[e.code ?? ''] ?? e.message;
}

/* CONFIG REWRITE */
function configRewriteCommand(c: Client): void {
  if (c.server.config.file === null) return c.reply.error(Err.NO_CONFIG_FILE);
  try {
    c.server.rewriteConfig();
  } catch (e) {
    c.server.log.warning(`CONFIG REWRITE failed: ${(e as Error).message}`);
    return c.reply.error(Err.CONFIG_REWRITE_FAILED(strerror(e as NodeJS.ErrnoException)));
  }
  c.server.log.notice('CONFIG REWRITE executed with success.');
  c.reply.ok();
}

/* CONFIG HELP */
function configHelpCommand(c: Client): void {
  replyHelp(c, 'CONFIG', [
    'GET <pattern>',
    '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>',
    '    Set the configuration <directive> to <value>.',
    'RESETSTAT',
    '    Reset statistics reported by the INFO command.',
    'REWRITE',
    '    Rewrite the configuration file.',
  ]);
}

/* TIME */
function timeCommand(c: Client): void {
  const us = wallClockMicros();
  c.reply.bulks([String(Math.floor(us / 1e6)), String(us % 1e6)]);
}

/* LASTSAVE */
function lastSaveCommand(c: Client): void {
  c.reply.int(c.server.lastSave);
}

/** SHUTDOWN's flags, or null for Redis's syntax error (unknown flag, or both SAVE and NOSAVE). */
export function parseShutdownOptions(args: readonly string[]): (ShutdownOptions & { nosave?: boolean }) | null {
  const opts: ShutdownOptions & { nosave?: boolean } = {};
  for (const arg of args) {
    const a = arg.toLowerCase();
    if (a === 'nosave') opts.nosave = true;
    else if (a === 'save') opts.save = true;
    else if (a === 'now') opts.now = true;
    else if (a === 'force') opts.force = true;
    else if (a === 'abort') opts.abort = true;
    else return null;
  }
  if (opts.save && opts.nosave) return null;
  if (opts.abort && args.length > 1) return null;
  return opts;
}

/* SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
function shutdownCommand(c: Client, argv: string[]): void {
  const opts = parseShutdownOptions(argv.slice(1));
  if (opts === null) return c.reply.error(Err.SYNTAX);
  // a shutdown here is immediate, so there is never one in progress to abort
  if (opts.abort) return c.reply.error(Err.NO_SHUTDOWN_IN_PROGRESS);
  const { nosave, ...rest } = opts;
  c.server.log.warning(`User requested shutdown...`);
  // as Redis: saved when asked to, or when save points are configured and NOSAVE is not given
  const save = rest.save === true || (!nosave && c.server.config.get('save') !== '');
  if (save) {
    c.server.log.notice('Saving the final RDB snapshot before exiting.');
    if (saveAll(c.server) !== null && !rest.force) {
      c.server.log.warning("Error trying to save the DB, can't exit.");
      return c.reply.error(Err.SHUTDOWN_FAILED);
    }
  }
  c.server.shutdown({ ...rest, save });
}

const ADMIN = '';

export const serverCommands: CommandRow[] = [
  {
    name: 'config', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'get', arity: -3, flags: 'admin noscript loading stale', categories: ADMIN, handler: configGetCommand },
      { name: 'set', arity: -4, flags: 'admin noscript loading stale', categories: ADMIN, handler: configSetCommand },
      { name: 'resetstat', arity: 2, flags: 'admin noscript loading stale', categories: ADMIN, handler: configResetStatCommand },
      { name: 'rewrite', arity: 2, flags: 'admin noscript loading stale', categories: ADMIN, handler: configRewriteCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: configHelpCommand },
    ],
  },
  { name: 'info', arity: -1, flags: 'loading stale', categories: '@dangerous', handler: infoCommand },
  { name: 'time', arity: 1, flags: 'loading stale fast', categories: '', handler: timeCommand },
  { name: 'lastsave', arity: 1, flags: 'loading stale fast', categories: '@admin @dangerous', handler: lastSaveCommand },
  { name: 'shutdown', arity: -1, flags: 'admin noscript loading stale no_multi allow_busy', categories: ADMIN, handler: shutdownCommand },
  { name: 'monitor', arity: 1, flags: 'admin noscript loading stale', categories: ADMIN, handler: monitorCommand },
];
