/*
 * SORT's keyspace notifications, against redis-server: `sortstore` on the STORE destination,
 * `del` when an empty result deletes it, nothing for SORT without STORE or SORT_RO.
 */
import { clientsDifferentialSuite, type ClientStep } from './differential-clients.js';

const on1 = (...cmd: string[]): ClientStep => ({ c: 1, cmd });
const read = (n: number): ClientStep[] => Array.from({ length: n }, () => ({ c: 0, read: true }));
const none: ClientStep = { c: 0, none: true };
/** `cmd` on connection 1, then the `n` messages connection 0 (subscribed to every event) sees, then nothing more. */
const events = (n: number, ...cmd: string[]): ClientStep[] => [on1(...cmd), ...read(n), none];

clientsDifferentialSuite('differential: SORT keyspace notifications', {
  'sortstore and del': [
    on1('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'), { c: 0, cmd: ['PSUBSCRIBE', '__key*__:*'] }, on1('RPUSH', 'l', '3', '1', '2'), ...read(2),
    on1('SET', 'w_1', '5'), ...read(2), ...events(0, 'SORT', 'l', 'BY', 'w_*', 'GET', '#'), ...events(0, 'SORT_RO', 'l'), ...events(2, 'SORT', 'l', 'STORE', 'd'),
    ...events(2, 'SORT', 'l', 'DESC', 'STORE', 'w_1'), ...events(2, 'SORT', 'l', 'LIMIT', '5', '1', 'STORE', 'd'), ...events(0, 'SORT', 'l', 'LIMIT', '5', '1', 'STORE', 'd'),
    ...events(0, 'SORT', 'missing', 'STORE', 'x'), ...events(0, 'SORT', 'l', 'FOO', 'STORE', 'd'), on1('RPUSH', 'b', 'x'), ...read(2), ...events(0, 'SORT', 'b', 'STORE', 'd'),
    on1('CONFIG', 'SET', 'notify-keyspace-events', ''),
  ],
});
