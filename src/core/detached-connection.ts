/*
 * A connection with no socket behind it: for clients that commands run for without a network
 * peer (unit tests of families and dispatch; the scripting engine's caller). Replies go to the
 * client's own Reply (a CollectingReply, say); this only answers what dispatch asks of a
 * connection. `overrides` replaces any member (a test counting `unblocked` calls).
 */
import type { ClientConnection } from './client.js';

export function detachedConnection(overrides: Partial<ClientConnection> = {}): ClientConnection {
  return {
    addr: '127.0.0.1:0',
    laddr: '127.0.0.1:0',
    fd: -1,
    close() {},
    destroy() {},
    setProto() {},
    flushSoon() {},
    unblocked() {},
    queryBufferBytes: () => 0,
    outputBufferBytes: () => 0,
    memoryFields: () => ({ qbufFree: 0, argvMem: 0, obl: 0, oll: 0, omem: 0, rbs: 0, rbp: 0, reading: true, writing: false }),
    ...overrides,
  };
}
