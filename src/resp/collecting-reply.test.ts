import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectingReply, type ReplyValue } from './collecting-reply.js';
import { RespWriter, type Reply } from './writer.js';

/** Decodes RESP2/RESP3 reply bytes into the values CollectingReply produces. */
function decode(buf: string): ReplyValue[] {
  let at = 0;
  const line = (): string => {
    const end = buf.indexOf('\r\n', at);
    const s = buf.slice(at, end);
    at = end + 2;
    return s;
  };
  const one = (): ReplyValue => {
    const type = buf[at++];
    const head = line();
    const items = (n: number): ReplyValue[] => Array.from({ length: n }, one);
    switch (type) {
      case '+': return { type: 'simple', value: head };
      case '-': return { type: 'error', value: head };
      case ':': { const n = Number(head); return { type: 'int', value: Number.isSafeInteger(n) ? n : BigInt(head) }; }
      case '$': {
        if (head === '-1') return { type: 'nil' };
        const s = buf.slice(at, at + Number(head));
        at += Number(head) + 2;
        return { type: 'bulk', value: s };
      }
      case '*': return head === '-1' ? { type: 'nil' } : { type: 'array', items: items(Number(head)) };
      case '~': return { type: 'set', items: items(Number(head)) };
      case '>': return { type: 'push', items: items(Number(head)) };
      case '%': return { type: 'map', items: items(Number(head) * 2) };
      case '_': return { type: 'nil' };
      case ',': return { type: 'double', value: head === 'inf' ? Infinity : head === '-inf' ? -Infinity : Number(head) };
      case '#': return { type: 'bool', value: head === 't' };
      case '(': return { type: 'bignum', value: head };
      case '=': {
        const s = buf.slice(at, at + Number(head));
        at += Number(head) + 2;
        return { type: 'verbatim', format: s.slice(0, 3), value: s.slice(4) };
      }
      default: throw new Error(`bad type ${type}`);
    }
  };
  const out: ReplyValue[] = [];
  while (at < buf.length) out.push(one());
  return out;
}

/** Reply sequences as handlers write them, nesting included. */
const CASES: Record<string, (r: Reply) => void> = {
  scalars: (r) => { r.ok(); r.simple('PONG'); r.error('ERR x\ny'); r.int(42); r.int(-7); r.int(2n ** 63n - 1n); r.bulk('a\0\xff'); r.bulk(''); r.bulkBuffer(Buffer.from([0, 255, 10])); },
  nils: (r) => { r.nil(); r.nilArray(); },
  nested: (r) => { r.array(3); r.bulk('x'); r.array(2); r.int(1); r.array(0); r.nil(); r.int(9); },
  maps: (r) => { r.map(2); r.bulk('k'); r.int(1); r.bulk('m'); r.map(1); r.bulk('a'); r.set(2); r.bulk('p'); r.bulk('q'); },
  pairs: (r) => { r.pairs(2); r.pair(); r.bulk('a'); r.double(1.5); r.pair(); r.bulk('b'); r.double(-Infinity); r.pairs(0); },
  typed: (r) => { r.double(0.1); r.bool(true); r.bool(false); r.bigNumber('12345678901234567890'); r.verbatim('hello', 'txt'); r.push(2); r.bulk('message'); r.bulks(['x', null]); },
};

for (const proto of [2, 3] as const) {
  for (const [name, fill] of Object.entries(CASES)) {
    test(`CollectingReply answers as RespWriter in RESP${proto}: ${name}`, () => {
      const w = new RespWriter();
      w.proto = proto;
      fill(w);
      const collected = new CollectingReply(proto);
      fill(collected);
      assert.equal(collected.take(), decode(w.take()!.latin1Slice()));
      assert.equal(collected.values, []);
    });
  }
}

test.run();
