/*
 * Differential change counting (INFO persistence rdb_changes_since_last_save, what save points
 * compare against): FLUSHDB and FLUSHALL count the keys they remove and nothing when empty, DEBUG
 * POPULATE counts nothing, SWAPDB counts one, and with save points FLUSHALL saves the emptied dataset at once (the
 * count returns to 0, rdb_saves does not move) — byte for byte against redis-server.
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
