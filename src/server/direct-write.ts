/*
 * Replies written straight to a socket's libuv handle, past Node's Writable stream.
 *
 * `socket.write(buffer)` costs far more than the write(2) it ends in: the Writable state machine,
 * a WriteWrap request object built from a C++ template for every write, and, because the write
 * completed at once, a process.nextTick per write (afterWriteTick) to call back and maybe emit
 * 'drain'. With fifty clients each sending one command per turn that is paid once per request.
 * The handle's own `writeBuffer(req, buffer)` (what the stream calls underneath) tries the
 * write(2) at once; when the kernel takes every byte, which is nearly always for a reply, the
 * request object is not even looked at — so one spare one serves every such write of every
 * connection. When the kernel takes only part, libuv keeps the rest queued with the request
 * (which then keeps the buffer alive) and calls its `oncomplete` once it is written; the spare is
 * then replaced.
 *
 * The handle, `WriteWrap` and `streamBaseState` are Node internals (process.binding('stream_wrap'),
 * `socket._handle`), not documented API: when any is missing, or the socket is TLS (its handle
 * encrypts in JS), `directHandle` answers null and the caller writes through the stream.
 * Used by the server's connections (reply-output.ts) and by kv-server/client (src/client/), so it
 * imports nothing but types.
 * Measured under callgrind (bench/callgrind-strings.mjs, SET unpipelined, -c 50): see
 * bench/RESULTS.md.
 */
import type { Socket } from 'node:net';

/** What a stream handle (TCPWrap, PipeWrap) offers for writing. */
export interface StreamHandle {
  writeBuffer(req: object, data: Uint8Array): number;
}

/** A write request: libuv calls `oncomplete(status)` when the queued rest of a write is written. */
interface WriteRequest {
  oncomplete: ((status: number) => void) | null;
  buffer: Uint8Array | null;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

const binding: StreamWrapBinding | null = (() => {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    if (typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array) || typeof b.kLastWriteWasAsync !== 'number') return null;
    return b as StreamWrapBinding;
  } catch {
    return null;
  }
})();

/** The request handed to writes that complete at once (unused by them). */
let spare: WriteRequest | null = binding === null ? null : new binding.WriteWrap();

/** The socket's libuv handle when replies can be written to it directly, else null. */
export function directHandle(socket: Socket): StreamHandle | null {
  if (binding === null || (socket as { encrypted?: boolean }).encrypted === true) return null;
  const handle = (socket as unknown as { _handle?: unknown })._handle;
  if (handle === null || typeof handle !== 'object' || typeof (handle as StreamHandle).writeBuffer !== 'function') return null;
  return handle as StreamHandle;
}

/** the kernel took every byte */
export const WRITTEN = 0;
/** libuv queued the rest: `done(status)` follows (status < 0: the write failed or was cancelled) */
export const QUEUED = 1;

/**
 * Writes `data` to `handle`. Returns WRITTEN, QUEUED — then `data` must not be changed until
 * `done` is called, and nothing else may be written to the handle meanwhile — or a negative
 * errno (the connection is broken: EPIPE, ECONNRESET…).
 */
export function writeDirect(handle: StreamHandle, data: Uint8Array, done: (status: number) => void): number {
  const req = spare!;
  const err = handle.writeBuffer(req, data);
  if (err !== 0) return err;
  if (binding!.streamBaseState[binding!.kLastWriteWasAsync] === 0) return WRITTEN;
  // the request is libuv's until it completes: it keeps the bytes alive, the next write takes a new one
  req.buffer = data;
  req.oncomplete = (status: number) => {
    req.buffer = null;
    req.oncomplete = null;
    done(status);
  };
  spare = new binding!.WriteWrap();
  return QUEUED;
}
