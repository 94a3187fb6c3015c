/*
 * Pub/Sub commands, after Redis's pubsub.c: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
 * SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB CHANNELS | NUMSUB | NUMPAT |
 * SHARDCHANNELS | SHARDNUMSUB | HELP. The state and message delivery live in core/pubsub.ts;
 * dispatch restricts what a subscribed RESP2 client may run.
 */
import { globMatch } from '../engine/glob.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import type { SubscriptionKind } from '../core/pubsub.js';
import { replyHelp } from './admin.js';

/** A client's count after a (un)subscription: channels and patterns together, shard channels apart. */
function subscriptionCount(c: Client, kind: SubscriptionKind): number {
  const subs = c.subscriptions;
  if (subs === null) return 0;
  return kind === 'shardChannels' ? subs.shardChannels.size : subs.channels.size + subs.patterns.size;
}

/** The confirmation Redis pushes for each (un)subscribed name (null: nothing to unsubscribe). */
function replySubscription(c: Client, type: string, name: string | null, kind: SubscriptionKind): void {
  c.reply.push(3);
  c.reply.bulk(type);
  if (name === null) c.reply.nil();
  else c.reply.bulk(name);
  c.reply.int(subscriptionCount(c, kind));
}

function subscribeGeneric(c: Client, argv: string[], kind: SubscriptionKind, type: string): void {
  for (let i = 1; i < argv.length; i++) {
    c.server.pubsub.subscribe(c, kind, argv[i]!);
    replySubscription(c, type, argv[i]!, kind);
  }
}

function unsubscribeGeneric(c: Client, argv: string[], kind: SubscriptionKind, type: string): void {
  const pubsub = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : pubsub.subscribed(c, kind);
  if (names.length === 0) return replySubscription(c, type, null, kind);
  for (const name of names) {
    pubsub.unsubscribe(c, kind, name);
    replySubscription(c, type, name, kind);
  }
}

/* SUBSCRIBE channel [channel ...] */
const subscribeCommand = (c: Client, argv: string[]): void => subscribeGeneric(c, argv, 'channels', 'subscribe');
/* UNSUBSCRIBE [channel [channel ...]] */
const unsubscribeCommand = (c: Client, argv: string[]): void => unsubscribeGeneric(c, argv, 'channels', 'unsubscribe');
/* PSUBSCRIBE pattern [pattern ...] */
const psubscribeCommand = (c: Client, argv: string[]): void => subscribeGeneric(c, argv, 'patterns', 'psubscribe');
/* PUNSUBSCRIBE [pattern [pattern ...]] */
const punsubscribeCommand = (c: Client, argv: string[]): void => unsubscribeGeneric(c, argv, 'patterns', 'punsubscribe');
/* SSUBSCRIBE shardchannel [shardchannel ...] */
const ssubscribeCommand = (c: Client, argv: string[]): void => subscribeGeneric(c, argv, 'shardChannels', 'ssubscribe');
/* SUNSUBSCRIBE [shardchannel [shardchannel ...]] */
const sunsubscribeCommand = (c: Client, argv: string[]): void => unsubscribeGeneric(c, argv, 'shardChannels', 'sunsubscribe');

/* PUBLISH channel message */
function publishCommand(c: Client, argv: string[]): void {
  c.reply.int(c.server.pubsub.publish(argv[1]!, argv[2]!));
  // a replica's subscribers receive it too: propagated though it changes nothing (as Redis)
  c.rewrite(...argv);
}

/* SPUBLISH shardchannel message */
function spublishCommand(c: Client, argv: string[]): void {
  c.reply.int(c.server.pubsub.spublish(argv[1]!, argv[2]!));
  c.rewrite(...argv);
}

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the active names matching the pattern. */
function channelsGeneric(c: Client, argv: string[], table: Map<string, Set<Client>>): void {
  if (argv.length > 3) return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'PUBSUB'));
  const pattern = argv[2];
  const names: string[] = [];
  for (const name of table.keys()) if (pattern === undefined || globMatch(pattern, name)) names.push(name);
  c.reply.bulks(names);
}

/** PUBSUB NUMSUB / SHARDNUMSUB [name ...]: each name and its subscriber count. */
function numsubGeneric(c: Client, argv: string[], table: Map<string, Set<Client>>): void {
  c.reply.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]!);
    c.reply.int(table.get(argv[i]!)?.size ?? 0);
  }
}

/* PUBSUB CHANNELS [pattern] */
const pubsubChannelsCommand = (c: Client, argv: string[]): void => channelsGeneric(c, argv, c.server.pubsub.channels);
/* PUBSUB SHARDCHANNELS [pattern] */
const pubsubShardChannelsCommand = (c: Client, argv: string[]): void =>
  channelsGeneric(c, argv, c.server.pubsub.shardChannels);
/* PUBSUB NUMSUB [channel ...] */
const pubsubNumsubCommand = (c: Client, argv: string[]): void => numsubGeneric(c, argv, c.server.pubsub.channels);
/* PUBSUB SHARDNUMSUB [shardchannel ...] */
const pubsubShardNumsubCommand = (c: Client, argv: string[]): void => numsubGeneric(c, argv, c.server.pubsub.shardChannels);

/* PUBSUB NUMPAT */
function pubsubNumpatCommand(c: Client): void {
  c.reply.int(c.server.pubsub.patternCount);
}

/* PUBSUB HELP */
function pubsubHelpCommand(c: Client): void {
  replyHelp(c, 'PUBSUB', [
    'CHANNELS [<pattern>]',
    "    Return the currently active channels matching a <pattern> (default: '*').",
    'NUMPAT',
    '    Return number of subscriptions to patterns.',
    'NUMSUB [<channel> ...]',
    '    Return the number of subscribers for the specified channels, excluding',
    '    pattern subscriptions(default: no channels).',
    'SHARDCHANNELS [<pattern>]',
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    'SHARDNUMSUB [<shardchannel> ...]',
    '    Return the number of subscribers for the specified shard level channel(s)',
  ]);
}

const SUB = 'pubsub noscript loading stale';
const INTROSPECT = 'pubsub loading stale';

export const pubsubCommands: CommandRow[] = [
  { name: 'subscribe', arity: -2, flags: SUB, categories: '', handler: subscribeCommand },
  { name: 'unsubscribe', arity: -1, flags: SUB, categories: '', handler: unsubscribeCommand },
  { name: 'psubscribe', arity: -2, flags: SUB, categories: '', handler: psubscribeCommand },
  { name: 'punsubscribe', arity: -1, flags: SUB, categories: '', handler: punsubscribeCommand },
  { name: 'ssubscribe', arity: -2, flags: SUB, keys: [1, -1, 1], categories: '', handler: ssubscribeCommand },
  { name: 'sunsubscribe', arity: -1, flags: SUB, keys: [1, -1, 1], categories: '', handler: sunsubscribeCommand },
  { name: 'publish', arity: 3, flags: 'pubsub loading stale fast may_replicate', categories: '', handler: publishCommand },
  { name: 'spublish', arity: 3, flags: 'pubsub loading stale fast may_replicate', keys: [1, 1, 1], categories: '', handler: spublishCommand },
  {
    name: 'pubsub',
    arity: -2,
    flags: '',
    categories: '',
    subcommands: [
      { name: 'channels', arity: -2, flags: INTROSPECT, categories: '', handler: pubsubChannelsCommand },
      { name: 'numsub', arity: -2, flags: INTROSPECT, categories: '', handler: pubsubNumsubCommand },
      { name: 'numpat', arity: 2, flags: INTROSPECT, categories: '', handler: pubsubNumpatCommand },
      { name: 'shardchannels', arity: -2, flags: INTROSPECT, categories: '', handler: pubsubShardChannelsCommand },
      { name: 'shardnumsub', arity: -2, flags: INTROSPECT, categories: '', handler: pubsubShardNumsubCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: pubsubHelpCommand },
    ],
  },
];
