/*
 * redis-parser (on the design card) decodes RESP2 replies; it serves here as an independent
 * reply decoder: a pipelined script's replies, read in whatever chunks TCP delivers, must decode
 * into exactly the values the commands should produce.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import RedisParser from 'redis-parser';
import { encodeCommand, startKv } from './harness.js';

test('pipelined RESP2 replies decode with redis-parser into the expected values', async () => {
  const kv = await startKv();
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
  const binary = Buffer.from([0, 0xff, 13, 10, 0x80]);
  const script: Array<[Array<string | Buffer>, unknown]> = [
    [['PING'], 'PONG'],
    [['SET', 'k', binary], 'OK'],
    [['GET', 'k'], binary],
    [['GET', 'missing'], null],
    [['SET', 'big', big], 'OK'],
    [['GET', 'big'], big],
    [['ECHO', ''], Buffer.alloc(0)],
    [['NOSUCH', 'x'], new Error("ERR unknown command 'NOSUCH', with args beginning with: 'x' ")],
    [['HELLO', '2'], 'array'],
  ];
  const replies: unknown[] = [];
  const parser = new RedisParser({
    returnBuffers: true,
    returnReply: (r) => replies.push(r),
    returnError: (e) => replies.push(new Error(e.message)),
  });
  const socket = net.connect(kv.port, '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (d) => {
        parser.execute(d);
        if (replies.length === script.length) resolve();
      });
      socket.on('error', reject);
      setTimeout(() => reject(new Error(`only ${replies.length} replies`)), 10_000).unref();
      socket.write(Buffer.concat(script.map(([cmd]) => encodeCommand(cmd))));
    });
  } finally {
    socket.destroy();
    await kv.stop();
  }
  script.forEach(([cmd, want], i) => {
    const got = replies[i];
    const label = String(cmd[0]);
    if (want === 'array') {
      assert.ok(Array.isArray(got), label);
      const flat = (got as Buffer[]).map((x) => (Buffer.isBuffer(x) ? x.toString() : x));
      assert.equal(flat.slice(0, 6), ['server', 'redis', 'version', flat[3], 'proto', 2], label);
    } else if (want instanceof Error) {
      assert.instance(got, Error, label);
      assert.is((got as Error).message, want.message, label);
    } else if (typeof want === 'string') {
      assert.equal(Buffer.isBuffer(got) ? got.toString() : got, want, label);
    } else {
      assert.equal(got, want, label);
    }
  });
});

test.run();
