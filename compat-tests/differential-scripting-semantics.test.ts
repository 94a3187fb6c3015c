/*
 * Differential scripting, the corners where lua-redis-wasm's sandbox differs from Redis 7.0's and
 * the EVAL chunk mends it (src/scripting/eval-chunk.ts), byte for byte against redis-server:
 * redis.error_reply / status_reply / sha1hex argument handling and wording, pcall (error tables
 * to their `err`, the engine's markers worded as Redis), redis.pcall of a bad argument, returned
 * status and error texts read as C strings, a script's first return value only, and returned
 * tables read without their metatables.
 * Every script runs twice: the first run goes to the Lua worker thread, later ones to the main
 * thread's engine (script-runner.ts), and both must answer the same.
 */
import { differentialSuite, type Script } from './differential.js';

/** One case: each body EVALed twice (worker path, then main-thread path). */
function evals(...bodies: string[]): Script {
  return [['SCRIPT', 'FLUSH'], ...bodies.flatMap((b) => [['EVAL', b, '0'], ['EVAL', b, '0']])];
}

differentialSuite('differential: scripting semantics', {
  'redis.error_reply: the code up to the first space, ERR without one, a leading - dropped': evals(
    "return redis.error_reply('x')",
    "return redis.error_reply('My Error')",
    "return redis.error_reply('e x')",
    "return redis.error_reply('-x')",
    "return redis.error_reply('-MY x')",
    "return redis.error_reply('- x')",
    "return redis.error_reply('-')",
    "return redis.error_reply('')",
    "return redis.error_reply('x').err",
    "return redis.error_reply('My Error').err",
  ),
  'redis.error_reply: newlines trimmed from the message, a NUL ends it': evals(
    "return redis.error_reply('x\\r\\n')",
    "return redis.error_reply('\\r\\nMY x')",
    "return redis.error_reply('MY \\r\\nx\\r\\n')",
    "return redis.error_reply('a\\0b c')",
  ),
  'redis.error_reply / status_reply: wrong arguments give an error value': evals(
    'return redis.error_reply()',
    'return redis.error_reply(1)',
    "return redis.error_reply('a', 'b')",
    'return redis.status_reply()',
    'return redis.status_reply(1)',
    "return redis.status_reply('a', 'b')",
    "local ok, e = pcall(redis.error_reply) return {ok, type(e), e.err}",
  ),
  'returned status and error texts: C strings, newlines mapped or trimmed': evals(
    "return redis.status_reply('a\\r\\nb')",
    "return {ok='a\\r\\nb'}",
    "return {ok='a\\0b'}",
    "return {err='x\\r\\n'}",
    "return {err='\\r\\nx y\\r\\n'}",
    "return {err='a\\0b'}",
  ),
  'redis.sha1hex: one argument, anything but a string or number hashes as empty': evals(
    'return redis.sha1hex(1)',
    'return redis.sha1hex({})',
    'return redis.sha1hex(nil)',
    'return redis.sha1hex()',
    "return redis.sha1hex('a', 'b')",
    'local a = 1\nlocal b = 2\nreturn redis.sha1hex()',
    'local ok, e = pcall(redis.sha1hex) return {tostring(ok), e}',
  ),
  'pcall: the engine markers worded as Redis, error tables give their err': evals(
    'return {pcall(function() return nosuch end)}',
    'local ok, e = pcall(function() return undefinedvar end) return e',
    "local ok, e = pcall(function() redis.call('incr', {}) end) return e",
    "local ok, e = pcall(redis.call, 'incr', {}) return {type(e), e}",
    "local ok, e = pcall(error, {err='MY own'}) return e",
    'local ok, e = pcall(error, {a=1}) return type(e)',
    "local ok, e = pcall(error, 'plain', 0) return e",
    'local ok, e = pcall(function() x = 1 end) return e',
    "local ok, e = xpcall(function() return nosuch end, function(m) return 'H:' .. m end) return e",
    'return pcall(function() return 1, 2 end)',
    'return {pcall(function() return 1, 2 end)}',
  ),
  'redis.pcall: a bad argument is an error value, not raised': evals(
    "return redis.pcall('incr', {})",
    "local r = redis.pcall('incr', {}) return {type(r), r.err}",
    "return redis.pcall('nosuchcommand')",
  ),
  'redis is read-only, its mended members too': evals(
    'redis.x = 1',
    'local ok, e = pcall(function() redis.error_reply = 1 end) return e',
    "return type(redis.call('ping'))",
  ),
  'a script answers its first return value; the chunk is a vararg function': evals(
    'return 1, 2',
    'local function f() return 1, 2 end return f()',
    "if true then return 'a', 'b' end",
    'for i = 1, 3 do if i == 2 then return i, -i end end',
    'return ...',
    "return select('#', ...)",
    'return function() return 1 end == nil',
  ),
  'a returned table is read rawly: _G and metatables (scripting.tcl), inside arrays too': [
    ['SCRIPT', 'FLUSH'],
    ['EVAL', 'return _G', '0'],
    ['EVAL', 'return _G', '0'],
    ['EVAL', "local a = {}; setmetatable(a,{__index=function() foo() end}) return a", '0'],
    ['EVAL', "local a = {}; setmetatable(a,{__index=function() redis.call('set', 'x', '1') end}) return a", '0'],
    ['GET', 'x'],
    ['EVAL', "return {1, setmetatable({2, 3}, {__index = function() error('x') end}), 'a'}", '0'],
    ['EVAL', "return setmetatable({ok = 'fine'}, {})", '0'],
    ['EVAL', "if KEYS[1] then return {_G} end return setmetatable({}, {__index = _G})", '0'],
    ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=meta\nredis.register_function('g', function() return _G end)\nredis.register_function('m', function() return setmetatable({1}, {__index = function() error('x') end}) end)"],
    ['FCALL', 'g', '0'],
    ['FCALL', 'm', '0'],
    ['FUNCTION', 'DELETE', 'meta'],
  ],
});
