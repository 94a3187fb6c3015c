/*
 * Differential transactions: MULTI/EXEC/DISCARD/WATCH/UNWATCH byte for byte against redis-server,
 * every error path and every way a watched key is invalidated (from another connection), in RESP2
 * and RESP3. Connection 0 runs the transaction; 1 modifies keys.
 */
import { clientsDifferentialSuite, type ClientScript, type ClientStep } from './differential-clients.js';

const other = (...cmd: string[]): ClientStep => ({ c: 1, cmd });
/** MULTI, PING, EXEC on connection 0: the EXEC reply says whether the watch held. */
const tx: ClientScript = [['MULTI'], ['PING'], ['EXEC']];
/** A watched key `w` invalidated (or not) by `cmds` run on connection 1 after `prepare`. */
const watchCase = (prepare: string[][], cmds: string[][]): ClientScript => [
  ...prepare.map((cmd) => ({ c: 1, cmd })),
  ['WATCH', 'w'],
  ...cmds.map((cmd) => ({ c: 1, cmd })),
  ...tx,
];
/** CLIENT INFO reduced to the fields transactions set (the rest differs by design: ids, ages, addresses). */
const multiFields = (raw: string): string => (raw.match(/ (flags=\S+|multi=\S+|cmd=\S+)/g) ?? ['no fields']).join('').replace(/U/, '');

clientsDifferentialSuite('differential: transactions', {
  'queued replies, runtime errors per command': [
    ['MULTI'], ['SET', 'k', 'x'], ['INCR', 'k'], ['SETRANGE', 'k', '-1', 'a'], ['GET', 'k'], ['APPEND', 'k', 'y'], ['EXEC'], ['GET', 'k'],
  ],
  'empty transaction': [['MULTI'], ['EXEC']],
  'nested MULTI and WATCH inside MULTI are errors that do not abort': [
    ['MULTI'], ['MULTI'], ['WATCH', 'k'], ['SET', 'k', '1'], ['EXEC'], ['GET', 'k'],
  ],
  'EXEC and DISCARD without MULTI': [['EXEC'], ['DISCARD'], ['MULTI'], ['DISCARD'], ['DISCARD'], ['EXEC']],
  'EXEC refused itself (wrong arity) ends the transaction with its reason': [
    ['EXEC', 'x'], ['MULTI'], ['SET', 'k', '1'], ['EXEC', 'x'], ['EXEC'], ['GET', 'k'],
  ],
  'DISCARD drops the queue': [['MULTI'], ['SET', 'k', '1'], ['DISCARD'], ['GET', 'k'], ['EXEC']],
  'unknown command aborts': [['MULTI'], ['NOSUCH', 'a'], ['SET', 'k', '1'], ['EXEC'], ['GET', 'k'], ['EXEC']],
  'wrong arity aborts': [['MULTI'], ['SET', 'k'], ['GET', 'k', 'x'], ['SET', 'k', '1'], ['EXEC'], ['GET', 'k']],
  'unknown subcommand aborts': [['MULTI'], ['CLIENT', 'NOSUCH'], ['EXEC']],
  'a no_multi command is refused and aborts': [['MULTI'], ['SHUTDOWN'], ['EXEC']],
  'a syntax error is a runtime error': [['MULTI'], ['SET', 'k', 'v', 'NX', 'XX'], ['SET', 'k', 'v'], ['EXEC'], ['GET', 'k']],
  'SELECT inside the transaction applies to what follows': [
    ['MULTI'], ['SELECT', '1'], ['SET', 'k', 'db1'], ['SELECT', '0'], ['GET', 'k'], ['EXEC'], ['SELECT', '1'], ['GET', 'k'],
  ],
  'QUIT inside MULTI runs at once': [['MULTI'], ['SET', 'k', '1'], ['QUIT'], other('GET', 'k')],
  'RESET inside MULTI drops the transaction': [['MULTI'], ['SET', 'k', '1'], ['RESET'], ['EXEC'], ['GET', 'k']],
  'UNWATCH inside MULTI is queued': [['WATCH', 'w'], ['MULTI'], ['UNWATCH'], ['PING'], ['EXEC']],
  'CLIENT INFO shows the queue': [
    ['MULTI'], ['PING'], ['PING'], { cmd: ['CLIENT', 'INFO'], normalize: multiFields }, { cmd: ['EXEC'], normalize: multiFields },
    { cmd: ['CLIENT', 'INFO'], normalize: multiFields },
  ],
  'RESP3: EXEC of a dirty transaction is the RESP3 null': [
    { cmd: ['HELLO', '3'], normalize: () => 'hello' }, ['WATCH', 'w'], other('SET', 'w', '1'), ...tx, ['MULTI'], ['NOSUCH'], ['EXEC'],
    ['MULTI'], ['CONFIG', 'GET', 'maxmemory'], ['INCRBYFLOAT', 'f', '1.5'], ['GET', 'nope'], ['EXEC'],
  ],
  // WATCH invalidation paths
  'watch: SET from another client': watchCase([], [['SET', 'w', '1']]),
  'watch: the same client writing before MULTI': [['WATCH', 'w'], ['SET', 'w', '1'], ...tx],
  'watch: unrelated key and other database do not invalidate': watchCase([], [['SET', 'x', '1'], ['SELECT', '1'], ['SET', 'w', '1']]),
  'watch: DEL': watchCase([['SET', 'w', '1']], [['DEL', 'w']]),
  'watch: DEL of a missing key does not': watchCase([], [['DEL', 'w']]),
  'watch: APPEND': watchCase([['SET', 'w', '1']], [['APPEND', 'w', 'x']]),
  'watch: SETRANGE': watchCase([['SET', 'w', '1']], [['SETRANGE', 'w', '3', 'x']]),
  'watch: INCR': watchCase([], [['INCR', 'w']]),
  'watch: INCRBYFLOAT': watchCase([], [['INCRBYFLOAT', 'w', '1.5']]),
  'watch: EXPIRE': watchCase([['SET', 'w', '1']], [['EXPIRE', 'w', '100']]),
  'watch: PERSIST': watchCase([['SET', 'w', '1', 'EX', '100']], [['PERSIST', 'w']]),
  'watch: a failed SET NX does not': watchCase([['SET', 'w', '1']], [['SET', 'w', '2', 'NX']]),
  'watch: GETDEL': watchCase([['SET', 'w', '1']], [['GETDEL', 'w']]),
  'watch: GETEX with a new TTL': watchCase([['SET', 'w', '1']], [['GETEX', 'w', 'EX', '100']]),
  'watch: RENAME from the watched key': watchCase([['SET', 'w', '1']], [['RENAME', 'w', 'x']]),
  'watch: RENAME onto the watched key': watchCase([['SET', 'x', '1']], [['RENAME', 'x', 'w']]),
  'watch: MOVE away': watchCase([['SET', 'w', '1']], [['MOVE', 'w', '1']]),
  'watch: MOVE in': [other('SELECT', '1'), other('SET', 'w', '1'), ['WATCH', 'w'], other('MOVE', 'w', '0'), ...tx],
  'watch: COPY onto it': watchCase([['SET', 'x', '1']], [['COPY', 'x', 'w']]),
  'watch: MSET': watchCase([], [['MSET', 'a', '1', 'w', '2']]),
  'watch: FLUSHDB with the key': watchCase([['SET', 'w', '1']], [['FLUSHDB']]),
  'watch: FLUSHALL without the key does not': watchCase([['SET', 'x', '1']], [['FLUSHALL']]),
  'watch: FLUSHALL with the key': watchCase([['SET', 'w', '1']], [['FLUSHALL']]),
  'watch: FLUSHDB of another database does not': watchCase([['SET', 'w', '1'], ['SELECT', '1'], ['SET', 'w', '1']], [['FLUSHDB']]),
  'watch: SWAPDB bringing the key in': watchCase([['SELECT', '1'], ['SET', 'w', '1']], [['SWAPDB', '0', '1']]),
  'watch: SWAPDB taking the key away': watchCase([['SET', 'w', '1']], [['SWAPDB', '0', '1']]),
  'watch: SWAPDB without the key on either side does not': watchCase([['SET', 'x', '1']], [['SWAPDB', '0', '1']]),
  'watch: expiry before EXEC': [
    { c: 1, cmd: ['SET', 'w', '1', 'PX', '80'] }, ['WATCH', 'w'], { cmd: ['MULTI'], sleepAfter: 150 }, ['PING'], ['EXEC'],
  ],
  'watch: a key already expired when watched is no change': [
    { c: 1, cmd: ['SET', 'w', '1', 'PX', '1'], sleepAfter: 20 }, ['WATCH', 'w'], ['GET', 'w'], ...tx,
  ],
  'watch: a key already expired when watched, then set again': [
    { c: 1, cmd: ['SET', 'w', '1', 'PX', '1'], sleepAfter: 20 }, ['WATCH', 'w'], other('SET', 'w', '2'), ...tx,
  ],
  'watch: UNWATCH forgets': [['WATCH', 'w'], ['UNWATCH'], other('SET', 'w', '1'), ...tx],
  'watch: UNWATCH clears a dirty transaction': [['WATCH', 'w'], other('SET', 'w', '1'), ['UNWATCH'], ...tx],
  'watch: EXEC ends the watch': [['WATCH', 'w'], ...tx, other('SET', 'w', '1'), ...tx],
  'watch: DISCARD ends the watch': [['WATCH', 'w'], ['MULTI'], ['DISCARD'], other('SET', 'w', '1'), ...tx],
  'watch: several keys, one touched': [['WATCH', 'a', 'b', 'c'], other('SET', 'c', '1'), ...tx],
  'watch: WATCH again after a change still fails': [['WATCH', 'a'], other('SET', 'a', '1'), ['WATCH', 'b'], ...tx],
  'watch: the dirty flag shows in CLIENT INFO': [
    ['WATCH', 'w'], other('SET', 'w', '1'), { cmd: ['CLIENT', 'INFO'], normalize: multiFields }, ['MULTI'],
    { cmd: ['CLIENT', 'INFO'], normalize: multiFields }, ['DISCARD'],
  ],
  'watch: writes inside the transaction itself do not abort it': [['WATCH', 'w'], ['MULTI'], ['SET', 'w', '1'], ['INCR', 'w'], ['EXEC']],
});

clientsDifferentialSuite(
  'differential: transactions with authentication',
  {
    'NOAUTH of EXEC is its EXECABORT reason': [{ c: 2, cmd: ['RESET'] }, { c: 2, cmd: ['EXEC'] }, { c: 2, cmd: ['MULTI'] }],
    'NOAUTH while queueing aborts': [
      { c: 2, cmd: ['AUTH', 'wrong'] }, { c: 2, cmd: ['RESET'] }, { c: 2, cmd: ['MULTI'] }, { c: 2, cmd: ['GET', 'k'] }, { c: 2, cmd: ['EXEC'] },
    ],
  },
  { settings: { requirepass: 'pw' } },
);
