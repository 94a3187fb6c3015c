/*
 * Keyspace notifications of the stream commands (class `t`: xadd, xtrim, xdel, xsetid,
 * xgroup-create, xgroup-createconsumer, xgroup-delconsumer, xgroup-setid, xgroup-destroy; and
 * `del`/`new` around them), against a real redis-server: the same commands, then the events a
 * PSUBSCRIBE to every keyevent channel received, in order, must be equal.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv, startRedis } from './harness.js';

const SCRIPT: string[][] = [
  ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', '0', '2-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', '5', '3-1', 'f', 'v'], ['XDEL', 's', '3-1'],
  ['XDEL', 's', '9-9'], ['XADD', 's', '4-1', 'f', 'v'], ['XADD', 's', '5-1', 'f', 'v'], ['XTRIM', 's', 'MAXLEN', '1'], ['XTRIM', 's', 'MAXLEN', '1'],
  ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
  ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', '>'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'], ['XGROUP', 'SETID', 's', 'g', '0'], ['XSETID', 's', '9-9'], ['XCLAIM', 's', 'g', 'e', '0', '5-1'],
  ['XAUTOCLAIM', 's', 'g', 'f', '0', '0'], ['XACK', 's', 'g', '5-1'], ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'g'],
  ['XGROUP', 'CREATE', 's2', 'g', '$', 'MKSTREAM'], ['XADD', 's3', 'NOMKSTREAM', '1-1', 'f', 'v'], ['XADD', 's4', '0-*', 'f', 'v'], ['DEL', 's2', 's4'],
  ['XADD', 's5', '1-1', 'f', 'v'], ['RENAME', 's5', 's6'], ['COPY', 's6', 's7'], ['XTRIM', 's7', 'MINID', '~', '9'], ['XTRIM', 's7', 'MINID', '9'],
];

async function events(port: number): Promise<string[]> {
  const admin = await RawClient.connect(port);
  await admin.call('FLUSHALL');
  await admin.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const sub = await RawClient.connect(port);
  await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
  await sub.call('SUBSCRIBE', 'done');
  for (const cmd of SCRIPT) await admin.call(...cmd);
  // a message after the script: every event was published before it
  await admin.call('PUBLISH', 'done', 'x');
  const out: string[] = [];
  for (;;) {
    const msg = await sub.readReply();
    if (msg.includes('done')) break;
    const m = /__keyevent@0__:([^\r]+)\r\n\$\d+\r\n([^\r]*)\r\n$/.exec(msg);
    out.push(m === null ? msg : `${m[1]} ${m[2]}`);
  }
  await admin.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  admin.close();
  sub.close();
  return out;
}

test('stream commands notify what Redis notifies, in order', async () => {
  const kv = await startKv();
  const redis = await startRedis();
  try {
    const ours = await events(kv.port);
    assert.ok(ours.includes('xgroup-createconsumer s'), ours.join('\n'));
    if (redis !== null) assert.equal(ours, await events(redis.port));
  } finally {
    await kv.stop();
    await redis?.stop();
  }
});

test.run();
