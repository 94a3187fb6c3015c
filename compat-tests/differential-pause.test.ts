/*
 * Differential CLIENT PAUSE: which commands a pause holds (WRITE: writes and may-replicate
 * commands — PFCOUNT, PUBLISH, scripts unless flagged no-writes, EXEC of a transaction that
 * queued one, a write being queued), and that a held client is a blocked client as Redis counts
 * it (INFO blocked_clients, CLIENT LIST's `b` flag and cmd=), against redis-server.
 * Connection 0 pauses and looks; 1 and 2 send commands that may be held. Every case ends
 * unpaused (the next case's FLUSHALL is a write).
 */
import { clientsDifferentialSuite, type ClientStep } from './differential-clients.js';

/** A command on connection `c` that the pause holds: no reply yet (read it after UNPAUSE). */
const held = (c: number, ...cmd: string[]): ClientStep => ({ c, cmd, replies: 0, sleepAfter: 50 });
const on = (c: number, ...cmd: string[]): ClientStep => ({ c, cmd });
const read = (c: number): ClientStep => ({ c, read: true });
const pauseWrite: ClientStep = { cmd: ['CLIENT', 'PAUSE', '60000', 'WRITE'] };
const unpause: ClientStep = { cmd: ['CLIENT', 'UNPAUSE'] };
/** INFO's count of blocked clients (the rest of INFO differs by design: versions, memory, times). */
const blockedClients: ClientStep = { cmd: ['INFO', 'clients'], normalize: (r) => /blocked_clients:\d+/.exec(r)?.[0] ?? 'no field' };
/** CLIENT LIST reduced to each client's flags and command (ids, addresses and ages differ). */
const listFlags: ClientStep = { cmd: ['CLIENT', 'LIST'], normalize: (r) => (r.match(/ (flags=\S+|cmd=\S+)/g) ?? ['no fields']).join('') };

const LIB = [
  '#!lua name=pauselib',
  "redis.register_function{function_name='pause_ro', callback=function() return 'ro' end, flags={'no-writes'}}",
  "redis.register_function{function_name='pause_rw', callback=function() return 'rw' end}",
].join('\n');

clientsDifferentialSuite('differential: CLIENT PAUSE', {
  'WRITE: a write is held and counted as blocked, reads run': [
    pauseWrite, on(1, 'GET', 'k'), on(1, 'PING'), blockedClients, held(1, 'SET', 'k', 'v'), blockedClients, listFlags,
    unpause, read(1), blockedClients, listFlags, on(1, 'GET', 'k'),
  ],
  'WRITE: several held clients, served in order': [
    pauseWrite, held(1, 'INCR', 'n'), held(2, 'INCR', 'n'), blockedClients, unpause, read(1), read(2), on(1, 'GET', 'n'),
  ],
  'WRITE: PFCOUNT and PUBLISH may replicate, so they are held': [
    on(1, 'PFADD', 'h', 'a'), pauseWrite, held(1, 'PFCOUNT', 'h'), held(2, 'PUBLISH', 'ch', 'm'), blockedClients, unpause, read(1), read(2),
  ],
  'WRITE: scripts are held unless flagged no-writes': [
    { cmd: ['FUNCTION', 'LOAD', 'REPLACE', LIB] },
    on(1, 'SET', 'x', 'y'),
    pauseWrite,
    on(1, 'EVAL_RO', "return redis.call('get', KEYS[1])", '1', 'x'),
    on(1, 'EVAL', '#!lua flags=no-writes\nreturn 2', '0'),
    on(1, 'FCALL', 'pause_ro', '0'),
    on(1, 'FCALL_RO', 'pause_ro', '0'),
    on(1, 'SCRIPT', 'LOAD', '#!lua flags=no-writes\nreturn 3'),
    on(1, 'EVALSHA', '50ad2340de91fe7294d5c746ad721ff185c16fc5', '0'),
    blockedClients,
    held(1, 'EVAL', 'return 1', '0'),
    held(2, 'EVAL', '#!lua\nreturn 2', '0'),
    blockedClients,
    unpause, read(1), read(2),
    // an unknown function or sha: the row's flags (may_replicate) decide
    pauseWrite, held(1, 'FCALL', 'pause_rw', '0'), held(2, 'FCALL', 'nosuchfunction', '0'), blockedClients, unpause, read(1), read(2),
    pauseWrite, held(1, 'EVALSHA', '0123456789012345678901234567890123456789', '0'), blockedClients, unpause, read(1),
  ],
  'WRITE: a transaction of reads runs; a write being queued is held': [
    on(1, 'SET', 'k', 'v'),
    pauseWrite,
    on(1, 'MULTI'), on(1, 'GET', 'k'), on(1, 'EVAL', '#!lua flags=no-writes\nreturn 12', '0'), on(1, 'EXEC'),
    blockedClients,
    on(2, 'MULTI'), held(2, 'SET', 'k', 'w'), blockedClients,
    unpause, read(2), on(2, 'EXEC'), on(1, 'GET', 'k'),
  ],
  'WRITE: EXEC of a transaction that queued a write or a script is held': [
    on(1, 'MULTI'), on(1, 'SET', 'k', 'v'), on(2, 'MULTI'), on(2, 'EVAL', '#!lua\nreturn 13', '0'),
    pauseWrite, held(1, 'EXEC'), held(2, 'EXEC'), blockedClients, unpause, read(1), read(2), blockedClients,
  ],
  // everything is held, INFO and UNPAUSE too: the pause ends by its time
  'ALL: every command is held until the pause ends, syntax errors answered at once': [
    { cmd: ['CLIENT', 'PAUSE', '300', 'ALL'] }, on(1, 'SET', 'k'), held(1, 'GET', 'k'), held(0, 'INFO', 'clients'), read(1), { c: 0, read: true, normalize: blockedClients.normalize },
  ],
});
