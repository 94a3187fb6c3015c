/*
 * Differential: GET and SET of a restricted ACL user, byte for byte against redis-server 7.0.15.
 * kv-server runs an allowed GET/SET of such a user from the read buffer (core/dispatch.ts
 * runRange, the key patterns matched over the key's bytes) and a denied one through the ordinary
 * path: the replies, the NOPERM errors and the ACL LOG entries must be Redis's either way.
 *
 * Normalized: ACL LOG's age-seconds and client-info (times and connection details), HELLO's
 * reply (version and client id differ).
 */
import { differentialSuite, type Script } from './differential.js';

/** ACL LOG entries without their volatile fields (age-seconds, client-info). */
const logShape = (raw: string) =>
  raw
    .replace(/(\$11\r\nage-seconds\r\n)(\$\d+\r\n[^\r]*|,[^\r]*)\r\n/g, '$1AGE\r\n')
    .replace(/(\$11\r\nclient-info\r\n)\$\d+\r\n[^\r]*\r\n/g, '$1INFO\r\n');

const cases: Record<string, Script> = {
  'prefix, exact, glob, read-only and write-only patterns': [
    ['ACL', 'LOG', 'RESET'],
    ['ACL', 'DELUSER', 'r1'],
    ['ACL', 'SETUSER', 'r1', 'on', '>pw', '~app:*', '%R~ro:*', '%W~wo:*', '~exact', '~g[0-9]?x*', '~\\*lit', '+@all', '-@dangerous'],
    ['AUTH', 'r1', 'pw'],
    ['SET', 'app:1', 'v'],
    ['GET', 'app:1'],
    ['GET', 'app:'],
    ['GET', 'app'],
    ['SET', 'ro:1', 'v'],
    ['GET', 'ro:1'],
    ['SET', 'wo:1', 'v'],
    ['GET', 'wo:1'],
    ['SET', 'exact', 'e'],
    ['GET', 'exact'],
    ['GET', 'exact2'],
    ['GET', 'g1zx'],
    ['SET', 'g12xtail', 'v'],
    ['GET', 'gx'],
    ['SET', '*lit', 'v'],
    ['GET', 'xlit'],
    ['GET', ''],
    ['SET', 'other', 'v'],
    ['get', 'other'],
    ['AUTH', 'default', 'x'],
    { cmd: ['ACL', 'LOG'], normalize: logShape },
  ],
  'binary keys against patterns': [
    ['ACL', 'DELUSER', 'r2'],
    ['ACL', 'SETUSER', 'r2', 'on', '>pw', '~\xff*', '~[\x00-\x10]?', '+get', '+set'],
    ['AUTH', 'r2', 'pw'],
    ['SET', '\xff\x00\r\n', 'v'],
    ['GET', '\xff\x00\r\n'],
    ['GET', '\x00z'],
    ['SET', '\x05\xff', 'v'],
    ['GET', '\x80z'],
    ['GET', 'z\xff'],
  ],
  'a user that changes its own permissions between commands': [
    ['ACL', 'LOG', 'RESET'],
    ['ACL', 'DELUSER', 'r3'],
    ['ACL', 'SETUSER', 'r3', 'on', '>pw', '~a:*', '+get', '+set', '+acl'],
    ['AUTH', 'r3', 'pw'],
    ['SET', 'a:1', 'x'],
    ['SET', 'b:1', 'x'],
    ['ACL', 'SETUSER', 'r3', 'resetkeys', '~b:*'],
    ['SET', 'b:1', 'y'],
    ['GET', 'a:1'],
    ['ACL', 'SETUSER', 'r3', '-get'],
    ['GET', 'b:1'],
    ['ACL', 'SETUSER', 'r3', '(+get %R~c:*)'],
    ['GET', 'c:1'],
    ['SET', 'c:1', 'v'],
    ['GET', 'b:1'],
    ['ACL', 'SETUSER', 'r3', 'allkeys', '+get'],
    ['GET', 'a:1'],
    ['AUTH', 'default', 'x'],
    { cmd: ['ACL', 'LOG'], normalize: logShape },
  ],
  'RESP3: the same refusals': [
    ['ACL', 'DELUSER', 'r4'],
    ['ACL', 'SETUSER', 'r4', 'on', '>pw', '~k*', '+@read', '+@write', '+hello'],
    // HELLO's map differs in version and id: only its shape is compared
    { cmd: ['HELLO', '3', 'AUTH', 'r4', 'pw'], normalize: (raw) => raw.slice(0, 2) },
    ['SET', 'k1', 'v'],
    ['GET', 'k1'],
    ['GET', 'x'],
    ['SET', 'x', 'v'],
  ],
};

differentialSuite('differential ACL range path', cases);
