/*
 * Differential ACL: AUTH, HELLO AUTH, ACL SETUSER/GETUSER/LIST/… and the NOPERM refusals, byte
 * for byte against redis-server 7.0.15. Each case creates its own users (deleting them first), so
 * that no case depends on another.
 *
 * Normalized, each for a stated reason: HELLO's reply (version and client id differ); ACL LOG's
 * age-seconds and client-info (times and connection details); and single-command rules in ACL
 * LIST/GETUSER when a case has several (Redis prints them in its command dict's hash order, which
 * changes from one redis-server process to the next), compared as a set.
 */
import { differentialSuite, type Script, type Step } from './differential.js';

/** HELLO's map differs in version and id: only its shape (RESP2 array or RESP3 map) is compared. */
const hello = (proto: string): Step => ({ cmd: ['HELLO', proto], normalize: (raw) => raw.slice(0, 2) });

/** ACL LOG entries without their volatile fields (age-seconds, client-info). */
const logShape = (raw: string) =>
  raw
    .replace(/(\$11\r\nage-seconds\r\n)(\$\d+\r\n[^\r]*|,[^\r]*)\r\n/g, '$1AGE\r\n')
    .replace(/(\$11\r\nclient-info\r\n)\$\d+\r\n[^\r]*\r\n/g, '$1INFO\r\n');

/** Single-command rules (`+get`, `-set`…) sorted, the category rules before them kept in order. */
const rulesAsSet = (raw: string) =>
  raw.replace(/(-@all|\+@all)((?: [+-]@[a-z]+)*)((?: [+-][a-z_|0-9-]+)*)/g, (_m, all, cats, singles: string) => {
    const sorted = singles.trim() === '' ? '' : ' ' + singles.trim().split(' ').sort().join(' ');
    return all + cats + sorted;
  }).replace(/\$\d+\r\n/g, '$N\r\n');

const fresh = (...names: string[]): string[] => ['ACL', 'DELUSER', ...names];

const cases: Record<string, Script> = {
  'a new user is off with nothing allowed': [fresh('d1'), ['ACL', 'SETUSER', 'd1'], ['ACL', 'GETUSER', 'd1'], ['ACL', 'DRYRUN', 'd1', 'get', 'a']],
  'GETUSER of the default user and of nobody': [['ACL', 'GETUSER', 'default'], ['ACL', 'GETUSER', 'nobody']],
  'GETUSER in RESP3 (flags a set, a map)': [
    fresh('d2'),
    ['ACL', 'SETUSER', 'd2', 'on', '>pw', '~app:*', '%R~r*', '&x', '+@read', '-get'],
    hello('3'),
    ['ACL', 'GETUSER', 'd2'],
    ['ACL', 'GETUSER', 'nobody'],
  ],
  'the ACL LIST line of a user with passwords, keys, channels and categories': [
    fresh('d3'),
    ['ACL', 'SETUSER', 'd3', 'on', '>a', '>b', '<a', '~app:*', '%W~w*', '%R~r*', '&chan*', '+@hash', '-hset', 'skip-sanitize-payload'],
    ['ACL', 'GETUSER', 'd3'],
  ],
  'categories regenerate by best fit': [
    fresh('d4'),
    ['ACL', 'SETUSER', 'd4', 'reset', '+@all', '-@read', '-@write'],
    ['ACL', 'GETUSER', 'd4'],
    ['ACL', 'SETUSER', 'd4', 'reset', '+@write', '+@read'],
    ['ACL', 'GETUSER', 'd4'],
    ['ACL', 'SETUSER', 'd4', 'reset', '+get', '-@read'],
    ['ACL', 'GETUSER', 'd4'],
    ['ACL', 'SETUSER', 'd4', 'reset', '+config', '-config|set'],
    ['ACL', 'GETUSER', 'd4'],
  ],
  'several single commands (as a set)': [
    fresh('d5'),
    ['ACL', 'SETUSER', 'd5', 'on', '+get', '+set', '+hset', '+zadd', '+client|list'],
    { cmd: ['ACL', 'GETUSER', 'd5'], normalize: rulesAsSet },
  ],
  'SETUSER errors, each rule named as given': [
    fresh('d6'),
    ['ACL', 'SETUSER', 'd6', '+nosuch'],
    ['ACL', 'SETUSER', 'd6', '+@NoSuch'],
    ['ACL', 'SETUSER', 'd6', 'bogus'],
    ['ACL', 'SETUSER', 'd6', '-get|x'],
    ['ACL', 'SETUSER', 'd6', '+config|nosuch'],
    ['ACL', 'SETUSER', 'd6', '%X~a'],
    ['ACL', 'SETUSER', 'd6', '%Ra'],
    ['ACL', 'SETUSER', 'd6', '#00'],
    ['ACL', 'SETUSER', 'd6', '#' + 'A'.repeat(64)],
    ['ACL', 'SETUSER', 'd6', '<nosuch'],
    ['ACL', 'SETUSER', 'd6', 'allkeys', '~a'],
    ['ACL', 'SETUSER', 'd6', '&a', 'allchannels', '&b'],
    ['ACL', 'SETUSER', 'a b'],
    ['ACL', 'GETUSER', 'd6'],
  ],
  'a failing SETUSER changes nothing': [fresh('d7'), ['ACL', 'SETUSER', 'd7', 'on', '+get'], ['ACL', 'SETUSER', 'd7', '+set', 'bogus'], ['ACL', 'GETUSER', 'd7']],
  'AUTH: right and wrong passwords, unknown and disabled users': [
    fresh('d8'),
    ['ACL', 'SETUSER', 'd8', 'on', '>pw', '+@all', '~*'],
    ['AUTH', 'd8', 'wrong'],
    ['ACL', 'WHOAMI'],
    ['AUTH', 'nobody', 'pw'],
    ['AUTH', 'd8', 'pw'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'SETUSER', 'd8', 'off'],
    ['AUTH', 'd8', 'pw'],
    ['ACL', 'WHOAMI'],
    ['AUTH', 'onlypass'],
    ['AUTH', 'a', 'b', 'c'],
  ],
  'HELLO AUTH': [
    fresh('d9'),
    ['ACL', 'SETUSER', 'd9', 'on', '>pw', '+@all', '~*'],
    ['HELLO', '2', 'AUTH', 'd9', 'wrong'],
    ['HELLO', '3', 'AUTH', 'nobody', 'x'],
    hello('2'),
    { cmd: ['HELLO', '2', 'AUTH', 'd9', 'pw'], normalize: (raw) => raw.slice(0, 3) },
    ['ACL', 'WHOAMI'],
  ],
  'a user without the command gets NOPERM naming it, subcommands by full name': [
    fresh('d10'),
    ['ACL', 'SETUSER', 'd10', 'on', '>pw', '~*', '&*', '+get', '+config|get', '+acl|whoami'],
    ['AUTH', 'd10', 'pw'],
    ['SET', 'a', 'b'],
    ['FLUSHALL'],
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'LIST'],
    ['GET', 'a'],
  ],
  'key patterns: read-only, write-only, and the keys of MGET and EVAL': [
    fresh('d11'),
    ['ACL', 'SETUSER', 'd11', 'on', '>pw', '&*', '+@all', '~app:*', '%R~r:*', '%W~w:*'],
    ['AUTH', 'd11', 'pw'],
    ['SET', 'app:1', 'v'],
    ['GET', 'app:1'],
    ['GET', 'other'],
    ['MGET', 'app:1', 'other'],
    ['GET', 'r:1'],
    ['SET', 'r:1', 'v'],
    ['SET', 'w:1', 'v'],
    ['GET', 'w:1'],
    ['EVAL', "return redis.call('get', KEYS[1])", '1', 'other'],
    ['EVAL', "return redis.call('get', KEYS[1])", '1', 'app:1'],
    ['EVAL', "return redis.call('get', 'other')", '0'],
  ],
  'channel patterns: PUBLISH, SUBSCRIBE and PSUBSCRIBE': [
    fresh('d12'),
    ['ACL', 'SETUSER', 'd12', 'on', '>pw', '~*', '+@all', 'resetchannels', '&news.*'],
    ['AUTH', 'd12', 'pw'],
    ['PUBLISH', 'other', 'm'],
    ['PUBLISH', 'news.1', 'm'],
    ['PSUBSCRIBE', 'news.a*'],
    ['SUBSCRIBE', 'other'],
    ['SUBSCRIBE', 'news.1'],
  ],
  'MULTI: a denied command is refused while queueing and EXEC aborts': [
    fresh('d13'),
    ['ACL', 'SETUSER', 'd13', 'on', '>pw', '~app:*', '&*', '+@all', '-flushall'],
    ['AUTH', 'd13', 'pw'],
    ['MULTI'],
    ['GET', 'other'],
    ['GET', 'app:1'],
    ['FLUSHALL'],
    ['EXEC'],
  ],
  'MULTI: permissions removed before EXEC refuse the command inside EXEC': [
    fresh('d14'),
    ['ACL', 'SETUSER', 'd14', 'on', '>pw', '~*', '&*', '+@all'],
    ['AUTH', 'd14', 'pw'],
    ['MULTI'],
    ['ACL', 'SETUSER', 'd14', '-get', 'resetkeys', '~k'],
    ['GET', 'k'],
    ['SET', 'other', 'v'],
    ['SET', 'k', 'v'],
    ['EXEC'],
  ],
  'a denied EXEC itself is an EXECABORT': [
    fresh('d15'),
    ['ACL', 'SETUSER', 'd15', 'on', '>pw', '~*', '&*', '+multi', '+get'],
    ['AUTH', 'd15', 'pw'],
    ['MULTI'],
    ['GET', 'a'],
    ['EXEC'],
  ],
  'scripts: redis.call is checked as the caller': [
    fresh('d16'),
    ['ACL', 'SETUSER', 'd16', 'on', '>pw', '~app:*', '+@all', '-flushall', 'resetchannels'],
    ['AUTH', 'd16', 'pw'],
    ['EVAL', "return redis.call('flushall')", '0'],
    ['EVAL', "return redis.pcall('get', 'other')", '0'],
    ['EVAL', "return redis.call('publish', 'c', 'm')", '0'],
    ['EVAL', "return redis.call('set', 'app:1', 'v')", '0'],
  ],
  'ACL LOG records denials and failed AUTHs, grouped, newest first': [
    ['ACL', 'LOG', 'RESET'],
    fresh('d17'),
    ['ACL', 'SETUSER', 'd17', 'on', '>pw', '~app:*', '&*', '+@all', '-flushall'],
    ['AUTH', 'd17', 'wrong'],
    ['AUTH', 'nobody', 'x'],
    ['AUTH', 'd17', 'pw'],
    ['FLUSHALL'],
    ['FLUSHALL'],
    ['GET', 'other'],
    ['PUBLISH', 'c', 'm'],
    ['MULTI'],
    ['GET', 'other2'],
    ['DISCARD'],
    ['EVAL', "return redis.call('get', 'other3')", '0'],
    { cmd: ['ACL', 'LOG'], normalize: logShape },
    { cmd: ['ACL', 'LOG', '2'], normalize: logShape },
    hello('3'),
    { cmd: ['ACL', 'LOG', '1'], normalize: logShape },
    ['ACL', 'LOG', '0'],
    ['ACL', 'LOG', '-1'],
    ['ACL', 'LOG', 'x'],
    ['ACL', 'LOG', '1', '2'],
    ['ACL', 'LOG', 'RESET'],
    ['ACL', 'LOG'],
  ],
  'DRYRUN': [
    fresh('d18'),
    ['ACL', 'SETUSER', 'd18', 'on', '~app:*', '&ch*', '+get', '+publish', '+subscribe', '+psubscribe'],
    ['ACL', 'DRYRUN', 'd18', 'get', 'app:1'],
    ['ACL', 'DRYRUN', 'd18', 'get', 'other'],
    ['ACL', 'DRYRUN', 'd18', 'set', 'app:1', 'v'],
    ['ACL', 'DRYRUN', 'd18', 'publish', 'x', 'm'],
    ['ACL', 'DRYRUN', 'd18', 'psubscribe', 'c*'],
    ['ACL', 'DRYRUN', 'd18', 'config', 'get', 'x'],
    ['ACL', 'DRYRUN', 'nobody', 'get', 'a'],
    ['ACL', 'DRYRUN', 'd18', 'nosuch'],
    ['ACL', 'DRYRUN', 'd18', 'get'],
  ],
  'DELUSER, USERS, and the default user cannot go': [
    fresh('d19a', 'd19b'),
    ['ACL', 'SETUSER', 'd19a'],
    ['ACL', 'SETUSER', 'd19b'],
    ['ACL', 'DELUSER', 'd19a', 'nobody', 'default'],
    ['ACL', 'DELUSER', 'd19a', 'nobody', 'd19b'],
    ['ACL', 'GETUSER', 'd19a'],
  ],
  'CAT, GENPASS, HELP, WHOAMI and the commands without an aclfile': [
    ['ACL', 'CAT'],
    ['ACL', 'CAT', 'nosuch'],
    ['ACL', 'CAT', 'a', 'b'],
    { cmd: ['ACL', 'GENPASS'], normalize: (raw) => raw.replace(/[0-9a-f]{64}/, 'HEX') },
    { cmd: ['ACL', 'GENPASS', '5'], normalize: (raw) => raw.replace(/[0-9a-f]{2}/, 'HEX') },
    ['ACL', 'GENPASS', '0'],
    ['ACL', 'GENPASS', '4097'],
    ['ACL', 'GENPASS', 'x'],
    ['ACL', 'HELP'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'LOAD'],
    ['ACL', 'SAVE'],
    ['ACL', 'NOSUCH'],
    ['ACL'],
  ],
  'first-arg rules (SELECT|0)': [
    fresh('d20'),
    ['ACL', 'SETUSER', 'd20', 'on', '>pw', '~*', '&*', '+select|0', '+get'],
    { cmd: ['ACL', 'GETUSER', 'd20'], normalize: rulesAsSet },
    ['AUTH', 'd20', 'pw'],
    ['SELECT', '0'],
    ['SELECT', '1'],
  ],
  'requirepass sets the default user password; CONFIG SET requirepass "" clears it': [
    ['CONFIG', 'SET', 'requirepass', 'sekret'],
    ['ACL', 'GETUSER', 'default'],
    ['AUTH', 'bad'],
    ['AUTH', 'sekret'],
    ['AUTH', 'default', 'sekret'],
    ['CONFIG', 'SET', 'requirepass', ''],
    ['ACL', 'GETUSER', 'default'],
    ['AUTH', 'sekret'],
  ],
  'AUTH and HELLO are allowed to a user without any command': [
    fresh('d21'),
    ['ACL', 'SETUSER', 'd21', 'on', '>pw'],
    ['AUTH', 'd21', 'pw'],
    ['AUTH', 'd21', 'pw'],
    ['PING'],
    hello('2'),
    ['RESET'],
    ['ACL', 'WHOAMI'],
  ],
  'CLIENT KILL USER of an unknown user': [['CLIENT', 'KILL', 'USER', 'nobody']],
};

differentialSuite('differential ACL', cases);
