/*
 * Differential PUBLISH fan-out, byte for byte against redis-server: a message is encoded once per
 * protocol and shared by its subscribers (core/pubsub.ts), so RESP2 and RESP3 subscribers of the
 * same channel and of patterns, long and binary messages, and several messages queued for one
 * subscriber in one event-loop turn must each get exactly Redis's frames. Connection 0 and 2
 * subscribe (2 speaks RESP3); 1 publishes.
 */
import { clientsDifferentialSuite, type ClientStep } from './differential-clients.js';

const on1 = (...cmd: string[]): ClientStep => ({ c: 1, cmd });
const read = (c: number, n = 1): ClientStep[] => Array.from({ length: n }, () => ({ c, read: true }));
const none = (c: number): ClientStep => ({ c, none: true });
const hello3 = (c: number): ClientStep => ({ c, cmd: ['HELLO', '3'], normalize: () => 'hello' });
const LONG = 'a message longer than thirty-two bytes, with \x00\xff\r\n binary bytes';

clientsDifferentialSuite('differential: pub/sub fan-out', {
  'one message to RESP2 and RESP3 subscribers of a channel and of patterns': [
    hello3(2), ['SUBSCRIBE', 'mix'], { c: 2, cmd: ['SUBSCRIBE', 'mix'] }, { c: 2, cmd: ['PSUBSCRIBE', 'm*'] }, ['PSUBSCRIBE', 'mi?'],
    on1('PUBLISH', 'mix', LONG), ...read(0, 2), ...read(2, 2), on1('PUBLISH', 'mix', ''), ...read(0, 2), ...read(2, 2),
    on1('PUBLISH', 'mop', 'short'), ...read(2), none(0),
  ],
  'several messages pipelined to the same subscribers': [
    hello3(2), ['SUBSCRIBE', 'p'], { c: 2, cmd: ['SUBSCRIBE', 'p'] },
    { c: 1, cmd: ['PUBLISH', 'p', 'one'] }, { c: 1, cmd: ['PUBLISH', 'p', LONG] }, { c: 1, cmd: ['PUBLISH', 'p', 'three'] },
    ...read(0, 3), ...read(2, 3), none(0), none(2),
  ],
  'shard channel messages to both protocols': [
    hello3(2), ['SSUBSCRIBE', 's'], { c: 2, cmd: ['SSUBSCRIBE', 's'] }, on1('SPUBLISH', 's', LONG), ...read(0), ...read(2),
  ],
  'a subscriber leaving between messages': [
    ['SUBSCRIBE', 'q'], { c: 2, cmd: ['SUBSCRIBE', 'q'] }, on1('PUBLISH', 'q', 'a'), ...read(0), ...read(2),
    { c: 2, cmd: ['UNSUBSCRIBE', 'q'] }, on1('PUBLISH', 'q', 'b'), ...read(0), none(2),
  ],
});
