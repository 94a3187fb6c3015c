import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { errorCodeOf, ErrorCode, FrameDecoder, FrameWriter, MalformedFrame, Op, PayloadReader, Tag } from './codec.js';
import { parseRequest } from './requests.js';
import { BinaryReply } from './binary-reply.js';

interface Frame {
  op: number;
  id: number;
  payload: Buffer;
}

function encode(frames: Frame[]): Buffer {
  const w = new FrameWriter();
  for (const f of frames) {
    w.begin(f.op, f.id);
    for (const b of f.payload) w.u8(b);
    w.end();
  }
  return w.take() ?? Buffer.alloc(0);
}

/** Feeds `chunks` in order, collecting every frame (payload copied) and the final error. */
function decodeChunks(chunks: Buffer[], max = 1 << 20): { frames: Frame[]; error: string | null } {
  const d = new FrameDecoder(max);
  const frames: Frame[] = [];
  for (const c of chunks) {
    d.feed(c);
    let p: Buffer | null;
    while ((p = d.next()) !== null) frames.push({ op: d.op, id: d.id, payload: Buffer.from(p) });
    d.detachInput();
    // the caller's buffer is reused: overwrite it to prove nothing kept a view into it
    c.fill(0xee);
  }
  return { frames, error: d.error };
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    out.push(Buffer.from(buf.subarray(at, p)));
    at = p;
  }
  out.push(Buffer.from(buf.subarray(at)));
  return out;
}

const frameArb = fc.record({
  op: fc.integer({ min: 0, max: 255 }),
  id: fc.integer({ min: 0, max: 0xffffffff }),
  payload: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
}).map((f): Frame => ({ op: f.op, id: f.id, payload: f.payload }));

test('frames round-trip whole, byte by byte and split at every offset', () => {
  const frames: Frame[] = [
    { op: Op.GET, id: 1, payload: Buffer.from([1, 0, 0, 0, 97]) },
    { op: Op.COMMAND, id: 0xffffffff, payload: Buffer.alloc(0) },
    { op: Op.PING, id: 7, payload: Buffer.alloc(70000, 3) },
  ];
  const bytes = encode(frames);
  assert.equal(decodeChunks([Buffer.from(bytes)]).frames, frames);
  assert.equal(decodeChunks([...bytes].map((b) => Buffer.from([b]))).frames, frames);
  for (let cut = 0; cut <= 80; cut++) assert.equal(decodeChunks(splitAt(bytes, [cut, bytes.length - cut])).frames, frames);
});

test('fuzz: any split of valid frames decodes to the same frames', () => {
  fc.assert(
    fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
      const bytes = encode(frames);
      const r = decodeChunks(splitAt(bytes, cuts));
      assert.equal(r.error, null);
      assert.equal(r.frames, frames);
    }),
    { numRuns: 400 },
  );
});

test('fuzz: a reader that stops early (a blocked client) and resumes later loses nothing', () => {
  fc.assert(
    fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), fc.array(fc.nat({ max: 3 }), { maxLength: 12 }), (frames, cuts, reads) => {
      const d = new FrameDecoder(1 << 20);
      const got: Frame[] = [];
      const take = (max: number) => {
        let p: Buffer | null;
        for (let i = 0; i < max && (p = d.next()) !== null; i++) got.push({ op: d.op, id: d.id, payload: Buffer.from(p) });
      };
      splitAt(encode(frames), cuts).forEach((chunk, i) => {
        d.feed(chunk);
        take(reads[i] ?? 1);
        d.detachInput();
        chunk.fill(0xee);
      });
      take(Infinity);
      assert.equal(got, frames);
      assert.is(d.bufferedBytes, 0);
    }),
    { numRuns: 400 },
  );
});

test('fuzz: a truncated stream yields the whole frames before the cut and no error', () => {
  fc.assert(
    fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), fc.nat(), fc.array(fc.nat(), { maxLength: 5 }), (frames, cutAt, cuts) => {
      const bytes = encode(frames);
      const cut = cutAt % bytes.length;
      const r = decodeChunks(splitAt(bytes.subarray(0, cut), cuts));
      assert.equal(r.error, null);
      // the frames wholly before the cut, in order
      let end = 0;
      let whole = 0;
      for (const f of frames) {
        end += 9 + f.payload.length;
        if (end <= cut) whole++;
      }
      assert.equal(r.frames, frames.slice(0, whole));
    }),
    { numRuns: 400 },
  );
});

test('fuzz: random bytes never throw; a bad length sets the error and stops the decoder', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }), (raw, cuts) => {
      const r = decodeChunks(splitAt(Buffer.from(raw), cuts), 256);
      for (const f of r.frames) assert.ok(f.payload.length <= 256 - 5);
      if (r.error !== null) assert.match(r.error, /frame length/);
    }),
    { numRuns: 500 },
  );
});

test('lengths below a header or above the maximum are errors', () => {
  const short = Buffer.from([4, 0, 0, 0, 1, 0, 0, 0]);
  assert.match(decodeChunks([short]).error!, /shorter than a frame header/);
  const big = Buffer.from([0x01, 0x01, 0, 0, 1, 0, 0, 0, 0]);
  assert.match(decodeChunks([big], 256).error!, /exceeds the maximum of 256/);
  // valid frames before the bad one are still delivered
  const r = decodeChunks([Buffer.concat([encode([{ op: 1, id: 2, payload: Buffer.from('x') }]), short])]);
  assert.equal(r.frames.length, 1);
  assert.ok(r.error !== null);
});

test('fuzz: request payloads of random bytes parse or throw MalformedFrame only', () => {
  const ops = [Op.COMMAND, Op.PING, Op.GET, Op.SET, Op.DEL, Op.MGET, Op.MSET, Op.INCR, Op.EXPIRE, 0x55];
  fc.assert(
    fc.property(fc.constantFrom(...ops), fc.uint8Array({ maxLength: 64 }), fc.boolean(), (op, raw, typed) => {
      const r = new PayloadReader();
      r.reset(Buffer.from(raw));
      try {
        const req = parseRequest(op, r, { gett: typed, sett: typed });
        assert.ok(req.argv.length >= 1);
      } catch (e) {
        if (!(e instanceof MalformedFrame)) throw e;
      }
    }),
    { numRuns: 1000 },
  );
});

test('requests: the dedicated opcodes become ordinary argv', () => {
  const parse = (op: number, build: (w: FrameWriter) => void, typed = false) => {
    const w = new FrameWriter();
    w.begin(op, 1);
    build(w);
    w.end();
    const d = new FrameDecoder(1 << 20);
    d.feed(w.take()!);
    const r = new PayloadReader();
    r.reset(d.next()!);
    return parseRequest(d.op, r, { gett: typed, sett: typed }).argv;
  };
  assert.equal(parse(Op.GET, (w) => w.latin1('k')), ['GET', 'k']);
  assert.equal(parse(Op.GET, (w) => w.latin1('k'), true), ['KV.GETT', 'k']);
  const setInt = (w: FrameWriter) => {
    w.latin1('k');
    w.u8(Tag.INT);
    w.i64(-42);
    w.u8(8);
    w.i64(1500);
  };
  assert.equal(parse(Op.SET, setInt), ['SET', 'k', '-42', 'PX', '1500']);
  assert.equal(parse(Op.SET, setInt, true), ['KV.SETT', 'k', 'int', '-42', 'PX', '1500']);
  const setFloatNx = (w: FrameWriter) => {
    w.latin1('k');
    w.u8(Tag.FLOAT);
    w.f64(0.1);
    w.u8(1);
  };
  // NX/XX: SET (KV.SETT has no NX/XX)
  assert.equal(parse(Op.SET, setFloatNx, true), ['SET', 'k', '0.1', 'NX']);
  assert.equal(
    parse(Op.INCR, (w) => {
      w.latin1('n');
      w.i64(1);
    }),
    ['INCR', 'n'],
  );
  assert.equal(
    parse(Op.INCR, (w) => {
      w.latin1('n');
      w.i64(-9007199254740993n);
    }),
    ['INCRBY', 'n', '-9007199254740993'],
  );
  assert.equal(
    parse(Op.MSET, (w) => {
      w.u32(2);
      w.latin1('a');
      w.u8(Tag.BYTES);
      w.latin1('\xff\x00');
      w.latin1('b');
      w.u8(Tag.DECIMAL);
      w.latin1('1.50');
    }),
    ['MSET', 'a', '\xff\x00', 'b', '1.50'],
  );
  assert.throws(() => parse(Op.GET, (w) => (w.latin1('k'), w.u8(0))), (e: unknown) => e instanceof MalformedFrame);
});

/** A minimal value decoder for the reply tests. */
function readValue(r: PayloadReader): unknown {
  const tag = r.u8();
  switch (tag) {
    case Tag.NULL:
      return null;
    case Tag.INT:
      return r.i64();
    case Tag.FLOAT:
      return r.f64();
    case Tag.DECIMAL:
      return { decimal: r.latin1() };
    case Tag.BYTES:
      return { bytes: r.latin1() };
    case Tag.STRING:
      return r.utf8();
    case Tag.LIST:
    case Tag.PUSH: {
      const n = r.u32();
      const out = [];
      for (let i = 0; i < n; i++) out.push(readValue(r));
      return tag === Tag.PUSH ? { push: out } : out;
    }
    case Tag.MAP: {
      const n = r.u32();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push([readValue(r), readValue(r)]);
      return { map: out };
    }
    case Tag.ERROR:
      return { code: r.u16(), error: r.latin1() };
    case Tag.BOOL:
      return r.u8() === 1;
    default:
      throw new Error(`tag ${tag}`);
  }
}

function replies(w: BinaryReply): Array<[number, unknown]> {
  const d = new FrameDecoder(1 << 20);
  d.feed(w.take()!);
  const out: Array<[number, unknown]> = [];
  const r = new PayloadReader();
  let p: Buffer | null;
  while ((p = d.next()) !== null) {
    assert.is(d.op, Op.REPLY);
    r.reset(p);
    out.push([d.id, readValue(r)]);
    assert.ok(r.done);
  }
  return out;
}

test('BinaryReply: each top-level value is one frame with the request id; RESP3 shapes', () => {
  const w = new BinaryReply();
  w.requestId = 5;
  w.ok();
  w.int(-3);
  w.int(2n ** 62n);
  w.bulk('\xff\x00a');
  w.nil();
  w.requestId = 6;
  w.array(3);
  w.int(1);
  w.array(0);
  w.map(1);
  w.simple('k');
  w.double(1.5);
  w.pairs(2);
  w.pair();
  w.bulk('m');
  w.double(2);
  w.pair();
  w.bulk('n');
  w.double(3);
  w.requestId = 0;
  w.push(2);
  w.bulk('message');
  w.bool(true);
  w.error('WRONGTYPE Operation against a key holding the wrong kind of value');
  w.bigNumber('123456789012345678901234567890');
  w.bulks(['a', null]);
  assert.equal(replies(w), [
    [5, 'OK'],
    [5, -3],
    [5, 2n ** 62n],
    [5, { bytes: '\xff\x00a' }],
    [5, null],
    [6, [1, [], { map: [['k', 1.5]] }]],
    [6, [[{ bytes: 'm' }, 2], [{ bytes: 'n' }, 3]]],
    [0, { push: [{ bytes: 'message' }, true] }],
    [0, { code: ErrorCode.WRONGTYPE, error: 'WRONGTYPE Operation against a key holding the wrong kind of value' }],
    [0, { decimal: '123456789012345678901234567890' }],
    [0, [{ bytes: 'a' }, null]],
  ]);
  assert.is(w.errors, 1);
});

test('BinaryReply: typedGet writes KV.GETT [type, value] as the typed value', () => {
  const w = new BinaryReply();
  const typed = (type: string, value: string) => {
    w.typedGet = true;
    w.array(2);
    w.bulk(type);
    w.bulk(value);
    w.typedGet = false;
  };
  typed('int', '-12');
  typed('float', '0.25');
  typed('decimal', '1.10');
  typed('string', 'h\xc3\xa9');
  typed('bytes', '\x00');
  typed('int', '92233720368547758');
  w.typedGet = true;
  w.nil();
  w.typedGet = false;
  // an ordinary 2-array afterwards is a List again
  w.array(2);
  w.bulk('a');
  w.bulk('b');
  assert.equal(
    replies(w).map((r) => r[1]),
    [-12, 0.25, { decimal: '1.10' }, 'hé', { bytes: '\x00' }, 92233720368547758n, null, [{ bytes: 'a' }, { bytes: 'b' }]],
  );
});

test('error codes come from the first word', () => {
  assert.is(errorCodeOf('ERR syntax error'), ErrorCode.ERR);
  assert.is(errorCodeOf('WRONGTYPE Operation against a key holding the wrong kind of value'), ErrorCode.WRONGTYPE);
  assert.is(errorCodeOf('NOAUTH Authentication required.'), ErrorCode.NOAUTH);
  assert.is(errorCodeOf('WRONGPASS invalid username-password pair or user is disabled.'), ErrorCode.WRONGPASS);
  assert.is(errorCodeOf('EXECABORT Transaction discarded because of previous errors.'), ErrorCode.EXECABORT);
  assert.is(errorCodeOf('SOMETHING new'), ErrorCode.ERR);
});

test.run();
