/*
 * Differential change counting (INFO persistence rdb_changes_since_last_save, what save points
 * compare against): FLUSHDB and FLUSHALL count the keys they remove and nothing when empty, DEBUG
 * POPULATE counts nothing, SWAPDB counts one, string and key commands one per write (a TTL given
 * with the value included), PFADD one per register raised, BITFIELD one per field changed, and
 * with save points FLUSHALL saves the emptied dataset at once (the count returns to 0, rdb_saves
 * does not move) — byte for byte against redis-server.
 */
import { differentialSuite, type Step } from './differential.js';

/** INFO persistence → the two counters this file is about */
const counters = (raw: string): string =>
  ['rdb_changes_since_last_save', 'rdb_saves'].map((f) => `${f}=${new RegExp(`${f}:(\\d+)`).exec(raw)?.[1] ?? '?'}`).join(' ');
const changes: Step = { cmd: ['INFO', 'persistence'], normalize: counters };

differentialSuite(
  'differential: change counting',
  {
    'FLUSHDB and FLUSHALL count the keys they remove, nothing when empty': [
      ['CONFIG', 'SET', 'save', ''], ['SAVE'], changes, ['SET', 'a', '1'], changes, ['FLUSHALL'], changes, ['FLUSHALL'], changes,
      ['SET', 'x', '1'], ['SET', 'y', '2'], ['SELECT', '3'], ['SET', 'z', '3'], changes, ['FLUSHDB'], changes, ['FLUSHDB'], changes,
      ['SELECT', '0'], ['FLUSHALL', 'SYNC'], changes, ['FLUSHDB', 'ASYNC'], changes,
      ['SET', 'k', 'v'], ['SWAPDB', '0', '1'], changes, ['SWAPDB', '1', '1'], changes, ['SWAPDB', '0', '1'], ['GET', 'k'], changes,
    ],
    'one change per string and key command, TTL included; none when nothing changes': [
      ['CONFIG', 'SET', 'save', ''], ['SAVE'],
      ['SET', 'a', '1'], changes, ['APPEND', 'a', 'xx'], changes, ['APPEND', 'new', 'yy'], changes, ['SETRANGE', 'a', '0', 'zz'], changes,
      ['SETRANGE', 'new2', '3', 'ab'], changes, ['SET', 't', 'v', 'EX', '100'], changes, ['SET', 't', 'v', 'PX', '100000', 'GET'], changes,
      ['COPY', 't', 't3'], changes, ['COPY', 't', 't3', 'REPLACE'], changes, ['COPY', 't', 't3'], changes, ['RENAME', 't', 't2'], changes,
      ['MOVE', 't2', '3'], changes, ['SETEX', 'se', '100', 'v'], changes, ['GETEX', 'se', 'EX', '50'], changes, ['GETEX', 'se', 'PERSIST'], changes,
      ['SET', 'bits', 'abc'], ['SETBIT', 'bits', '1', '1'], changes, ['SETBIT', 'bits', '0', '0'], changes, ['SETBIT', 'bits', '100', '1'], changes,
      ['PFADD', 'h', 'a', 'b', 'c'], changes, ['PFADD', 'h', 'a', 'b'], changes, ['PFADD', 'h', 'd'], changes,
      ['MSET', 'm1', '1', 'm2', '2'], changes, ['MSETNX', 'm1', '1', 'm3', '3'], changes, ['DEL', 'm1', 'm2', 'nosuch'], changes,
      ['INCRBYFLOAT', 'f', '1.5'], changes, ['EXPIRE', 'nosuch', '10'], changes, ['TOUCH', 'a'], changes,
    ],
    'SETBIT and BITFIELD count a change only when a value changed, the key was created or grew': [
      ['CONFIG', 'SET', 'save', ''], ['SAVE'],
      ['SETBIT', 'foo', '0', '0'], changes, ['BITFIELD', 'foo2', 'SET', 'i5', '0', '0'], changes, ['SETBIT', 'foo', '0', '0'], changes,
      ['BITFIELD', 'foo2', 'SET', 'i5', '0', '0'], changes, ['SETBIT', 'foo', '0', '1'], changes, ['BITFIELD', 'foo2', 'SET', 'i5', '0', '1'], changes,
      ['BITFIELD', 'foo2', 'SET', 'i5', '0', '1'], changes, ['BITFIELD', 'foo2', 'INCRBY', 'i5', '0', '1', 'GET', 'u4', '0'], changes,
      ['BITFIELD', 'foo2', 'INCRBY', 'i5', '0', '0'], changes, ['BITFIELD', 'foo3', 'INCRBY', 'i5', '0', '1', 'INCRBY', 'i5', '0', '1'], changes,
      ['SETBIT', 'foo', '90', '0'], changes, ['BITFIELD', 'foo2', 'SET', 'i5', '90', '0'], changes,
      ['BITFIELD', 'foo4', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9'], changes, ['EXISTS', 'foo4'],
      ['BITFIELD', 'foo2', 'SET', 'u8', '0', '1', 'SET', 'u8', '0', '2', 'SET', 'u8', '0', '2'], changes,
      ['SET', 'plain', 'abc'], ['BITFIELD', 'plain', 'SET', 'u8', '0', '97'], changes, ['GET', 'plain'],
    ],
    'DEBUG POPULATE counts nothing': [
      ['CONFIG', 'SET', 'save', ''], ['SAVE'], ['DEBUG', 'POPULATE', '100'], changes, ['DBSIZE'], ['DEBUG', 'POPULATE', '10', 'other', '5'], changes,
      ['SET', 'key:1', 'mine'], changes,
    ],
  },
  { 'enable-debug-command': 'yes' },
  { 'enable-debug-command': 'yes' },
);

differentialSuite(
  'differential: FLUSHALL with save points',
  {
    'FLUSHALL saves the emptied dataset: the count returns to 0, rdb_saves stays': [
      ['SAVE'], changes, ['SET', 'a', '1'], ['SET', 'b', '2'], changes, ['FLUSHALL'], changes, ['SET', 'c', '3'], changes, ['FLUSHALL'], changes,
      ['DBSIZE'], ['DEBUG', 'RELOAD'], ['DBSIZE'],
    ],
  },
  { save: '3600 1', 'enable-debug-command': 'yes' },
  { save: '3600 1', 'enable-debug-command': 'yes' },
);
