/*
 * The binary protocol's GET, MGET and SET frames from their bytes (requests.ts RangeRequest,
 * dispatch's runRangeOf): the same replies and dataset as the argv path for every input. In
 * process, frames run as binary-connection.ts runs them, with and without the byte-range path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../engine/clock.js';
import { Client } from '../core/client.js';
import { detachedConnection } from '../core/detached-connection.js';
import { buildCommandTable } from '../core/command-list.js';
import { Config } from '../core/config.js';
import { Dispatcher } from '../core/dispatch.js';
import { ServerContext, type Log } from '../core/server-context.js';
import { BinaryReply } from './binary-reply.js';
import { FrameDecoder, FrameWriter, Op, PayloadReader, Tag } from './codec.js';
import { binaryRangeArgv, parseRequest, RangeRequest } from './requests.js';

const quiet: Log = { level: 'warning', debug() {}, verbose() {}, notice() {}, warning() {} };

function setup(useRanges: boolean) {
  const clock = new FakeClock();
  const server = new ServerContext(new Config(), clock, quiet, buildCommandTable());
  const dispatcher = new Dispatcher(server.commandTable);
  const table = server.commandTable;
  const typed = { gett: table.get('kv.gett') !== undefined, sett: table.get('kv.sett') !== undefined };
  const writer = new BinaryReply();
  const client = new Client(server, server.newClientId(), writer, detachedConnection());
  client.setProto(3);
  server.clients.set(client.id, client);
  const decoder = new FrameDecoder(1 << 30);
  const reader = new PayloadReader();
  const range = new RangeRequest(table, typed);
  let ranged = 0;
  /** Runs every frame in `bytes` as BinaryConnection.runRequests does; returns the reply bytes. */
  const send = (bytes: Buffer): string => {
    decoder.feed(bytes);
    const now = clock.now();
    dispatcher.beginBatch();
    let open = dispatcher.rangeOpen(client);
    while (decoder.nextFrame()) {
      const buf = decoder.payload;
      if (useRanges && open && range.read(decoder.op, buf, decoder.payloadStart, decoder.payloadEnd) && range.spec !== undefined) {
        writer.requestId = decoder.id;
        writer.typedGet = range.typedGet;
        const ran = dispatcher.runRangeOf(client, range.spec, range.argc, writer, buf, range, now);
        writer.typedGet = false;
        writer.requestId = 0;
        if (ran) {
          dispatcher.pendingRange(binaryRangeArgv, buf, decoder.op, range.typedBits, decoder.payloadStart, decoder.payloadEnd, 0, 0);
          ranged++;
          continue;
        }
      }
      reader.resetRange(buf, decoder.payloadStart, decoder.payloadEnd);
      const req = parseRequest(decoder.op, reader, typed);
      writer.requestId = decoder.id;
      writer.typedGet = req.typedGet;
      dispatcher.run(client, req.argv, now);
      writer.typedGet = false;
      writer.requestId = 0;
      open = dispatcher.rangeOpen(client);
    }
    dispatcher.endBatch();
    decoder.detachInput();
    return writer.take()?.toString('latin1') ?? '';
  };
  return { server, clock, send, ranged: () => ranged };
}

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

function frame(op: number, id: number, build: (w: FrameWriter) => void): Buffer {
  const w = new FrameWriter();
  w.begin(op, id);
  build(w);
  w.end();
  return w.take()!;
}
const getFrame = (id: number, k: string) => frame(Op.GET, id, (w) => w.latin1(k));
const setFrame = (id: number, k: string, tag: number, v: string, flags = 0, px = 0) =>
  frame(Op.SET, id, (w) => {
    w.latin1(k);
    w.u8(tag);
    if (tag === Tag.INT) w.i64(Number(v) || 0);
    else w.latin1(v);
    w.u8(flags);
    if (flags & 8) w.i64(px);
  });
const argsFrame = (op: number, id: number, args: string[]) =>
  frame(op, id, (w) => {
    w.u32(args.length);
    for (const a of args) w.latin1(a);
  });

test('GET, MGET and SET frames: the byte path and the argv path give the same replies, dataset and slow log', () => {
  let seed = 4242;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const keys = ['k', 'k2', '{t}a', ALL_BYTES.slice(100, 140), '\x00', 'key:000000012345', 'x'.repeat(40)];
  const values = ['v', '', 'x'.repeat(70), '12', '-3', '3.5', 'x'.repeat(70000), ALL_BYTES, ALL_BYTES.slice(0, 128), 'héllo', '\xc3\xa9t\xc3\xa9', '\xff\xfe'];
  const sessions: Buffer[] = [];
  const cuts: number[] = [];
  for (let s = 0; s < 30; s++) {
    const frames: Buffer[] = [];
    for (let i = 0; i < 60; i++) {
      const id = s * 100 + i + 1;
      const k = keys[rnd(keys.length)]!;
      const v = values[rnd(values.length)]!;
      const pick = rnd(16);
      if (pick < 4) frames.push(getFrame(id, k));
      else if (pick < 7) frames.push(setFrame(id, k, rnd(2) ? Tag.STRING : Tag.BYTES, v));
      else if (pick === 7) frames.push(setFrame(id, k, [Tag.INT, Tag.DECIMAL, Tag.STRING][rnd(3)]!, String(rnd(100)), rnd(2) ? 8 : 1, 1 + rnd(3)));
      else if (pick < 10) frames.push(argsFrame(Op.MGET, id, [k, keys[rnd(keys.length)]!, keys[rnd(keys.length)]!]));
      else if (pick === 10) frames.push(argsFrame(Op.COMMAND, id, ['PEXPIRE', k, String(1 + rnd(3))]));
      else if (pick === 11) frames.push(argsFrame(Op.COMMAND, id, ['RPUSH', k, v]));
      else if (pick === 12) frames.push(argsFrame(Op.COMMAND, id, ['HSET', k, 'f', v]));
      else if (pick === 13) frames.push(argsFrame(Op.COMMAND, id, ['APPEND', k, v.slice(0, 5)]));
      else if (pick === 14) frames.push(argsFrame(Op.COMMAND, id, ['KV.SETT', k, ['int', 'float', 'decimal', 'string'][rnd(4)]!, String(rnd(20000) - 100)]));
      else frames.push(getFrame(id, k));
    }
    sessions.push(Buffer.concat(frames));
    cuts.push(rnd(1000) / 1000);
  }
  const results: string[][] = [];
  let rangedCount = 0;
  for (const useRanges of [false, true]) {
    const env = setup(useRanges);
    // every command into the slow log: its argv is rebuilt from the frame on the byte path
    env.server.slowlog.threshold = 0;
    env.server.slowlog.maxLen = 1000;
    const out: string[] = [];
    for (let s = 0; s < sessions.length; s++) {
      const bytes = sessions[s]!;
      const cut = Math.floor(cuts[s]! * bytes.length);
      const first = env.send(bytes.subarray(0, cut));
      env.clock.advance(s % 2 === 0 ? 1000 : 0);
      out.push(first + '|' + env.send(bytes.subarray(cut)));
      env.clock.advance(1);
      const db = env.server.keyspace.dbs[0]!;
      out.push(
        keys
          .map((k) => {
            const v = db.lookupRead(k, env.clock.now(), false);
            const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? `${typeof v}:${v}` : typeof v;
            return `${value}/${db.expireAt(k) ?? -1}/${db.valueTypeOf(k)}/${db.accessOf(k) ?? -1}`;
          })
          .join(',') + ` bytes ${db.bytes} arena ${db.arena.usedBytes}`,
      );
      // the slow log keeps every command's argv (rebuilt from the frame on the byte path)
      out.push(env.server.slowlog.entries.map((e) => e.args.join(' ')).join('\n'));
      env.server.slowlog.reset();
    }
    out.push(`hits ${env.server.keyspace.stats.hits} misses ${env.server.keyspace.stats.misses} commands ${env.server.stats.totalCommands}`);
    results.push(out);
    if (useRanges) rangedCount = env.ranged();
  }
  assert.ok(rangedCount > 600, `the byte path ran (${rangedCount})`);
  for (let i = 0; i < results[0]!.length; i++) assert.is(results[1]![i], results[0]![i], `step ${i}`);
});

test.run();
