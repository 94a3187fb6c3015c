/*
 * A raw binary-protocol connection for the binary-*.test.ts files: frames written by hand
 * (src/binary/codec.ts's FrameWriter) and replies decoded into plain values, so the tests see
 * exactly what the server sends (tags, error codes, ids).
 */
import net from 'node:net';
import { FrameDecoder, FrameWriter, Op, PayloadReader, Tag } from '../src/binary/codec.js';

/** A decoded value: Bytes as {bytes}, Decimal as {decimal}, Error as {code, error}, Map as {map: [[k, v]…]}, Push as {push}. */
export type Raw =
  | null
  | number
  | bigint
  | string
  | boolean
  | { bytes: string }
  | { decimal: string }
  | { code: number; error: string }
  | { map: Array<[Raw, Raw]> }
  | { push: Raw[] }
  | Raw[];

export function readValue(r: PayloadReader): Raw {
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
      const out: Raw[] = [];
      for (let i = 0; i < n; i++) out.push(readValue(r));
      return tag === Tag.PUSH ? { push: out } : out;
    }
    case Tag.MAP: {
      const n = r.u32();
      const out: Array<[Raw, Raw]> = [];
      for (let i = 0; i < n; i++) out.push([readValue(r), readValue(r)]);
      return { map: out };
    }
    case Tag.ERROR:
      return { code: r.u16(), error: r.latin1() };
    case Tag.BOOL:
      return r.u8() === 1;
    default:
      throw new Error(`unknown tag ${tag}`);
  }
}

export interface Reply {
  op: number;
  id: number;
  value: Raw;
}

export class RawBinary {
  private readonly decoder = new FrameDecoder(0xffffffff);
  private readonly replies: Reply[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    const r = new PayloadReader();
    socket.on('data', (d: Buffer) => {
      this.decoder.feed(d);
      let p: Buffer | null;
      while ((p = this.decoder.next()) !== null) {
        r.reset(p);
        this.replies.push({ op: this.decoder.op, id: this.decoder.id, value: readValue(r) });
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawBinary> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => resolve(new RawBinary(s)));
      s.once('error', reject);
    });
  }

  /** Connects and sends HELLO (version 1..1 unless given) with `options`; returns its reply. */
  static async hello(port: number, options: Record<string, string> = {}, versions: [number, number] = [1, 1]): Promise<[RawBinary, Raw]> {
    const c = await RawBinary.connect(port);
    c.write(helloFrame(options, versions));
    return [c, (await c.read()).value];
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** A COMMAND frame. */
  command(id: number, ...args: string[]): void {
    this.write(commandFrame(id, args));
  }

  /** Sends a COMMAND frame and reads one reply. */
  async call(...args: string[]): Promise<Raw> {
    this.command(77, ...args);
    const r = await this.read();
    return r.value;
  }

  async read(timeoutMs = 3000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.replies.shift();
      if (r !== undefined) return r;
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server has closed the connection (after reading what it sent). */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('still open');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Whether a reply arrives within `ms`. */
  async nothingWithin(ms: number): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms));
    return this.replies.length === 0;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function frame(op: number, id: number, build: (w: FrameWriter) => void = () => {}): Buffer {
  const w = new FrameWriter();
  w.begin(op, id);
  build(w);
  w.end();
  return w.take()!;
}

export function commandFrame(id: number, args: string[], op: number = Op.COMMAND): Buffer {
  return frame(op, id, (w) => {
    w.u32(args.length);
    for (const a of args) w.latin1(a);
  });
}

export function helloFrame(options: Record<string, string>, versions: [number, number] = [1, 1]): Buffer {
  return frame(Op.HELLO, 1, (w) => {
    w.u16(versions[0]);
    w.u16(versions[1]);
    const entries = Object.entries(options);
    w.u8(Tag.MAP);
    w.u32(entries.length);
    for (const [k, v] of entries) {
      w.u8(Tag.STRING);
      w.latin1(k);
      w.u8(Tag.STRING);
      w.latin1(v);
    }
  });
}

/** Looks a key up in a decoded Map. */
export function mapGet(m: Raw, key: string): Raw | undefined {
  if (m === null || typeof m !== 'object' || Array.isArray(m) || !('map' in m)) throw new Error(`not a map: ${String(m)}`);
  return (m as { map: Array<[Raw, Raw]> }).map.find(([k]) => k === key || (typeof k === 'object' && k !== null && 'bytes' in k && k.bytes === key))?.[1];
}
