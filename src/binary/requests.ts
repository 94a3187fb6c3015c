/*
 * Request frames → the argv dispatch runs (docs/protocol.md "Requests"). The dedicated opcodes
 * only skip encoding and parsing the command name: each becomes the argv of an ordinary command
 * row (GET, SET, KV.GETT…). Malformed payloads throw MalformedFrame.
 */
import { floatText, MalformedFrame, Op, PayloadReader, SetFlag, Tag } from './codec.js';

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
