/*
 * The binary protocol's replies have RESP3's shapes: the same script runs on two fresh servers,
 * one over RESP3 (HELLO 3, raw bytes), one over binary COMMAND frames, and every reply must decode
 * to the same value (bulk → Bytes, status/verbatim → String, integer → Int, double → Float,
 * big number → Decimal, map → Map, push → Push, error → Error with its code).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorCodeOf } from '../src/binary/codec.js';
import { freePort, RawClient, startKv, startKvWithBinPort } from './harness.js';
import { RawBinary, type Raw } from './binary-raw.js';

/** Decodes one RESP3 reply into the binary tests' value shapes. */
function decodeResp3(raw: string): Raw {
  let pos = 0;
  const line = (): string => {
    const nl = raw.indexOf('\r\n', pos);
    const s = raw.slice(pos, nl);
    pos = nl + 2;
    return s;
  };
  const one = (): Raw => {
    const t = raw[pos++];
    const head = line();
    switch (t) {
      case '$':
      case '=': {
        const n = Number(head);
        if (n < 0) return null;
        const s = raw.slice(pos, pos + n);
        pos += n + 2;
        // a verbatim string's text after its format prefix
        return t === '=' ? Buffer.from(s.slice(4), 'latin1').toString('utf8') : { bytes: s };
      }
      case '+':
        return head;
      case '-':
        return { code: errorCodeOf(head), error: head };
      case ':': {
        const n = Number(head);
        return Number.isSafeInteger(n) ? n : BigInt(head);
      }
      case ',':
        return head === 'inf' ? Infinity : head === '-inf' ? -Infinity : Number(head);
      case '#':
        return head === 't';
      case '(':
        return { decimal: head };
      case '_':
        return null;
      case '*':
      case '~':
      case '>': {
        const items: Raw[] = [];
        for (let i = 0; i < Number(head); i++) items.push(one());
        return t === '>' ? { push: items } : items;
      }
      case '%': {
        const pairs: Array<[Raw, Raw]> = [];
        for (let i = 0; i < Number(head); i++) pairs.push([one(), one()]);
        return { map: pairs };
      }
      default:
        throw new Error(`RESP3 type ${t}`);
    }
  };
  return one();
}

const SCRIPT: string[][] = [
  ['SET', 's', 'v\x00\xff'],
  ['GET', 's'],
  ['GET', 'missing'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['SET', 'n', '10'],
  ['INCRBY', 'n', '-20'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['LRANGE', 'l', '0', '-1'],
  ['LPOS', 'l', 'b'],
  ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
  ['HGETALL', 'h'],
  ['HMGET', 'h', 'f1', 'nope'],
  ['SADD', 'st', 'x'],
  ['SMEMBERS', 'st'],
  ['SMISMEMBER', 'st', 'x', 'y'],
  ['ZADD', 'z', '1', 'a', '2.5', 'b'],
  ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
  ['ZSCORE', 'z', 'b'],
  ['ZMSCORE', 'z', 'a', 'nope'],
  ['ZINCRBY', 'z', '0.5', 'a'],
  ['ZPOPMIN', 'z'],
  ['ZRANDMEMBER', 'z', '1', 'WITHSCORES'],
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
  ['GEODIST', 'g', 'Palermo', 'Catania'],
  ['GEOPOS', 'g', 'Palermo', 'nope'],
  ['TYPE', 'h'],
  ['OBJECT', 'ENCODING', 'l'],
  ['EXISTS', 's', 'h', 'nope'],
  ['TTL', 's'],
  ['CONFIG', 'GET', 'maxmemory'],
  ['COMMAND', 'INFO', 'get'],
  ['MULTI'],
  ['INCR', 'n'],
  ['LPUSH', 'h', 'x'],
  ['EXEC'],
  ['EVAL', 'return {1, "two", {3}}', '0'],
  ['EVAL', "return redis.call('GET', KEYS[1])", '1', 's'],
  ['LPUSH', 's', 'x'],
  ['SET', 'a', 'b', 'NX', 'XX'],
  ['LCS', 's', 's', 'IDX'],
  ['DEBUG', 'PROTOCOL', 'bignum'],
  ['DEBUG', 'PROTOCOL', 'true'],
  ['DEBUG', 'PROTOCOL', 'double'],
  ['DEBUG', 'PROTOCOL', 'map'],
  ['DEBUG', 'PROTOCOL', 'set'],
  ['DEBUG', 'PROTOCOL', 'verbatim'],
  ['NOSUCH'],
];

test('every reply of the script decodes to the same value over RESP3 and the binary protocol', async () => {
  const a = await startKv();
  const b = await startKvWithBinPort();
  try {
    const resp = await RawClient.connect(a.port);
    await resp.call('HELLO', '3');
    const [bin] = await RawBinary.hello(b.binPort);
    for (const argv of SCRIPT) {
      const expected = decodeResp3(await resp.call(...argv));
      const got = await bin.call(...argv);
      assert.equal(got, expected, argv.join(' '));
    }
    resp.socket.destroy();
    bin.close();
  } finally {
    await a.stop();
    await b.stop();
  }
});

test.run();
