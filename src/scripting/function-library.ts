/*
 * Function libraries (FUNCTION LOAD): the `#!lua name=<lib>` header, and the Lua the engine runs
 * for a library. lua-redis-wasm runs one script per call with no persistent Lua state of its own,
 * so a library is run from its code each time:
 *  - at FUNCTION LOAD, with a `redis` table holding only what Redis offers at load time
 *    (register_function, log, LOG_*), collecting the registrations (name, flags) it makes;
 *  - at FCALL, with `redis.register_function` keeping only the callback of the called function,
 *    which is then called with KEYS and ARGV.
 * The library's code keeps its line numbers (the header line is replaced by the wrapper's
 * prologue, on one line), so error texts name the lines Redis names.
 */
import { Err } from '../resp/errors.js';

export interface LibraryHeader {
  name: string;
}

const NAME_RE = /^[A-Za-z0-9_]+$/;

/** Parses `#!<engine> name=<lib>`; returns the error text when it is invalid. */
export function parseLibraryHeader(code: string): LibraryHeader | string {
  if (!code.startsWith('#!')) return Err.MISSING_LIBRARY_METADATA;
  const eol = code.indexOf('\n');
  const line = eol < 0 ? code : code.slice(0, eol);
  const parts = line.split(' ').filter((p) => p !== '');
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (!part.startsWith('name=')) return Err.INVALID_METADATA(part);
    name = part.slice(5);
  }
  if (engine.toLowerCase() !== 'lua') return Err.ENGINE_NOT_FOUND(engine);
  if (name === null) return Err.LIBRARY_NAME_MISSING;
  if (!NAME_RE.test(name)) return Err.LIBRARY_NAME_CHARS;
  return { name };
}

/** Whether `name` is a valid function (or library) name. */
export function validName(name: string): boolean {
  return NAME_RE.test(name);
}

/** The library's code after its header line (the newline kept, so lines keep their numbers). */
function bodyOf(code: string): string {
  const eol = code.indexOf('\n');
  return eol < 0 ? '' : code.slice(eol);
}

/** A Lua string literal for a byte string. */
function luaString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    out += ch >= 0x20 && ch < 0x7f && ch !== 0x22 && ch !== 0x5c ? s[i] : '\\' + ch.toString().padStart(3, '0');
  }
  return out + '"';
}

const FLAGS = "{['no-writes']=true, ['allow-oom']=true, ['allow-stale']=true, ['no-cluster']=true, ['allow-cross-slot-keys']=true}";

/**
 * The script run at FUNCTION LOAD: returns `{ {name, flag, …}, … }`, one entry per registered
 * function, or fails with Redis's registration error texts.
 */
export function loadScript(code: string): string {
  const register =
    'function(...) ' +
    "local n = select('#', ...) local a, b = ... local name, cb, flags " +
    "if n == 1 then if type(a) ~= 'table' then __kv_fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).') end " +
    "for k, _ in pairs(a) do if k ~= 'function_name' and k ~= 'callback' and k ~= 'flags' and k ~= 'description' then __kv_fail('unknown argument given to redis.register_function') end end " +
    "name = a.function_name cb = a.callback flags = a.flags " +
    "if name == nil then __kv_fail('redis.register_function must get a function name argument') end " +
    "if cb == nil then __kv_fail('redis.register_function must get a callback argument') end " +
    "if type(name) ~= 'string' and type(name) ~= 'number' then __kv_fail('function_name argument given to redis.register_function must be a string') end " +
    "if type(cb) ~= 'function' then __kv_fail('callback argument given to redis.register_function must be a function') end " +
    "if flags ~= nil and type(flags) ~= 'table' then __kv_fail('flags argument to redis.register_function must be a table representing function flags') end " +
    "elseif n == 2 then name = a cb = b " +
    "if type(name) ~= 'string' and type(name) ~= 'number' then __kv_fail('first argument to redis.register_function must be a string') end " +
    "if type(cb) ~= 'function' then __kv_fail('second argument to redis.register_function must be a function') end " +
    "else __kv_fail('wrong number of arguments to redis.register_function') end " +
    'name = tostring(name) ' +
    "if not string.find(name, '^[%w_]+$') then __kv_fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long') end " +
    "if __kv_seen[name] then __kv_fail('Function already exists in the library') end __kv_seen[name] = true " +
    'local entry = {name} ' +
    "if flags ~= nil then for _, f in ipairs(flags) do if type(f) ~= 'string' or not __kv_flags[f] then __kv_fail('unknown flag given') end table.insert(entry, f) end end " +
    'table.insert(__kv_registered, entry) end';
  const prologue =
    'local __kv_registered = {} local __kv_seen = {} local __kv_flags = ' +
    FLAGS +
    ' local __kv_fail = function(m) error(m, 0) end local __kv_real = redis ' +
    'local redis = setmetatable({register_function = ' +
    register +
    ', log = __kv_real.log, LOG_DEBUG = __kv_real.LOG_DEBUG, LOG_VERBOSE = __kv_real.LOG_VERBOSE, LOG_NOTICE = __kv_real.LOG_NOTICE, LOG_WARNING = __kv_real.LOG_WARNING}, ' +
    "{__index = function(_, k) error(\"Script attempted to access nonexistent global variable '\" .. tostring(k) .. \"'\", 2) end}); (function()";
  return prologue + bodyOf(code) + '\nend)() return __kv_registered';
}

/** The script run by FCALL of `fn` in the library `code`: its result is the function's. */
export function callScript(code: string, fn: string): string {
  const prologue =
    'local __kv_fn local __kv_want = ' +
    luaString(fn) +
    ' local __kv_real = redis local redis = setmetatable({register_function = function(a, b) ' +
    "if type(a) == 'table' then if tostring(a.function_name) == __kv_want then __kv_fn = a.callback end elseif tostring(a) == __kv_want then __kv_fn = b end end}, " +
    '{__index = __kv_real}); (function()';
  // parenthesized: a script's result is its first return value only, as Redis calls it
  return prologue + bodyOf(code) + '\nend)() return (__kv_fn(KEYS, ARGV))';
}
