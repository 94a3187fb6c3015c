/*
 * Redis functions: FUNCTION LOAD|LIST|DELETE|FLUSH|DUMP|RESTORE|STATS|KILL|HELP, FCALL, FCALL_RO.
 * A library is `#!lua name=<lib>` code calling redis.register_function (flags such as no-writes);
 * libraries live for the life of the process. The engine is src/scripting/.
 */
import type { Client } from '../core/client.js';
import type { CommandRow, MayReplicateFor } from '../core/command-types.js';
import { showToMonitors } from '../core/monitor.js';
import { countedKeys } from '../core/movable-keys.js';
import { Err } from '../resp/errors.js';
import { globMatch } from '../engine/glob.js';
import { scriptingOf, type Library, type LuaFunction, type ScriptingState } from '../scripting/scripting-state.js';
import { callScript, loadScript, parseLibraryHeader } from '../scripting/function-library.js';
import { isCompileError, sha1hex } from '../scripting/script-runner.js';
import type { WireValue } from '../scripting/channel.js';
import { dumpLibraries, restorePayload } from '../scripting/function-dump.js';
import { parseNumKeys } from './scripting.js';
import { replyHelp } from './admin.js';

/** How long a library's code may run at FUNCTION LOAD (Redis's load timeout). */
const LOAD_TIMEOUT_MS = 500;

/**
 * Runs a library's code to collect its functions (FUNCTION LOAD, RESTORE). Returns the library,
 * or the error text. Contract: runs Lua for `c`, replies nothing.
 */
export function compileLibrary(c: Client, state: ScriptingState, code: string): Library | string {
  const header = parseLibraryHeader(code);
  if (typeof header === 'string') return header;
  let result: WireValue = null;
  state.runner.run(c, loadScript(code), [], [], {
    readOnly: true,
    mode: 'function',
    name: header.name,
    sha: '',
    checkCompile: true,
    timeoutMs: LOAD_TIMEOUT_MS,
    onDone: (value) => (result = value),
  });
  const value = result as WireValue;
  if (value !== null && typeof value === 'object' && 'err' in value && String(value.err) === Err.FUNCTION_LOAD_TIMEOUT) return Err.FUNCTION_LOAD_TIMEOUT;
  if (value !== null && typeof value === 'object' && 'err' in value) {
    const message = String(value.err).replace(/user_script:/g, 'user_function:');
    if (isCompileError(value)) return Err.COMPILING_FUNCTION(message);
    const code = value.code !== undefined ? String(value.code) : 'ERR';
    return Err.REGISTERING_FUNCTIONS(`${code} ${message}`);
  }
  if (!Array.isArray(value) || value.length === 0) return Err.NO_FUNCTIONS_REGISTERED;
  const lib: Library = { name: header.name, code, functions: new Map() };
  // each registration is [name, description (nil when none), ...flags]
  for (const entry of value as unknown as (string | null)[][]) {
    const name = String(entry[0]);
    const description = entry[1] === null || entry[1] === undefined ? null : String(entry[1]);
    const flags = entry.slice(2).map(String);
    lib.functions.set(name, { name, description, flags, library: lib });
  }
  return lib;
}

/**
 * Adds `lib`, replacing the library of the same name when `replace`; returns the error text on a
 * name collision (nothing changed then).
 */
export function installLibrary(state: ScriptingState, lib: Library, replace: boolean, restoring = false): string | null {
  const old = state.libraries.get(lib.name);
  // FUNCTION RESTORE words it without quotes, as Redis's libraryJoin
  if (old !== undefined && !replace) return restoring ? Err.LIBRARY_EXISTS_RESTORE(lib.name) : Err.LIBRARY_EXISTS(lib.name);
  for (const name of lib.functions.keys()) {
    const other = state.functions.get(name.toLowerCase());
    if (other !== undefined && other.library !== old) return Err.FUNCTION_EXISTS(name);
  }
  if (old !== undefined) state.deleteLibrary(old);
  state.addLibrary(lib);
  return null;
}

/* FUNCTION LOAD [REPLACE] function-code */
function functionLoadCommand(c: Client, argv: string[]): void {
  let replace = false;
  for (let i = 2; i < argv.length - 1; i++) {
    if (argv[i]!.toLowerCase() === 'replace') replace = true;
    else return c.reply.error(Err.FUNCTION_UNKNOWN_OPTION(argv[i]!));
  }
  const state = scriptingOf(c.server);
  const code = argv[argv.length - 1]!;
  const header = parseLibraryHeader(code);
  if (typeof header === 'string') return c.reply.error(header);
  if (!replace && state.libraries.has(header.name)) return c.reply.error(Err.LIBRARY_EXISTS(header.name));
  const lib = compileLibrary(c, state, code);
  if (typeof lib === 'string') return c.reply.error(lib);
  const err = installLibrary(state, lib, replace);
  if (err !== null) return c.reply.error(err);
  c.server.keyspace.datasetChanged();
  c.reply.bulk(lib.name);
}

/* FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
function functionListCommand(c: Client, argv: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!.toLowerCase();
    if (arg === 'withcode' && !withCode) {
      withCode = true;
    } else if (arg === 'libraryname' && pattern === null) {
      if (i + 1 >= argv.length) return c.reply.error(Err.LIBRARY_NAME_ARGUMENT_MISSING);
      pattern = argv[++i]!;
    } else {
      return c.reply.error(Err.FUNCTION_UNKNOWN_ARGUMENT(argv[i]!));
    }
  }
  const libs = [...scriptingOf(c.server).libraries.values()].filter((l) => pattern === null || globMatch(pattern, l.name));
  const r = c.reply;
  r.array(libs.length);
  for (const lib of libs) {
    r.map(withCode ? 4 : 3);
    r.bulk('library_name');
    r.bulk(lib.name);
    r.bulk('engine');
    r.bulk('LUA');
    r.bulk('functions');
    r.array(lib.functions.size);
    for (const fn of lib.functions.values()) {
      r.map(3);
      r.bulk('name');
      r.bulk(fn.name);
      r.bulk('description');
      if (fn.description === null) r.nil();
      else r.bulk(fn.description);
      r.bulk('flags');
      r.set(fn.flags.length);
      for (const f of fn.flags) r.simple(f);
    }
    if (withCode) {
      r.bulk('library_code');
      r.bulk(lib.code);
    }
  }
}

/* FUNCTION DELETE library-name */
function functionDeleteCommand(c: Client, argv: string[]): void {
  const state = scriptingOf(c.server);
  const lib = state.libraries.get(argv[2]!);
  if (lib === undefined) return c.reply.error(Err.LIBRARY_NOT_FOUND);
  state.deleteLibrary(lib);
  c.server.keyspace.datasetChanged();
  c.reply.ok();
}

/* FUNCTION FLUSH [ASYNC|SYNC] */
function functionFlushCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'FUNCTION'));
  if (argv.length === 3 && !['async', 'sync'].includes(argv[2]!.toLowerCase())) return c.reply.error(Err.FUNCTION_FLUSH_OPTION);
  scriptingOf(c.server).flushFunctions();
  c.server.keyspace.datasetChanged();
  c.reply.ok();
}

/* FUNCTION DUMP */
function functionDumpCommand(c: Client): void {
  c.reply.bulk(dumpLibraries([...scriptingOf(c.server).libraries.values()]));
}

/* FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE] */
function functionRestoreCommand(c: Client, argv: string[]): void {
  if (argv.length > 4) return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'FUNCTION'));
  const policy = argv.length === 4 ? argv[3]!.toLowerCase() : 'append';
  if (policy !== 'flush' && policy !== 'append' && policy !== 'replace') return c.reply.error(Err.RESTORE_POLICY);
  const codes = restorePayload(argv[2]!);
  if (codes === null) return c.reply.error(Err.DUMP_PAYLOAD);
  const state = scriptingOf(c.server);
  const libs: Library[] = [];
  for (const code of codes) {
    const lib = compileLibrary(c, state, code);
    if (typeof lib === 'string') return c.reply.error(lib);
    libs.push(lib);
  }
  // all or nothing: check collisions against what will remain before changing anything
  const before = new Map(state.libraries);
  const beforeFns = new Map(state.functions);
  if (policy === 'flush') state.flushFunctions();
  for (const lib of libs) {
    const err = installLibrary(state, lib, policy === 'replace', true);
    if (err !== null) {
      state.flushFunctions();
      for (const old of before.values()) state.libraries.set(old.name, old);
      for (const [name, fn] of beforeFns) state.functions.set(name, fn);
      return c.reply.error(err);
    }
  }
  c.server.keyspace.datasetChanged();
  c.reply.ok();
}

/* FUNCTION STATS */
function functionStatsCommand(c: Client): void {
  const state = scriptingOf(c.server);
  const run = state.runner.running;
  const r = c.reply;
  r.map(2);
  r.bulk('running_script');
  if (run === null || !run.busy) {
    r.nil();
  } else {
    r.map(3);
    r.bulk('name');
    r.bulk(run.name);
    r.bulk('command');
    r.bulks(run.argv);
    r.bulk('duration_ms');
    r.int(Math.max(0, Math.round(c.server.clock.now() - run.startedAt)));
  }
  r.bulk('engines');
  r.map(1);
  r.bulk('LUA');
  r.map(2);
  r.bulk('libraries_count');
  r.int(state.libraries.size);
  r.bulk('functions_count');
  r.int(state.functions.size);
}

/* FUNCTION KILL */
function functionKillCommand(c: Client): void {
  scriptingOf(c.server).runner.kill(c, 'function');
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

/* FUNCTION HELP */
function functionHelpCommand(c: Client): void {
  replyHelp(c, 'FUNCTION', FUNCTION_HELP);
}

/*
 * FCALL function numkeys [key [key ...]] [arg [arg ...]]
 * FCALL_RO: the same, for functions flagged no-writes only.
 */
function fcallGeneric(c: Client, argv: string[], readOnly: boolean): void {
  // shown before the commands the function calls, even if it does not run (skip_monitor)
  showToMonitors(c, argv);
  const state = scriptingOf(c.server);
  const fn = state.functions.get(argv[1]!.toLowerCase());
  if (fn === undefined) return c.reply.error(Err.FUNCTION_NOT_FOUND);
  const numkeys = parseNumKeys(argv, Err.FCALL_BAD_NUMKEYS);
  if (typeof numkeys === 'string') return c.reply.error(numkeys);
  const noWrites = fn.flags.includes('no-writes');
  if (readOnly && !noWrites) return c.reply.error(Err.RO_WITH_WRITE_FLAG);
  c.rewrite();
  const script = scriptOf(fn);
  state.runner.run(c, script, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys), {
    readOnly: noWrites,
    mode: 'function',
    name: fn.name,
    sha: sha1hex(script),
    checkCompile: false,
    argv,
  });
}

const wrappers = new WeakMap<LuaFunction, string>();

/** The Lua that runs `fn` (built once per function). */
function scriptOf(fn: LuaFunction): string {
  let s = wrappers.get(fn);
  if (s === undefined) {
    s = callScript(fn.library.code, fn.name);
    wrappers.set(fn, s);
  }
  return s;
}

function fcallCommand(c: Client, argv: string[]): void {
  fcallGeneric(c, argv, false);
}

function fcallRoCommand(c: Client, argv: string[]): void {
  fcallGeneric(c, argv, true);
}

/**
 * Whether an FCALL invocation may replicate (Redis's fcallGetCommandFlags): a function by its
 * flags (it writes unless flagged no-writes), an unknown one by the row's flags (`byRow`).
 */
function fcallMayReplicate(byRow: boolean): MayReplicateFor {
  return (c, argv) => {
    const fn = scriptingOf(c.server).functions.get(argv[1]!.toLowerCase());
    return fn === undefined ? byRow : !fn.flags.includes('no-writes');
  };
}

const FCALL_FLAGS = 'noscript stale skip_monitor no_mandatory_keys movablekeys';

export const functionCommands: CommandRow[] = [
  {
    name: 'fcall', arity: -3, flags: 'may_replicate ' + FCALL_FLAGS, categories: '@scripting', handler: fcallCommand,
    getKeys: countedKeys(2, 3), runsScript: true, mayReplicateFor: fcallMayReplicate(true),
  },
  {
    name: 'fcall_ro', arity: -3, flags: 'readonly ' + FCALL_FLAGS, categories: '@scripting', handler: fcallRoCommand,
    getKeys: countedKeys(2, 3), runsScript: true, mayReplicateFor: fcallMayReplicate(false),
  },
  {
    name: 'function',
    arity: -2,
    flags: '',
    categories: '',
    subcommands: [
      { name: 'delete', arity: 3, flags: 'write noscript', categories: '@scripting', handler: functionDeleteCommand },
      { name: 'dump', arity: 2, flags: 'noscript', categories: '@scripting', handler: functionDumpCommand },
      { name: 'flush', arity: -2, flags: 'write noscript', categories: '@scripting', handler: functionFlushCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@scripting', handler: functionHelpCommand },
      { name: 'kill', arity: 2, flags: 'noscript allow_busy', categories: '@scripting', handler: functionKillCommand },
      { name: 'list', arity: -2, flags: 'noscript', categories: '@scripting', handler: functionListCommand },
      { name: 'load', arity: -3, flags: 'write denyoom noscript', categories: '@scripting', handler: functionLoadCommand },
      { name: 'restore', arity: -3, flags: 'write denyoom noscript', categories: '@scripting', handler: functionRestoreCommand },
      { name: 'stats', arity: 2, flags: 'noscript allow_busy', categories: '@scripting', handler: functionStatsCommand },
    ],
  },
];
