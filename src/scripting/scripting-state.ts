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
  flags: string[];
  library: Library;
}

export interface Library {
  name: string;
  code: string;
  functions: Map<string, LuaFunction>;
}

/** An EVAL script ready to run: its shebang parsed, its body wrapped as the engine runs it. */
export interface PreparedScript {
  /** the shebang's flags; null without one */
  flags: string[] | null;
  noWrites: boolean;
  /** the body Lua compiles (shebang line blanked) */
  source: string;
  /** what the engine runs (scripting.ts firstResultOnly) */
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
  readonly functions = new Map<string, LuaFunction>();
  readonly runner: ScriptRunner;

  constructor(server: ServerContext) {
    this.runner = new ScriptRunner(server);
  }

  /** Adds a library (its functions must not collide with another library's: checked by the caller). */
  addLibrary(lib: Library): void {
    this.libraries.set(lib.name, lib);
    for (const fn of lib.functions.values()) this.functions.set(fn.name, fn);
  }

  deleteLibrary(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const name of lib.functions.keys()) this.functions.delete(name);
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
