/*
 * Differential COMMAND GETKEYS and GETKEYSANDFLAGS: the movable-keys commands by hand (counts
 * that are not clean integers, zero, negative or past the end; SORT's STORE; GEORADIUS's STORE
 * and STOREDIST; SET's GET; BITFIELD's operations), then a sweep of every command both servers
 * have with argument lists of several shapes, byte for byte against redis-server. XREAD,
 * XREADGROUP, MIGRATE and MEMORY USAGE are not here: kv-server has no such commands yet.
 */
import { capturedCommands } from '../src/commands/command-command.js';
import { buildCommandTable } from '../src/core/command-list.js';
import { differentialSuite, type Script, type Step } from './differential.js';

const both = (...args: string[]): Script => [
  ['COMMAND', 'GETKEYS', ...args],
  ['COMMAND', 'GETKEYSANDFLAGS', ...args],
];

const numkeys = (cmd: string, ...prefix: string[]): Script =>
  ['0', '1', '2', '3', '4', '-1', '2abc', ' 2', '+2', '02', 'x', '4294967297', '9223372036854775808', '99999999999999999999'].flatMap((n) => [
    ...both(cmd, ...prefix, n, 'k1', 'k2', 'k3'),
    ...both(cmd, ...prefix, n, 'k1'),
  ]);

const cases: Record<string, Script> = {
  'eval, evalsha, fcall and their _ro forms': [
    ...numkeys('EVAL', 'return 1'), ...numkeys('EVALSHA', 'abc'), ...numkeys('EVAL_RO', 's'), ...numkeys('EVALSHA_RO', 's'), ...numkeys('FCALL', 'f'), ...numkeys('FCALL_RO', 'f'),
    ...both('EVAL', 's', '0'), ...both('FCALL', 'f', '0'),
  ],
  'zunion, zinter, zdiff, zintercard, sintercard': [
    ...numkeys('ZUNION'), ...numkeys('ZINTER'), ...numkeys('ZDIFF'), ...numkeys('ZINTERCARD'), ...numkeys('SINTERCARD'),
    ...both('ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '2'), ...both('ZINTERCARD', '1', 'a', 'LIMIT', '1'),
  ],
  'zunionstore, zinterstore, zdiffstore': [
    ...numkeys('ZUNIONSTORE', 'dst'), ...numkeys('ZINTERSTORE', 'dst'), ...numkeys('ZDIFFSTORE', 'dst'), ...both('ZUNIONSTORE', 'd', '2', 'a', 'b', 'AGGREGATE', 'MAX'),
  ],
  'lmpop, blmpop, zmpop, bzmpop': [
    ...numkeys('LMPOP'), ...numkeys('ZMPOP'), ...numkeys('BLMPOP', '0'), ...numkeys('BZMPOP', '1.5'), ...both('LMPOP', '2', 'a', 'b', 'LEFT', 'COUNT', '2'),
    ...both('BLMPOP', '0', '1', 'a', 'RIGHT'), ...both('BZMPOP', '0', '2', 'a', 'b', 'MIN'),
  ],
  'sort and sort_ro': [
    ...both('SORT', 'k'), ...both('SORT', 'k', 'STORE', 'd'), ...both('SORT', 'k', 'STORE'), ...both('SORT', 'k', 'STORE', 'a', 'STORE', 'b'), ...both('SORT', 'k', 'STORE', 'STORE'),
    ...both('SORT', 'k', 'STORE', 'STORE', 'x'), ...both('SORT', 'k', 'BY', 'STORE', 'x'), ...both('SORT', 'k', 'GET', 'STORE', 'x'), ...both('SORT', 'k', 'LIMIT', 'STORE', 'x', 'y'),
    ...both('SORT', 'k', 'LIMIT', '0', 'STORE', 'x'), ...both('SORT', 'k', 'limit', '0', '1', 'store', 'x', 'by', 'w_*', 'get', '#'), ...both('SORT', 'k', 'ASC', 'store', 'x', 'DESC'),
    ...both('SORT', 'k', 'foo', 'STORE', 'd'), ...both('SORT_RO', 'k'), ...both('SORT_RO', 'k', 'STORE', 'd'), ...both('SORT_RO', 'k', 'BY', 'x', 'GET', '#'),
  ],
  'georadius and georadiusbymember store keys': [
    ...both('GEORADIUS', 'k', '0', '0', '1', 'km'), ...both('GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'd'), ...both('GEORADIUS', 'k', '0', '0', '1', 'km', 'STOREDIST', 'd'),
    ...both('GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'a', 'STOREDIST', 'b'), ...both('GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE'), ...both('GEORADIUS', 'k', '0', '0', '1', 'km', 'COUNT', '1', 'store', 'x'),
    ...both('GEORADIUS', 'k', '0', '0', '1', 'STORE', 'x'), ...both('GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'a', 'STORE', 'b'),
    ...both('GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'STORE', 'd'), ...both('GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'STOREDIST', 'd'), ...both('GEORADIUS_RO', 'k', '0', '0', '1', 'km', 'STORE', 'd'),
    ...both('GEOSEARCHSTORE', 'd', 's', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'),
  ],
  'variable flags: set and bitfield': [
    ...both('SET', 'k', 'v'), ...both('SET', 'k', 'v', 'GET'), ...both('SET', 'k', 'v', 'get'), ...both('SET', 'k', 'v', 'EX', '1', 'GET'), ...both('SET', 'k', 'GET'), ...both('SET', 'k', 'v', 'GETX'),
    ...both('SET', 'k', 'v', 'GET\x00x'), ...both('BITFIELD', 'k'), ...both('BITFIELD', 'k', 'GET', 'u8', '0'), ...both('BITFIELD', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'),
    ...both('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'), ...both('BITFIELD', 'k', 'GET', 'u8'), ...both('BITFIELD', 'k', 'INCRBY', 'u8', '0', '1'), ...both('BITFIELD', 'k', 'FOO'),
    ...both('BITFIELD', 'k', 'OVERFLOW'), ...both('BITFIELD_RO', 'k', 'GET', 'u8', '0'),
  ],
  'fixed keys, subcommands and errors': [
    ...both('GET', 'a'), ...both('MSET', 'a', '1', 'b', '2'), ...both('MSET', 'a', '1', 'b'), ...both('LMOVE', 'a', 'b', 'LEFT', 'RIGHT'), ...both('BLPOP', 'a', 'b', '0'),
    ...both('OBJECT', 'ENCODING', 'k'), ...both('OBJECT', 'HELP', 'x'), ...both('OBJECT', 'FOO', 'x'), ...both('CONFIG', 'GET', 'x'), ...both('FOO', 'a'), ...both('GET', 'a', 'b'),
    ...both('PING', 'x'), ...both('get', 'a'), ...both('object', 'encoding', 'k'), ...both('RENAME', 'a', 'b'), ...both('COPY', 'a', 'b', 'DB', '1'), ...both('DEL', 'a', 'b', 'c'),
    ['COMMAND', 'GETKEYS'], ['COMMAND', 'GETKEYS', 'GET'], ['COMMAND', 'GETKEYSANDFLAGS', 'GET'], ['COMMAND', 'HELP'],
  ],
};

/**
 * Every command both servers have (Redis's captured list ∩ our table), each with argument lists
 * of several shapes: plain keys, a count then keys, a name and a count then keys.
 */
function sweep(): Record<string, Script> {
  const captured = capturedCommands();
  const table = buildCommandTable();
  const lines: string[][] = [];
  const shapes = [['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e', 'f', 'g'], ['2', 'a', 'b', 'c'], ['s', '2', 'a', 'b', 'c'], ['s', '0', 'a'], ['1', 'a', 'STORE', 'x']];
  for (const spec of table.all) {
    const names: string[][] = [];
    if (spec.subcommands) for (const sub of spec.subcommands.values()) names.push(sub.name.split('|'));
    else names.push([spec.name]);
    for (const name of names) {
      if (captured[name.join('|')] === undefined) continue;
      for (const shape of shapes) lines.push([...name, ...shape]);
    }
  }
  const out: Record<string, Script> = {};
  const per = 400;
  for (let i = 0; i < lines.length; i += per) {
    out[`sweep ${i / per + 1}`] = lines.slice(i, i + per).flatMap((l) => both(...l));
  }
  return out;
}

const hello3: Step = { cmd: ['HELLO', '3'], normalize: () => 'HELLO reply' };
const all: Record<string, Script> = { ...cases, ...sweep() };
for (const [name, script] of Object.entries(cases)) all[`${name} (RESP3)`] = [hello3, ...script];

differentialSuite('differential: command getkeys', all);
