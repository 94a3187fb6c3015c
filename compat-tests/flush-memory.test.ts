/*
 * The keyspace's pages are cut from large slabs (src/engine/page-memory.ts), freed only when the
 * garbage collector collects them: a flush must give them back at once, without waiting for some
 * unrelated collection, and a closed server's must serve the next server's fill.
 *
 * After the flush RSS must fall. A closed server's slabs are collected once V8 sees the next
 * server allocate (it accounts ArrayBuffers), so the close is checked by reuse: a second server's
 * fill does not grow RSS again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, RawClient, startKv } from './harness.js';

const MB = 1024 * 1024;
const rss = () => process.memoryUsage().rss;
const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;

async function rssBelow(limit: number, ms: number): Promise<number> {
  const until = Date.now() + ms;
  while (rss() > limit && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return rss();
}

/** ~190 MB of pages: DEBUG POPULATE can take a while on a loaded machine */
async function fill(c: RawClient): Promise<void> {
  c.write(encodeCommand(['DEBUG', 'POPULATE', '300000', 'k', '600']));
  assert.is(await c.readReply(60_000), '+OK\r\n');
}

test('FLUSHALL frees a large keyspace, and a closed server leaves its memory for the next one', async () => {
  const base = rss();
  let kv = await startKv();
  let c = await RawClient.connect(kv.port);
  let refilled: number;
  try {
    await fill(c);
    const filled = rss();
    assert.ok(filled - base > 150 * MB, `the fill took ${mb(filled - base)}`);
    assert.is(await c.call('FLUSHALL'), '+OK\r\n');
    const after = await rssBelow(base + 60 * MB, 5_000);
    assert.ok(after < base + 60 * MB, `RSS ${mb(after - base)} above the start after FLUSHALL`);
    await fill(c);
    refilled = rss();
  } finally {
    c.close();
    await kv.stop();
  }
  kv = await startKv();
  c = await RawClient.connect(kv.port);
  try {
    await fill(c);
    const again = rss();
    assert.ok(again < refilled + 60 * MB, `the second server's fill grew RSS by ${mb(again - refilled)}`);
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
