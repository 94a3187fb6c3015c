/*
 * kv-server/client's table of the requests waiting for their replies (client.ts).
 */
import type { KvValue } from './client.js';

/** A request waiting for its reply. */
export interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  /** 0: no timeout */
  deadline: number;
  map: ((v: KvValue) => unknown) | null;
  /** the request id, and the order it was registered in (PendingTable) */
  id: number;
  seq: number;
}

/**
 * The requests waiting for their replies, by id: slots indexed by the id's low bits. Ids are
 * handed out in sequence, so the requests in flight take neighbouring slots; a new id whose slot
 * is still taken doubles the slots. (A Map cost a rehash each time it went from one request to
 * none and back — V8 shrinks an emptied hash table —, which is every request with one in flight.)
 */
export class PendingTable {
  private slots: Array<Pending | undefined> = new Array<Pending | undefined>(16).fill(undefined);
  private mask = 15;
  private seq = 0;
  size = 0;

  /** Registers `p` under `p.id` (not already registered). */
  add(p: Pending): void {
    p.seq = this.seq++;
    while (this.slots[p.id & this.mask] !== undefined) this.grow();
    this.slots[p.id & this.mask] = p;
    this.size++;
  }

  get(id: number): Pending | undefined {
    const p = this.slots[id & this.mask];
    return p !== undefined && p.id === id ? p : undefined;
  }

  /** Removes and returns the request `id`, if registered. */
  take(id: number): Pending | undefined {
    const p = this.get(id);
    if (p !== undefined) {
      this.slots[id & this.mask] = undefined;
      this.size--;
    }
    return p;
  }

  /** Every registered request, oldest first. */
  all(): Pending[] {
    const out: Pending[] = [];
    for (const p of this.slots) if (p !== undefined) out.push(p);
    return out.sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.size = 0;
  }

  private grow(): void {
    let size = this.slots.length;
    for (;;) {
      size *= 2;
      const slots = new Array<Pending | undefined>(size).fill(undefined);
      const mask = size - 1;
      let fits = true;
      for (const p of this.slots) {
        if (p === undefined) continue;
        if (slots[p.id & mask] !== undefined) {
          fits = false;
          break;
        }
        slots[p.id & mask] = p;
      }
      if (fits) {
        this.slots = slots;
        this.mask = mask;
        return;
      }
    }
  }
}
