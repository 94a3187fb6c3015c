/*
 * The Lua chunk the engine runs for an EVAL script body.
 *
 * Two things differ between lua-redis-wasm's sandbox and Redis 7.0's, and are mended here in Lua,
 * on the chunk's first line (so that the script's lines keep their numbers):
 *
 *  - Redis replaces `pcall` with one that turns an error table into its `err` string, and its
 *    engine errors carry Redis's texts. The engine raises a coded marker for a read of a missing
 *    global (`__RLUA_E__:global-read:<name>`) and for a bad redis.call argument
 *    (`__RLUA_E__:command-arg-type`), which it words itself when they end the script but which
 *    `pcall` / `xpcall` would hand to the script as they are. Scripts that name `pcall` (which
 *    `redis.pcall` and `xpcall` contain) get local `pcall` / `xpcall` that word them as Redis.
 *    redis.pcall returns Redis's error value for a bad argument where the engine raises.
 *  - `redis.error_reply`, `redis.status_reply` and `redis.sha1hex` check and word their
 *    arguments as Redis's (error_reply takes the code up to the first space, `ERR` when there is
 *    none, a leading `-` dropped; a wrong argument is the error value `wrong number or type of
 *    arguments`; sha1hex raises `wrong number of arguments`). Scripts that name one of them get a
 *    local `redis` whose members are those, the rest the real read-only `redis`'s.
 *
 * A script that names none of these runs as it is: the prologue is compiled with the script on
 * every call (the engine keeps no compiled code between calls), so it is added only where needed.
 *
 * An error the prologue raises for the script names the script's line in a private prefix
 * (`\x01<line>:`), since the engine reports the line of the innermost Lua code, which would be
 * the prologue's; `scriptErrorLine` reads it back, and the local `pcall` drops it.
 *
 * Redis calls a script for one result: `return pcall(…)` answers its first value, where the engine
 * keeps the last. Each `return` of the chunk itself (not of a function inside it) is made to give
 * its first value only: `return (x)`, or for a list `return ((function(v) return v end)(a, b))`
 * (every value still evaluated). Rewriting the returns, rather than running the body as a function
 * whose first result is taken, spares the engine a function to compile and call on every run
 * (~9k of the ~49k instructions of `return redis.call('INCR', KEYS[1])`) and keeps the chunk a
 * vararg function, as Redis's (`...` is usable). It also keeps `return f()` from being a tail
 * call, as it is not in Redis when f is one of its C functions, so an error raised in f names the
 * script's line. A body the scanner does not understand (it gives up at anything malformed; the
 * compile check reports those) runs as a function as before.
 */

/** Lua: the marker texts as Redis words them (`__kv_word`), pcall's error value (`__kv_fix`). */
const WORDING =
  "local __kv_word = function(e) if type(e) ~= 'string' then return e end " +
  "if string.byte(e, 1) == 1 then return (string.gsub(e, '^\\1%d+:', '')) end " +
  "local i = string.find(e, '__RLUA_E__:', 1, true) if i == nil then return e end " +
  'local kind = string.sub(e, i + 11) ' +
  "if string.sub(kind, 1, 12) == 'global-read:' then return string.sub(e, 1, i - 1) .. \"Script attempted to access nonexistent global variable '\" .. string.sub(kind, 13) .. \"'\" end " +
  "if kind == 'command-arg-type' then return string.sub(e, 1, i - 1) .. 'ERR Lua redis lib command arguments must be strings or integers' end " +
  'return e end ' +
  "local __kv_fix = function(e) if type(e) == 'table' then local m = e.err if type(m) == 'string' or type(m) == 'number' then return m end return e end return __kv_word(e) end ";

/** Lua: local `pcall` and `xpcall` (Redis 7.0's pcall: error tables become their `err`). */
const PCALL =
  'local __kv_pcall, __kv_xpcall = pcall, xpcall ' +
  'local __kv_ret = function(ok, ...) if ok then return ok, ... end return ok, __kv_fix((...)) end ' +
  'local pcall = function(...) return __kv_ret(__kv_pcall(...)) end ' +
  "local xpcall = function(f, h) if type(h) ~= 'function' then return __kv_xpcall(f, h) end return __kv_xpcall(f, function(e) return h(__kv_word(e)) end) end ";

/** Lua: a local `redis` with Redis's argument checks for the members that differ. */
const REDIS =
  'local __kv_real, __kv_rawpcall = redis, pcall ' +
  // the prefix names the line of the script's call: level 4 from `error` is the member's caller
  "local __kv_raise = function(m) local _, w = __kv_rawpcall(error, '', 4) error('\\1' .. (string.match(w, ':(%d+): $') or '1') .. ':' .. m, 0) end " +
  "local __kv_args = {err = 'ERR wrong number or type of arguments'} " +
  // members not raw in the proxy: assigning one raises as assigning any other member does
  "local redis = setmetatable({}, {__newindex = function() error('Attempt to modify a readonly table', 2) end, __index = setmetatable({" +
  'error_reply = function(...) local e = ... ' +
  "if select('#', ...) ~= 1 or type(e) ~= 'string' then return {err = __kv_args.err} end " +
  "e = string.match(e, '^[^%z]*') if string.sub(e, 1, 1) == '-' then e = string.sub(e, 2) end " +
  "local code, msg = 'ERR', e local sp = string.find(e, ' ', 1, true) " +
  'if sp then code, msg = string.sub(e, 1, sp - 1), string.sub(e, sp + 1) end ' +
  "msg = string.gsub(string.gsub(msg, '^[\\r\\n]+', ''), '[\\r\\n]+$', '') " +
  "return {err = code .. ' ' .. msg} end, " +
  'status_reply = function(...) local s = ... ' +
  "if select('#', ...) ~= 1 or type(s) ~= 'string' then return {err = __kv_args.err} end return {ok = s} end, " +
  'sha1hex = function(...) local s = ... ' +
  "if select('#', ...) ~= 1 then __kv_raise('ERR wrong number of arguments') end " +
  "if type(s) ~= 'string' and type(s) ~= 'number' then s = '' end return __kv_real.sha1hex(s) end, " +
  'pcall = function(...) local ok, r = __kv_rawpcall(__kv_real.pcall, ...) if ok then return r end ' +
  "if r == '__RLUA_E__:command-arg-type' then return {err = 'ERR Lua redis lib command arguments must be strings or integers'} end error(r, 0) end" +
  '}, {__index = __kv_real})}) ';

/**
 * Lua: `__kv_plain(v, 0)` is v, or — when v or a table inside it has a metatable — a copy without
 * any, read rawly. Redis converts a script's result with raw reads; the engine's conversion goes
 * through metamethods, and one that raises there (`_G`'s read guard, a script's own `__index`)
 * is an unprotected error that aborts the engine. Only scripts that name `_G` or `setmetatable`
 * can return such a table, so only they get this (`needsPlain`).
 */
export const PLAIN =
  'local __kv_plain __kv_plain = function(v, d) if type(v) ~= \'table\' or d > 64 then return v end ' +
  'local fixed = nil for k, x in next, v do if type(x) == \'table\' then local y = __kv_plain(x, d + 1) ' +
  'if y ~= x then fixed = fixed or {} fixed[k] = y end end end ' +
  'if getmetatable(v) == nil and fixed == nil then return v end ' +
  'local c = {} for k, x in next, v do c[k] = x end if fixed then for k, y in next, fixed do c[k] = y end end return c end ';

/** Whether a script (or library) can return a table with a metatable: see PLAIN. */
export function needsPlain(lua: string): boolean {
  return /\b_G\b|setmetatable/.test(lua);
}

/** What the engine runs for the EVAL script body `lua` (its shebang line blanked). */
export function evalChunk(lua: string): string {
  const usesPcall = lua.includes('pcall');
  const usesRedisMembers = usesPcall || /error_reply|status_reply|sha1hex/.test(lua);
  const plain = needsPlain(lua);
  let prologue = '';
  if (usesPcall || usesRedisMembers) prologue += WORDING;
  // `redis` first: its members use the real pcall
  if (usesRedisMembers) prologue += REDIS;
  if (usesPcall) prologue += PCALL;
  if (plain) prologue += PLAIN;
  const body = firstResultReturns(lua, plain);
  if (body !== null) return prologue + body;
  return plain ? `${prologue}return __kv_plain(((function() ${lua}\nend)()), 0)` : `${prologue}return ((function() ${lua}\nend)())`;
}

/**
 * The script line an error raised by the prologue names (`\x01<line>:<message>`), and the message
 * without it; null for any other error text.
 */
export function scriptErrorLine(message: string): { line: number; message: string } | null {
  if (message.charCodeAt(0) !== 1) return null;
  const m = /^\x01(\d+):/.exec(message);
  if (m === null) return null;
  return { line: Number(m[1]), message: message.slice(m[0].length) };
}

const KEYWORDS_OPEN = new Set(['function', 'do', 'if', 'repeat']);
const KEYWORDS_CLOSE = new Set(['end', 'until']);
/** what may follow a `return`'s expression list: the end of its block */
const ENDS_RETURN = new Set([';', 'end', 'else', 'elseif', 'until']);

/** A token of Lua 5.1: its text (strings are `"`, numbers `0`) and where it is in the source. */
interface Token {
  t: string;
  start: number;
  end: number;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER_PART = /[0-9A-Za-z_.]/;
const OPERATORS = '+-*/%^#<>=(){}[];:,.';

/** The end of the long bracket (`[[…]]`, `[==[…]==]`) opening at `at`: -1 if none opens there, -2 if unclosed. */
function longBracketEnd(s: string, at: number): number {
  let j = at + 1;
  while (s[j] === '=') j++;
  if (s[j] !== '[') return -1;
  const close = ']' + '='.repeat(j - at - 1) + ']';
  const e = s.indexOf(close, j + 1);
  return e < 0 ? -2 : e + close.length;
}

/** The tokens of `s` as Lua 5.1's lexer reads them (comments and spaces skipped); null at anything malformed. */
function tokens(s: string): Token[] | null {
  const out: Token[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    const start = i;
    if (c === '-' && s[i + 1] === '-') {
      if (s[i + 2] === '[') {
        const e = longBracketEnd(s, i + 2);
        if (e === -2) return null;
        if (e > 0) {
          i = e;
          continue;
        }
      }
      const eol = s.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      for (i++; i < n && s[i] !== c; i++) {
        if (s[i] === '\\') i++;
        else if (s[i] === '\n') return null;
      }
      if (i >= n) return null;
      out.push({ t: '"', start, end: ++i });
      continue;
    }
    if (c === '[') {
      const e = longBracketEnd(s, i);
      if (e === -2) return null;
      if (e > 0) {
        out.push({ t: '"', start, end: (i = e) });
        continue;
      }
    }
    if (NAME_START.test(c)) {
      while (i < n && NAME_PART.test(s[i]!)) i++;
      out.push({ t: s.slice(start, i), start, end: i });
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(s[i + 1] ?? ''))) {
      // as Lua's lexer: digits, dots and letters (hex, exponents), a sign after an exponent
      while (i < n && (NUMBER_PART.test(s[i]!) || ((s[i] === '+' || s[i] === '-') && (s[i - 1] === 'e' || s[i - 1] === 'E')))) i++;
      out.push({ t: '0', start, end: i });
      continue;
    }
    const two = s.slice(i, i + 2);
    const op = s.startsWith('...', i) ? '...' : ['..', '==', '~=', '<=', '>='].includes(two) ? two : OPERATORS.includes(c) ? c : null;
    if (op === null) return null;
    out.push({ t: op, start, end: (i += op.length) });
  }
  return out;
}

/** `lua` with each return of the chunk itself giving its first value only; null if not understood. */
function firstResultReturns(lua: string, plain: boolean): string | null {
  const open = plain ? '__kv_plain((' : '(';
  const close = plain ? '), 0)' : ')';
  const toks = tokens(lua);
  if (toks === null) return null;
  /** the open blocks, true for a function body */
  const blocks: boolean[] = [];
  let functions = 0;
  const edits: Array<[number, string]> = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!.t;
    if (KEYWORDS_OPEN.has(t)) {
      blocks.push(t === 'function');
      if (t === 'function') functions++;
    } else if (KEYWORDS_CLOSE.has(t)) {
      if (blocks.length === 0) return null;
      if (blocks.pop()) functions--;
    } else if (t === 'return' && functions === 0) {
      // the expression list: up to the end of the block, outside brackets and inner blocks
      let j = i + 1;
      let depth = 0;
      let commas = 0;
      for (; j < toks.length; j++) {
        const u = toks[j]!.t;
        if (depth === 0 && ENDS_RETURN.has(u)) break;
        if (u === '(' || u === '[' || u === '{' || KEYWORDS_OPEN.has(u)) depth++;
        else if (u === ')' || u === ']' || u === '}' || KEYWORDS_CLOSE.has(u)) depth--;
        else if (u === ',' && depth === 0) commas++;
        if (depth < 0) return null;
      }
      if (depth !== 0) return null;
      if (j > i + 1) {
        edits.push([toks[i + 1]!.start, commas === 0 ? open : `${open}(function(v) return v end)(`]);
        edits.push([toks[j - 1]!.end, commas === 0 ? close : `)${close}`]);
      }
      // the block's end follows: the scan goes on from there
      i = j - 1;
    }
  }
  if (blocks.length !== 0) return null;
  let out = '';
  let at = 0;
  for (const [pos, text] of edits) {
    out += lua.slice(at, pos) + text;
    at = pos;
  }
  return out + lua.slice(at);
}
