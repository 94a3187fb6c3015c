/*
 * Lua scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP. The
 * engine (a Lua 5.1 worker thread, BUSY handling, Lua↔RESP conversion) is in src/scripting/.
 * The script cache lasts for the life of the process (or until SCRIPT FLUSH).
 */
import type { Client } from '../core/client.js';
import type { CommandRow, MayReplicateFor } from '../core/command-types.js';
import { showToMonitors } from '../core/monitor.js';
import { countedKeys } from '../core/movable-keys.js';
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import { scriptingOf, SCRIPT_FLAGS } from '../scripting/scripting-state.js';
import { isCompileError, replyScriptResult, sha1hex } from '../scripting/script-runner.js';
import { replyHelp } from './admin.js';
import { evalChunk } from '../scripting/eval-chunk.js';

/** A script's `#!lua flags=…` shebang: its flags and the body Lua compiles (shebang line blanked). */
interface ParsedScript {
  /** null: no shebang (Redis's compatibility mode: writes allowed, no flags checked) */
  flags: string[] | null;
  lua: string;
}

/** Parses an EVAL script's optional shebang; returns the error text when it is invalid. */
export function parseScriptShebang(body: string): ParsedScript | string {
  if (!body.startsWith('#!')) return { flags: null, lua: body };
  const eol = body.indexOf('\n');
  const line = eol < 0 ? body : body.slice(0, eol);
  const parts = line.split(' ').filter((p) => p !== '');
  if (parts[0] !== '#!lua') return Err.UNKNOWN_SHEBANG_ENGINE(line);
  const flags: string[] = [];
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return Err.UNKNOWN_SHEBANG_OPTION(part);
    for (const flag of part.slice(6).split(',')) {
      if (flag === '') continue;
      if (!(SCRIPT_FLAGS as readonly string[]).includes(flag)) return Err.UNKNOWN_SHEBANG_FLAG(flag);
      flags.push(flag);
    }
  }
  return { flags, lua: eol < 0 ? '' : body.slice(eol) };
}

/** numkeys of EVAL/FCALL: the count, or the error text. */
export function parseNumKeys(argv: string[], bad: string = Err.NOT_INTEGER): number | string {
  const n = parseInt64(argv[2]!);
  if (n === null) return bad;
  if (n < 0) return Err.NUMKEYS_NEGATIVE;
  if (n > argv.length - 3) return Err.NUMKEYS_TOO_BIG;
  return Number(n);
}

/*
 * EVAL script numkeys [key [key ...]] [arg [arg ...]]
 * EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
 * EVAL_RO / EVALSHA_RO: the same, refusing write commands.
 */
function evalGeneric(c: Client, argv: string[], bySha: boolean, readOnly: boolean): void {
  // shown before the commands the script calls, even if the script does not run (skip_monitor)
  showToMonitors(c, argv);
  const state = scriptingOf(c.server);
  const numkeys = parseNumKeys(argv);
  if (typeof numkeys === 'string') return c.reply.error(numkeys);
  let body: string | undefined;
  let sha: string;
  if (bySha) {
    sha = argv[1]!.toLowerCase();
    body = sha.length === 40 ? state.scripts.get(sha) : undefined;
    if (body === undefined) return c.reply.error(Err.NOSCRIPT);
  } else {
    body = argv[1]!;
    sha = sha1hex(body);
  }
  // the shebang parsed and the body wrapped once per script, not per call
  let prepared = state.prepared.get(sha);
  if (prepared === undefined) {
    const parsed = parseScriptShebang(body);
    if (typeof parsed === 'string') return c.reply.error(parsed);
    prepared = { flags: parsed.flags, source: parsed.lua, lua: evalChunk(parsed.lua), noWrites: parsed.flags?.includes('no-writes') ?? false };
    state.prepared.set(sha, prepared);
  }
  if (readOnly && prepared.flags !== null && !prepared.noWrites) return c.reply.error(Err.RO_WITH_WRITE_FLAG);
  const checkCompile = !state.compiled.has(sha);
  if (!bySha) state.scripts.set(sha, body);
  const keys = argv.slice(3, 3 + numkeys);
  const args = argv.slice(3 + numkeys);
  // the script's commands propagate as its effects (Redis 7), not the EVAL itself
  c.rewrite();
  state.runner.run(c, prepared.lua, keys, args, {
    readOnly: readOnly || prepared.noWrites,
    mode: 'eval',
    name: sha,
    sha,
    checkCompile,
    source: prepared.source,
    argv,
    onDone(value, run) {
      // a script that does not compile is not kept (Redis caches only what compiled)
      if (!isCompileError(value)) state.compiled.add(sha);
      else if (!bySha) {
        state.scripts.delete(sha);
        state.prepared.delete(sha);
      }
      replyScriptResult(c.reply, value, run);
    },
  });
}

/** A Lua chunk that compiles ARGV[1] and returns the error message, or nil if it compiles. */
const COMPILE_CHECK = "local f, e = loadstring(ARGV[1], '@user_script') if f then return nil end return e";

/**
 * Compiles a script (SCRIPT LOAD): the compile error text, or null. Contract: runs Lua for `c`,
 * replies nothing.
 */
function compileError(c: Client, lua: string): string | null {
  let result: unknown = null;
  scriptingOf(c.server).runner.run(c, COMPILE_CHECK, [], [lua], {
    readOnly: true,
    mode: 'eval',
    name: '',
    sha: COMPILE_CHECK_SHA,
    checkCompile: false,
    onDone: (value) => (result = value),
  });
  if (result === null) return null;
  const text = typeof result === 'string' ? result : Buffer.isBuffer(result) ? result.latin1Slice(0, result.length) : null;
  return text === null ? null : Err.SCRIPT_COMPILE(text);
}

const COMPILE_CHECK_SHA = sha1hex(COMPILE_CHECK);

function evalCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, false, false);
}

function evalShaCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, true, false);
}

function evalRoCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, false, true);
}

function evalShaRoCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, true, true);
}

/* SCRIPT LOAD script */
function scriptLoadCommand(c: Client, argv: string[]): void {
  const body = argv[2]!;
  const parsed = parseScriptShebang(body);
  if (typeof parsed === 'string') return c.reply.error(parsed);
  const sha = sha1hex(body);
  const state = scriptingOf(c.server);
  if (!state.compiled.has(sha)) {
    const err = compileError(c, parsed.lua);
    if (err !== null) return c.reply.error(err);
    state.compiled.add(sha);
  }
  state.scripts.set(sha, body);
  c.reply.bulk(sha);
}

/* SCRIPT EXISTS sha1 [sha1 ...] */
function scriptExistsCommand(c: Client, argv: string[]): void {
  const scripts = scriptingOf(c.server).scripts;
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.int(scripts.has(argv[i]!.toLowerCase()) ? 1 : 0);
}

/* SCRIPT FLUSH [ASYNC|SYNC] */
function scriptFlushCommand(c: Client, argv: string[]): void {
  if (argv.length > 3 || (argv.length === 3 && !['async', 'sync'].includes(argv[2]!.toLowerCase()))) {
    return c.reply.error(Err.SCRIPT_FLUSH_OPTION);
  }
  const state = scriptingOf(c.server);
  state.scripts.clear();
  state.compiled.clear();
  state.prepared.clear();
  c.reply.ok();
}

/* SCRIPT KILL */
function scriptKillCommand(c: Client): void {
  scriptingOf(c.server).runner.kill(c, 'eval');
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

/* SCRIPT HELP */
function scriptHelpCommand(c: Client): void {
  replyHelp(c, 'SCRIPT', SCRIPT_HELP);
}

/**
 * Whether an EVAL-family invocation may replicate (Redis's evalGetCommandFlags): a script with a
 * shebang by its flags — it writes unless flagged no-writes —, any other (no shebang, an unknown
 * sha, a shebang that does not parse) by its row's flags (`byRow`: EVAL's may_replicate, or
 * EVAL_RO's readonly).
 */
function evalMayReplicate(bySha: boolean, byRow: boolean): MayReplicateFor {
  return (c, argv) => {
    const state = scriptingOf(c.server);
    const sha = bySha ? argv[1]!.toLowerCase() : sha1hex(argv[1]!);
    const body = bySha ? state.scripts.get(sha) : argv[1]!;
    if (body === undefined) return byRow;
    let flags = state.prepared.get(sha)?.flags;
    if (flags === undefined) {
      const parsed = parseScriptShebang(body);
      if (typeof parsed === 'string') return byRow;
      flags = parsed.flags;
    }
    return flags === null ? byRow : !flags.includes('no-writes');
  };
}

const EVAL_FLAGS = 'noscript stale skip_monitor no_mandatory_keys movablekeys';

export const scriptingCommands: CommandRow[] = [
  {
    name: 'eval', arity: -3, flags: 'may_replicate ' + EVAL_FLAGS, categories: '@scripting', handler: evalCommand,
    getKeys: countedKeys(2, 3), runsScript: true, mayReplicateFor: evalMayReplicate(false, true),
  },
  {
    name: 'evalsha', arity: -3, flags: 'may_replicate ' + EVAL_FLAGS, categories: '@scripting', handler: evalShaCommand,
    getKeys: countedKeys(2, 3), runsScript: true, mayReplicateFor: evalMayReplicate(true, true),
  },
  {
    name: 'eval_ro', arity: -3, flags: 'readonly ' + EVAL_FLAGS, categories: '@scripting', handler: evalRoCommand,
    getKeys: countedKeys(2, 3), runsScript: true, mayReplicateFor: evalMayReplicate(false, false),
  },
  {
    name: 'evalsha_ro', arity: -3, flags: 'readonly ' + EVAL_FLAGS, categories: '@scripting', handler: evalShaRoCommand,
    getKeys: countedKeys(2, 3), runsScript: true, mayReplicateFor: evalMayReplicate(true, false),
  },
  {
    name: 'script',
    arity: -2,
    flags: '',
    categories: '',
    subcommands: [
      { name: 'exists', arity: -3, flags: 'noscript', categories: '@scripting', handler: scriptExistsCommand },
      { name: 'flush', arity: -2, flags: 'noscript', categories: '@scripting', handler: scriptFlushCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@scripting', handler: scriptHelpCommand },
      { name: 'kill', arity: 2, flags: 'noscript allow_busy', categories: '@scripting', handler: scriptKillCommand },
      { name: 'load', arity: 3, flags: 'noscript stale', categories: '@scripting', handler: scriptLoadCommand },
    ],
  },
];
