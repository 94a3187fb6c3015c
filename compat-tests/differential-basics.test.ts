/*
 * Differential basics: connection commands and SET/GET, byte for byte against redis-server.
 */
import { differentialSuite } from './differential.js';

differentialSuite('differential: basics', {
  'ping and echo': [['PING'], ['PING', 'hi'], ['PING', 'a', 'b'], ['ECHO', ''], ['ECHO', 'x\r\ny'], ['echo']],
  'unknown command and arity errors': [['NOSUCH'], ['nosuch', 'a', 'b c'], ['GET'], ['get', 'a', 'b'], ['SET', 'k']],
  'set and get': [['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'missing'], ['set', 'k', ''], ['GET', 'k']],
  'binary keys and values': [['SET', '\x00\xff\r\n', '\x80\x81\x00'], ['GET', '\x00\xff\r\n']],
  'set options': [
    ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'w', 'NX'], ['SET', 'k', 'w', 'XX'], ['GET', 'k'],
    ['SET', 'n', 'v', 'XX'], ['SET', 'k', 'x', 'GET'], ['SET', 'new', 'x', 'GET'], ['SET', 'k', 'y', 'NX', 'GET'],
    ['SET', 'k', 'v', 'NX', 'XX'], ['SET', 'k', 'v', 'EX', '10', 'PX', '100'], ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
    ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'], ['SET', 'k', 'v', 'EX'], ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'EX', '-1'],
    ['SET', 'k', 'v', 'EX', 'x'], ['SET', 'k', 'v', 'PX', '9223372036854775807'], ['SET', 'k', 'v', 'EX', '9223372036854775807'],
    ['SET', 'k', 'v', 'EXAT', '1'], ['GET', 'k'], ['SET', 'k', 'v', 'foo'], ['set', 'k', 'v', 'ex', '100', 'nx'], ['set', 'k', 'v', 'px', '100', 'xx', 'get'],
  ],
  'select': [['SELECT', '1'], ['SET', 'k', 'db1'], ['SELECT', '0'], ['GET', 'k'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '1'], ['GET', 'k']],
  'auth without a password': [['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'bob', 'x'], ['AUTH', 'a', 'b', 'c']],
  'hello': [['HELLO', '4'], ['HELLO', 'x'], ['HELLO', '2', 'FOO'], ['HELLO', '2', 'AUTH', 'default']],
});
