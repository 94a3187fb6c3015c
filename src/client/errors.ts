/*
 * The client's error classes. KvError: the server answered an error (its stable `code`, Redis's
 * exact text as `message`). ConnectionError: the connection failed or was lost (a request that
 * was in flight may or may not have run). TimeoutError: no reply within the request's timeout.
 * ProtocolError: the server sent something this client cannot read, or refused a frame.
 * LockError: a lock could not be acquired.
 */
import { ErrorCode } from '../binary/codec.js';

export { ErrorCode };

export class KvError extends Error {
  override name = 'KvError';
  constructor(
    /** the stable numeric code (docs/protocol.md): 1 ERR, 2 WRONGTYPE, 3 NOAUTH, 4 WRONGPASS… */
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export class LockError extends Error {
  override name = 'LockError';
}
