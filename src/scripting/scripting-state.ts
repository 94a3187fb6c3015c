/*
 * A server's scripting state: the script cache (EVAL/SCRIPT LOAD, for the life of the process or
 * until SCRIPT FLUSH), the function libraries (FUNCTION LOAD) and the Lua runner.
 */
import type { ServerContext } from '../core/server-context.js';
import { ScriptRunner } from './script-runner.js';

/** Redis's function flags (also accepted in an EVAL script's `#!lua flags=` shebang). */
export const SCRIPT_FLAGS = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'] as const;

export interface LuaFunction {
  name: string;
  /** register_function's `description`, null without one */
  description: string | null;
  flags: string[];
  library: Library;
}

export interface Library {
  name: string;
  code: string;
  /** by name as registered (a library's own names are case-sensitive, as Redis's) */
  functions: Map<string, LuaFunction>;
}

/** An EVAL script ready to run: its shebang parsed, its body wrapped as the engine runs it. */
export interface PreparedScript {
  /** the shebang's flags; null without one */
  flags: string[] | null;
  noWrites: boolean;
  /** the body Lua compiles (shebang line blanked) */
  source: string;
  /** what the engine runs (eval-chunk.ts) */
  lua: string;
}

export class ScriptingState {
  /** sha1 → script body */
  readonly scripts = new Map<string, string>();
  /** sha1 → the script prepared (a cache: emptied with `scripts`) */
  readonly prepared = new Map<string, PreparedScript>();
  /** shas the engine has compiled without error at least once */
  readonly compiled = new Set<string>();
  readonly libraries = new Map<string, Library>();
  /** every library's functions by lowercased name: FCALL finds them whatever the case, as Redis */
  readonly functions = new Map<string, LuaFunction>();
  readonly runner: ScriptRunner;

  constructor(server: ServerContext) {
    this.runner = new ScriptRunner(server);
  }

  /** Adds a library (its functions must not collide with another library's: checked by the caller). */
  addLibrary(lib: Library): void {
    this.libraries.set(lib.name, lib);
    // the server's function names are case-insensitive (Redis's functions dictionary): the first
    // of a library's names that differ only in case is the one found
    for (const fn of lib.functions.values()) {
      const key = fn.name.toLowerCase();
      if (!this.functions.has(key)) this.functions.set(key, fn);
    }
  }

  deleteLibrary(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const fn of lib.functions.values()) {
      const key = fn.name.toLowerCase();
      if (this.functions.get(key)?.library === lib) this.functions.delete(key);
    }
  }

  flushFunctions(): void {
    this.libraries.clear();
    this.functions.clear();
  }
}

/** The server's scripting state, created on first use. */
export function scriptingOf(server: ServerContext): ScriptingState {
  let s = server.scripting as ScriptingState | null;
  if (s === null) {
    s = new ScriptingState(server);
    server.scripting = s;
  }
  return s;
}
