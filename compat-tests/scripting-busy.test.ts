/*
 * Long scripts: past busy-reply-threshold other clients get BUSY (allow_busy commands still run),
 * SCRIPT KILL / FUNCTION KILL stop a script that has not written (the caller gets Redis's error),
 * a script that wrote is UNKILLABLE, the caller's pipelined commands wait for its script, and the
 * server keeps serving sockets meanwhile (the script runs in the Lua worker thread). The texts are
 * Redis 7.0.15's (checked by hand against redis-server with a 200 ms threshold).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { Err } from '../src/resp/errors.js';
import { scriptingOf } from '../src/scripting/scripting-state.js';
import { RawClient, encodeCommand, startKv } from './harness.js';

const sha = (body: string) => createHash('sha1').update(body).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `c`'s GET answers BUSY (the script passed the threshold). */
async function untilBusy(c: RawClient): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const r = await c.call('GET', 'probe');
    if (r.startsWith('-BUSY')) return r;
    await sleep(50);
  }
  throw new Error('the script never became busy');
}

test('a long read-only script: BUSY for others, SCRIPT KILL stops it, the server lives on', async () => {
  const kv = await startKv({ 'busy-reply-threshold': '100' });
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  try {
    const body = 'local i = 0 while true do i = i + 1 end';
    // the script and a command pipelined after it: PING must wait for the script's reply
    a.write(Buffer.concat([encodeCommand(['EVAL', body, '0']), encodeCommand(['PING'])]));
    assert.is(await untilBusy(b), `-${Err.BUSY_SCRIPT}\r\n`);
    assert.is(await b.call('FUNCTION', 'KILL'), `-${Err.BUSY_SCRIPT}\r\n`, 'FUNCTION KILL cannot stop a script');
    const stats = await b.call('FUNCTION', 'STATS');
    assert.ok(stats.includes('running_script') && stats.includes('duration_ms'), stats);
    assert.is(await b.call('SCRIPT', 'KILL'), '+OK\r\n');
    assert.is(await a.readReply(), `-${Err.SCRIPT_KILLED('SCRIPT')} script: ${sha(body)}, on @user_script:1.\r\n`);
    assert.is(await a.readReply(), '+PONG\r\n');
    assert.is(await b.call('SCRIPT', 'KILL'), `-${Err.NOTBUSY}\r\n`);
    // a fresh worker serves the next script
    assert.is(await a.call('EVAL', "return redis.call('set', 'after', 'kill')", '0'), '+OK\r\n');
    assert.is(await b.call('GET', 'after'), '$4\r\nkill\r\n');
  } finally {
    a.close();
    b.close();
    await kv.stop();
  }
});

test('a long script that wrote is UNKILLABLE; its effects stay atomic for others', async () => {
  const kv = await startKv({ 'busy-reply-threshold': '100' });
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  try {
    a.write(encodeCommand(['EVAL', "redis.call('set', 'w', '1') while true do end", '0']));
    assert.is(await untilBusy(b), `-${Err.BUSY_SCRIPT}\r\n`);
    assert.is(await b.call('SET', 'w', '2'), `-${Err.BUSY_SCRIPT}\r\n`);
    assert.is(await b.call('SCRIPT', 'KILL'), `-${Err.UNKILLABLE}\r\n`);
    // the process would exit on SHUTDOWN NOSAVE; in-process, stop the engine instead
    scriptingOf(kv.context).runner.stopWorker();
    assert.is(await a.readReply(), `-${Err.SCRIPT_ENGINE_STOPPED}\r\n`);
    assert.is(await b.call('GET', 'w'), '$1\r\n1\r\n');
  } finally {
    a.close();
    b.close();
    await kv.stop();
  }
});

test('a long function: BUSY names FUNCTION KILL, which stops it', async () => {
  const kv = await startKv({ 'busy-reply-threshold': '100' });
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  try {
    const lib = "#!lua name=slow\nredis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}";
    assert.is(await a.call('FUNCTION', 'LOAD', lib), '$4\r\nslow\r\n');
    a.write(encodeCommand(['FCALL_RO', 'spin', '0']));
    assert.is(await untilBusy(b), `-${Err.BUSY_FUNCTION}\r\n`);
    assert.is(await b.call('SCRIPT', 'KILL'), `-${Err.BUSY_FUNCTION}\r\n`, 'SCRIPT KILL cannot stop a function');
    assert.is(await b.call('FUNCTION', 'KILL'), '+OK\r\n');
    assert.match(await a.readReply(), `-${Err.SCRIPT_KILLED('FUNCTION')} script: spin`);
    assert.is(await b.call('PING'), '+PONG\r\n');
  } finally {
    a.close();
    b.close();
    await kv.stop();
  }
});

test('a quick script is not busy and a script below the threshold blocks others only while it runs', async () => {
  const kv = await startKv();
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  try {
    // ~100 ms of Lua, well under the default 5 s threshold: B's command waits, then runs
    const body = 'local i = 0 for j = 1, 3000000 do i = i + j end return 1';
    a.write(encodeCommand(['EVAL', body, '0']));
    await sleep(5);
    assert.is(await b.call('PING'), '+PONG\r\n');
    assert.is(await a.readReply(), ':1\r\n');
  } finally {
    a.close();
    b.close();
    await kv.stop();
  }
});

test('a script exhausting the Lua heap gets an error; the engine is replaced and the server lives', async () => {
  const kv = await startKv();
  const c = await RawClient.connect(kv.port);
  try {
    // twice: the first run is the worker's, the second the main thread's engine
    // (generous timeouts: each abort replaces the engine, which a loaded machine starts slowly)
    const call = (...args: string[]) => {
      c.write(encodeCommand(args));
      return c.readReply(30_000);
    };
    for (let i = 0; i < 2; i++) {
      assert.is(await call('EVAL', "local t, s = {}, string.rep('x', 1e6) for i = 1, 100 do t[i] = s .. i end return #t", '0'), `-${Err.SCRIPT_OUT_OF_MEMORY}\r\n`);
      assert.is(await call('EVAL', "return redis.call('incr', 'alive')", '0'), `:${i + 1}\r\n`);
    }
    assert.is(await c.call('PING'), '+PONG\r\n');
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
