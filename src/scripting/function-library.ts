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
import { splitArgs } from '../resp/quoting.js';
import { needsPlain, PLAIN } from './eval-chunk.js';

export interface LibraryHeader {
  name: string;
}

const NAME_RE = /^[A-Za-z0-9_]+$/;

/**
 * Parses `#!<engine> name=<lib>` as Redis's functionExtractLibMetaData: the line split as
 * sdssplitargs splits (quotes allowed), `name=` in any case, once. Returns the error text when it
 * is invalid.
 */
export function parseLibraryHeader(code: string): LibraryHeader | string {
  if (!code.startsWith('#!')) return Err.MISSING_LIBRARY_METADATA;
  const eol = code.indexOf('\n');
  if (eol < 0) return Err.INVALID_LIBRARY_METADATA;
  const parts = splitArgs(code.slice(0, eol));
  if (parts === null || parts.length === 0) return Err.INVALID_LIBRARY_METADATA;
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() !== 'name=') return Err.INVALID_METADATA(part);
    if (name !== null) return Err.LIBRARY_NAME_TWICE;
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
    "local n = select('#', ...) local a, b = ... local name, cb, flags, desc " +
    "if n == 1 then if type(a) ~= 'table' then __kv_fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).') end " +
    "for k, _ in pairs(a) do if k ~= 'function_name' and k ~= 'callback' and k ~= 'flags' and k ~= 'description' then __kv_fail('unknown argument given to redis.register_function') end end " +
    "name = a.function_name cb = a.callback flags = a.flags desc = a.description " +
    "if desc ~= nil and type(desc) ~= 'string' and type(desc) ~= 'number' then __kv_fail('description argument given to redis.register_function must be a string') end " +
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
    'local entry = {name, desc ~= nil and tostring(desc) or false} ' +
    "if flags ~= nil then for _, f in ipairs(flags) do if type(f) ~= 'string' or not __kv_flags[f] then __kv_fail('unknown flag given') end table.insert(entry, f) end end " +
    'table.insert(__kv_registered, entry) end';
  // the load-time globals hold only `redis` (register_function, log, the LOG_* levels and the
  // version), read-only, as Redis's LIBRARY_API. The engine keeps no setfenv, so every other
  // global is shadowed by a local that raises Redis's "nonexistent global" error when used
  const prologue =
    'local __kv_registered = {} local __kv_seen = {} local __kv_flags = ' +
    FLAGS +
    ' local __kv_fail = function(m) error(m, 0) end local __kv_real = redis ' +
    'local __kv_api = {register_function = ' +
    register +
    ', log = __kv_real.log, LOG_DEBUG = __kv_real.LOG_DEBUG, LOG_VERBOSE = __kv_real.LOG_VERBOSE, LOG_NOTICE = __kv_real.LOG_NOTICE, LOG_WARNING = __kv_real.LOG_WARNING, ' +
    'REDIS_VERSION = __kv_real.REDIS_VERSION, REDIS_VERSION_NUM = __kv_real.REDIS_VERSION_NUM} ' +
    PRELUDE +
    'local redis = setmetatable({}, {__index = function(_, k) local v = __kv_api[k] if v == nil then ' +
    NONEXISTENT +
    ' end return v end, __newindex = __kv_ro}) ' +
    shadows(LOAD_HIDDEN) +
    '; (function()';
  return prologue + bodyOf(code) + '\nend)() return __kv_registered';
}

/** Lua: `error` as the engine's globals protection words a read of a missing global `k`, at the reader's line. */
const NONEXISTENT = "error(\"Script attempted to access nonexistent global variable '\" .. tostring(k) .. \"'\", 2)";

/**
 * Lua: `__kv_ro`, the __newindex of a read-only table, worded as Redis's readonly tables, and
 * `__kv_missing(name)`, a stand-in for a global that is not there: reading from it, calling it
 * or writing to it raises Redis's error naming it, at the user's line. Returned as a reply it is
 * an empty array, as Redis converts a table: the engine reads a reply's shape fields (`err`,
 * `ok`…) through metamethods, and an error raised there would abort the engine.
 */
const PRELUDE =
  "local __kv_ro = function() error('Attempt to modify a readonly table', 2) end " +
  "local __kv_shape = {err = true, ok = true, double = true, map = true, set = true, big_number = true, verbatim_string = true} " +
  "local __kv_missing = function(k) local fail = function(_, f) if __kv_shape[f] then return nil end " +
  NONEXISTENT +
  ' end return setmetatable({}, {__index = fail, __call = fail, __newindex = fail}) end ';

/** The globals a library cannot see while it loads (all of Redis's but `redis`), and KEYS/ARGV. */
const LOAD_HIDDEN = [
  'string', 'cjson', 'bit', 'cmsgpack', 'math', 'table', 'struct', 'xpcall', 'tostring', 'setmetatable', 'next', 'assert', 'tonumber',
  'rawequal', 'collectgarbage', 'getmetatable', 'rawset', 'pcall', 'coroutine', 'type', '_G', 'select', 'unpack', 'gcinfo', 'pairs',
  'rawget', 'loadstring', 'ipairs', '_VERSION', 'load', 'error', 'KEYS', 'ARGV',
];

/** Lua: locals shadowing each global of `names` with a `__kv_missing` stand-in. */
function shadows(names: readonly string[]): string {
  return `local ${names.join(', ')} = ${names.map((n) => `__kv_missing('${n}')`).join(', ')} `;
}

/**
 * The script run by FCALL of `fn` in the library `code`: the library's body runs again (the
 * engine keeps no state between calls) with a `redis` whose register_function keeps the wanted
 * callback; then `redis` becomes the real, read-only one and the callback is called with KEYS and
 * ARGV. The body and its functions see the globals read-only, without KEYS and ARGV (a function
 * gets them as arguments), as Redis runs functions. Its result is the function's.
 */
export function callScript(code: string, fn: string): string {
  const prologue =
    'local __kv_fn local __kv_want = string.lower(' +
    luaString(fn) +
    ') local __kv_real = redis local __kv_keys, __kv_argv = KEYS, ARGV ' +
    PRELUDE +
    'local redis = setmetatable({register_function = function(a, b) local name, cb ' +
    "if type(a) == 'table' then name, cb = a.function_name, a.callback else name, cb = a, b end " +
    'if __kv_fn == nil and string.lower(tostring(name)) == __kv_want then __kv_fn = cb end end}, ' +
    '{__index = __kv_real, __newindex = __kv_ro}) ' +
    shadows(['KEYS', 'ARGV']) +
    '; (function()';
  // then the functions see the real, read-only `redis` (no register_function); parenthesized: a
  // script's result is its first return value only, as Redis calls it
  if (needsPlain(code)) return PLAIN + prologue + bodyOf(code) + '\nend)() redis = __kv_real return __kv_plain((__kv_fn(__kv_keys, __kv_argv)), 0)';
  return prologue + bodyOf(code) + '\nend)() redis = __kv_real return (__kv_fn(__kv_keys, __kv_argv))';
}
