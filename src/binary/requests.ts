/*
 * Request frames → the argv dispatch runs (docs/protocol.md "Requests"). The dedicated opcodes
 * only skip encoding and parsing the command name: each becomes the argv of an ordinary command
 * row (GET, SET, KV.GETT…). Malformed payloads throw MalformedFrame.
 *
 * GET, MGET, and SET of a String or Bytes value without options, first try the rows' byte-range
 * handlers (dispatch's runRangeOf), as RESP's GET and SET do: keys and value stay bytes of the
 * frame, no argv or string per request (`RangeRequest`). Whatever that path declines, or a frame
 * it does not read exactly, goes through `parseRequest`.
 */
import type { CommandSpec } from '../core/command-types.js';
import type { CommandTable } from '../core/table.js';
import type { RangeArgv } from '../core/dispatch.js';
import { VT_BYTES, VT_STRING } from '../engine/value-type.js';
import { floatText, MalformedFrame, Op, PayloadReader, SetFlag, Tag, u32At } from './codec.js';

/** Which typed-value rows the command table has (they come from the namespaces/typed helper). */
export interface TypedRows {
  gett: boolean;
  sett: boolean;
}

export interface Request {
  argv: string[];
  /** the reply is KV.GETT's [type, value], to be written as the typed value */
  typedGet: boolean;
  /** the frame's request id (set by the connection) */
  id: number;
}

const TYPE_NAMES: Record<number, string> = {
  [Tag.INT]: 'int',
  [Tag.FLOAT]: 'float',
  [Tag.DECIMAL]: 'decimal',
  [Tag.BYTES]: 'bytes',
  [Tag.STRING]: 'string',
};

/** A scalar value as the text a command stores, and its type name (KV.SETT's). */
function readScalar(r: PayloadReader): [type: number, text: string] {
  const tag = r.u8();
  switch (tag) {
    case Tag.INT:
      return [tag, String(r.i64())];
    case Tag.FLOAT:
      return [tag, floatText(r.f64())];
    case Tag.DECIMAL:
    case Tag.BYTES:
    case Tag.STRING:
      // String's UTF-8 bytes are stored as they are: keys and values are byte strings
      return [tag, r.latin1()];
    default:
      throw new MalformedFrame(`value tag ${tag} is not a scalar (Int, Float, Decimal, Bytes or String)`);
  }
}

function readArgs(r: PayloadReader, argv: string[]): string[] {
  const n = r.count(4);
  for (let i = 0; i < n; i++) argv.push(r.latin1());
  return argv;
}

/** The request in a frame's payload (`r` reset on it). */
export function parseRequest(op: number, r: PayloadReader, typed: TypedRows): Request {
  let argv: string[];
  let typedGet = false;
  switch (op) {
    case Op.COMMAND:
      argv = readArgs(r, []);
      if (argv.length === 0) throw new MalformedFrame('empty COMMAND frame');
      break;
    case Op.GET:
      if (typed.gett) {
        argv = ['KV.GETT', r.latin1()];
        typedGet = true;
      } else {
        argv = ['GET', r.latin1()];
      }
      break;
    case Op.SET: {
      const key = r.latin1();
      const [tag, text] = readScalar(r);
      const flags = r.u8();
      const nxxx = (flags & (SetFlag.NX | SetFlag.XX)) !== 0;
      argv = typed.sett && tag !== Tag.BYTES && !nxxx ? ['KV.SETT', key, TYPE_NAMES[tag]!, text] : ['SET', key, text];
      if (flags & SetFlag.NX) argv.push('NX');
      if (flags & SetFlag.XX) argv.push('XX');
      if (flags & SetFlag.PX) argv.push('PX', String(r.i64()));
      if (flags & SetFlag.KEEPTTL) argv.push('KEEPTTL');
      break;
    }
    case Op.DEL:
      argv = readArgs(r, ['DEL']);
      break;
    case Op.MGET:
      argv = readArgs(r, ['MGET']);
      break;
    case Op.MSET: {
      const n = r.count(9);
      argv = ['MSET'];
      for (let i = 0; i < n; i++) argv.push(r.latin1(), readScalar(r)[1]);
      break;
    }
    case Op.INCR: {
      const key = r.latin1();
      const delta = r.i64();
      argv = delta === 1 ? ['INCR', key] : ['INCRBY', key, String(delta)];
      break;
    }
    case Op.EXPIRE: {
      const key = r.latin1();
      argv = ['PEXPIRE', key, String(r.i64())];
      break;
    }
    case Op.PING:
      argv = readArgs(r, ['PING']);
      break;
    default:
      throw new MalformedFrame(`unknown opcode 0x${op.toString(16)}`);
  }
  if (!r.done) throw new MalformedFrame('bytes left over after the payload');
  return { argv, typedGet, id: 0 };
}

/**
 * A GET, SET or MGET frame as byte ranges of its payload (core/command-types.ts RequestRanges)
 * and the row it runs: GET or KV.GETT (the typed GET), SET or KV.SETT (a String value, typed rows
 * on), MGET. One per connection, filled by `read` for each frame.
 */
export class RangeRequest {
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  valueType = VT_BYTES;
  /** MGET's keys: start and end of each */
  readonly keys: number[] = [];
  keyCount: number | undefined = undefined;
  spec: CommandSpec | undefined = undefined;
  /** the argv's length the row's arity is checked against */
  argc = 0;
  /** the reply is KV.GETT's [type, value] (BinaryReply.typedGet) */
  typedGet = false;
  /** TypedRows as bits, for binaryRangeArgv */
  readonly typedBits: number;
  private readonly get: CommandSpec | undefined;
  private readonly gett: boolean;
  private readonly set: CommandSpec | undefined;
  private readonly sett: CommandSpec | undefined;
  private readonly mget: CommandSpec | undefined;

  constructor(table: CommandTable, typed: TypedRows) {
    this.get = table.get(typed.gett ? 'kv.gett' : 'get');
    this.gett = typed.gett;
    this.set = table.get('set');
    this.sett = typed.sett ? table.get('kv.sett') : undefined;
    this.mget = table.get('mget');
    this.typedBits = (typed.gett ? 1 : 0) | (typed.sett ? 2 : 0);
  }

  /**
   * Reads the frame `op` with payload [start, end) of `buf`: true when it is a GET, a SET of a
   * String or Bytes value without flags, or an MGET, laid out exactly as docs/protocol.md says
   * (anything else, malformed frames included, is parseRequest's).
   */
  read(op: number, buf: Buffer, start: number, end: number): boolean {
    if (end - start < 4) return false;
    this.typedGet = false;
    this.keyCount = undefined;
    if (op === Op.MGET) return this.readKeys(buf, start, end);
    const keyStart = start + 4;
    const keyEnd = keyStart + u32At(buf, start);
    if (op === Op.GET) {
      if (keyEnd !== end) return false;
      this.spec = this.get;
      this.argc = 2;
      this.typedGet = this.gett;
    } else if (op === Op.SET) {
      // key, tag:u8, len:u32, value, flags:u8 (0)
      if (keyEnd + 6 > end) return false;
      const tag = buf[keyEnd]!;
      const valueStart = keyEnd + 5;
      const valueEnd = valueStart + u32At(buf, keyEnd + 1);
      if (valueEnd + 1 !== end || buf[valueEnd] !== 0 || (tag !== Tag.STRING && tag !== Tag.BYTES)) return false;
      this.valueStart = valueStart;
      this.valueEnd = valueEnd;
      if (tag === Tag.STRING && this.sett !== undefined) {
        this.spec = this.sett;
        this.argc = 4;
        this.valueType = VT_STRING;
      } else {
        this.spec = this.set;
        this.argc = 3;
        this.valueType = VT_BYTES;
      }
    } else {
      return false;
    }
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    return true;
  }

  /** MGET's payload: count:u32, then each key as len:u32 bytes. */
  private readKeys(buf: Buffer, start: number, end: number): boolean {
    const n = u32At(buf, start);
    if (n * 4 > end - start - 4) return false;
    const keys = this.keys;
    let at = start + 4;
    for (let i = 0; i < n; i++) {
      if (at + 4 > end) return false;
      const from = at + 4;
      at = from + u32At(buf, at);
      if (at > end) return false;
      keys[2 * i] = from;
      keys[2 * i + 1] = at;
    }
    if (at !== end) return false;
    this.spec = this.mget;
    this.argc = n + 1;
    this.keyCount = n;
    return true;
  }
}

/**
 * The argv of a RangeRequest's frame, for the slow log (dispatch's RangeArgv): parseRequest's
 * from the frame again, recorded as op, typedBits, payload start and end.
 */
export const binaryRangeArgv: RangeArgv = (_spec, buf, r, at) => {
  const reader = new PayloadReader();
  reader.resetRange(buf, r[at + 2]!, r[at + 3]!);
  const bits = r[at + 1]!;
  return parseRequest(r[at]!, reader, { gett: (bits & 1) !== 0, sett: (bits & 2) !== 0 }).argv;
};
