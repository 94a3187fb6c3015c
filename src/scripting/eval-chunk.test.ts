/*
 * The EVAL chunk (eval-chunk.ts): which returns are rewritten to give their first value, that
 * strings, comments and inner functions are left alone, the fallback for what the scanner does
 * not understand, and that the prologue is added only for scripts naming what it mends. The Lua
 * behaviour itself is compared with redis-server in compat-tests/differential-scripting-semantics.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evalChunk, scriptErrorLine } from './eval-chunk.js';

test('a return of the chunk keeps its first value; a list is still evaluated whole', () => {
  assert.is(evalChunk("return redis.call('INCR', KEYS[1])"), "return (redis.call('INCR', KEYS[1]))");
  assert.is(evalChunk('return 1, f()'), 'return ((function(v) return v end)(1, f()))');
  assert.is(evalChunk('if x then return a elseif y then return b else return end'), 'if x then return (a) elseif y then return (b) else return end');
  assert.is(evalChunk('for i=1,2 do return i; end'), 'for i=1,2 do return (i); end');
  assert.is(evalChunk('repeat return 1 until true'), 'repeat return (1) until true');
});

test('returns inside functions, strings and comments are not touched; lines stay', () => {
  assert.is(evalChunk('local function f() return 1, 2 end\nreturn f()'), 'local function f() return 1, 2 end\nreturn (f())');
  assert.is(evalChunk('return function() return 1, 2 end'), 'return (function() return 1, 2 end)');
  assert.is(evalChunk("local s = 'return 1, 2' -- return 3, 4\nreturn s"), "local s = 'return 1, 2' -- return 3, 4\nreturn (s)");
  assert.is(evalChunk('local s = [==[ return ]] 1, 2 ]==] --[[ return\n1, 2 ]] return s'), 'local s = [==[ return ]] 1, 2 ]==] --[[ return\n1, 2 ]] return (s)');
  assert.is(evalChunk('return "a\\"b", 1e-3'), 'return ((function(v) return v end)("a\\"b", 1e-3))');
});

test('a body the scanner does not understand runs as a function', () => {
  assert.is(evalChunk("return 'unterminated"), "return ((function() return 'unterminated\nend)())");
  assert.is(evalChunk('if x then return 1'), 'return ((function() if x then return 1\nend)())');
  assert.is(evalChunk('return 1 end'), 'return ((function() return 1 end\nend)())');
});

test('the prologue only for scripts naming what it mends', () => {
  assert.is(evalChunk('return 1'), 'return (1)');
  assert.ok(evalChunk('return pcall(f)').includes('local pcall = function'));
  assert.ok(evalChunk("return redis.pcall('get', 'k')").includes('local pcall = function'));
  const reply = evalChunk("return redis.error_reply('x')");
  assert.ok(reply.includes('local redis = setmetatable') && !reply.includes('local pcall = function'));
  assert.ok(reply.endsWith("return (redis.error_reply('x'))"));
  assert.not.ok(reply.includes('\n'), 'the prologue is on the first line');
});

test('scriptErrorLine reads the line the prologue names', () => {
  assert.equal(scriptErrorLine('\x017:ERR wrong number of arguments'), { line: 7, message: 'ERR wrong number of arguments' });
  assert.is(scriptErrorLine('ERR something'), null);
  assert.is(scriptErrorLine('\x01x:ERR'), null);
});

test.run();
