/*
 * A `Reply` that collects values instead of bytes: what MULTI, Lua's redis.call and tests use to
 * run a handler and look at its answer. It shapes values for the protocol it is created with, as
 * RespWriter does (RESP2: maps and pairs flatten, doubles become bulk strings, booleans integers),
 * so a handler gives the same answer through either; collecting-reply.test.ts checks that.
 */
import { latin1 } from './short-strings.js';
import { formatDouble, type Reply } from './writer.js';

export type ReplyValue =
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string }
  | { type: 'int'; value: number | bigint }
  | { type: 'bulk'; value: string }
  | { type: 'nil' }
  | { type: 'array' | 'set' | 'push'; items: ReplyValue[] }
  | { type: 'map'; items: ReplyValue[] }
  | { type: 'double'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'bignum'; value: string }
  | { type: 'verbatim'; value: string; format: string };

interface Open {
  items: ReplyValue[];
  left: number;
}

export class CollectingReply implements Reply {
  /** every complete top-level reply, in order */
  readonly values: ReplyValue[] = [];
  private readonly open: Open[] = [];
  errors = 0;

  constructor(readonly proto: 2 | 3 = 2) {}

  /** Takes the collected replies and empties the collector. */
  take(): ReplyValue[] {
    return this.values.splice(0);
  }

  private add(v: ReplyValue): void {
    const top = this.open[this.open.length - 1];
    if (top === undefined) {
      this.values.push(v);
      return;
    }
    top.items.push(v);
    if (--top.left === 0) this.close();
  }

  private close(): void {
    // a container that filled up is itself an item of the one around it
    this.open.pop();
  }

  private container(type: 'array' | 'set' | 'push' | 'map', n: number): void {
    const v = { type, items: [] as ReplyValue[] };
    const slots = type === 'map' ? n * 2 : n;
    this.add(v);
    if (slots > 0) this.open.push({ items: v.items, left: slots });
  }

  ok(): void {
    this.add({ type: 'simple', value: 'OK' });
  }
  simple(s: string): void {
    this.add({ type: 'simple', value: s });
  }
  error(message: string): void {
    this.errors++;
    this.add({ type: 'error', value: message.replace(/[\r\n]/g, ' ') });
  }
  int(n: number | bigint): void {
    this.add({ type: 'int', value: n });
  }
  bulk(s: string): void {
    this.add({ type: 'bulk', value: s });
  }
  bulkBytes(src: Buffer, start: number, end: number): void {
    this.bulk(latin1(src, start, end));
  }
  bulkBuffer(b: Buffer): void {
    this.add({ type: 'bulk', value: b.latin1Slice(0, b.length) });
  }
  bulks(items: ReadonlyArray<string | null>): void {
    this.array(items.length);
    for (const item of items) {
      if (item === null) this.nil();
      else this.bulk(item);
    }
  }
  nil(): void {
    this.add({ type: 'nil' });
  }
  nilArray(): void {
    this.add({ type: 'nil' });
  }
  array(n: number): void {
    this.container('array', n);
  }
  map(n: number): void {
    if (this.proto === 3) this.container('map', n);
    else this.container('array', n * 2);
  }
  set(n: number): void {
    this.container(this.proto === 3 ? 'set' : 'array', n);
  }
  push(n: number): void {
    this.container(this.proto === 3 ? 'push' : 'array', n);
  }
  pairs(n: number): void {
    this.container('array', this.proto === 3 ? n : n * 2);
  }
  pair(): void {
    if (this.proto === 3) this.container('array', 2);
  }
  keyedMap(n: number): void {
    this.container(this.proto === 3 ? 'map' : 'array', n);
  }
  keyedEntry(): void {
    if (this.proto !== 3) this.container('array', 2);
  }
  double(d: number, text = formatDouble(d)): void {
    if (this.proto === 3) this.add({ type: 'double', value: d });
    else this.bulk(text);
  }
  bool(b: boolean): void {
    if (this.proto === 3) this.add({ type: 'bool', value: b });
    else this.int(b ? 1 : 0);
  }
  bigNumber(digits: string): void {
    if (this.proto === 3) this.add({ type: 'bignum', value: digits });
    else this.bulk(digits);
  }
  verbatim(text: string, format = 'txt'): void {
    if (this.proto === 3) this.add({ type: 'verbatim', value: text, format });
    else this.bulk(text);
  }
}
