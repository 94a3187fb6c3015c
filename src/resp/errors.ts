/*
 * The error catalogue: every error text the server sends, exactly as Redis 7 writes it.
 * Handlers reply with these constants (or the small builders below); nothing else spells an error.
 * `errors.test.ts` checks that each entry is exercised somewhere in the test suites.
 */
/**
 * `s` up to its first NUL byte: Redis formats user text into errors with C's `%s`, which stops
 * there (`unknown subcommand 'a'` for `a\0b`).
 */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

export const Err = {
  SYNTAX: 'ERR syntax error',
  WRONGTYPE: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  NOT_FLOAT: 'ERR value is not a valid float',
  OVERFLOW: 'ERR increment or decrement would overflow',
  DECREMENT_OVERFLOW: 'ERR decrement would overflow',
  NAN_OR_INF: 'ERR increment would produce NaN or Infinity',
  NO_SUCH_KEY: 'ERR no such key',
  INVALID_EXPIRE: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  DB_INDEX_RANGE: 'ERR DB index is out of range',
  INVALID_FIRST_DB_INDEX: 'ERR invalid first DB index',
  INVALID_SECOND_DB_INDEX: 'ERR invalid second DB index',
  INT_RANGE: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  EXPIRE_UNSUPPORTED_OPTION: (opt: string) => `ERR Unsupported option ${cString(opt)}`,
  EXPIRE_NX_AND_OTHERS: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  EXPIRE_GT_AND_LT: 'ERR GT and LT options at the same time are not compatible',
  LFU_NOT_SELECTED:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  LFU_SELECTED:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  SOURCE_DEST_SAME: 'ERR source and destination objects are the same',
  STRING_TOO_LONG: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  OFFSET_RANGE: 'ERR offset is out of range',
  NOAUTH: 'NOAUTH Authentication required.',
  WRONGPASS: 'WRONGPASS invalid username-password pair or user is disabled.',
  AUTH_NO_PASSWORD:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  MAX_CLIENTS: 'ERR max number of clients reached',
  HELLO_PROTO_NOT_INTEGER: 'ERR Protocol version is not an integer or out of range',
  HELLO_SYNTAX: (opt: string) => `ERR Syntax error in HELLO option '${cString(opt)}'`,
  HELLO_NOAUTH:
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  NOPROTO: 'NOPROTO unsupported protocol version',
  UNKNOWN_COMMAND: (name: string, args: string) =>
    `ERR unknown command '${cString(name)}', with args beginning with: ${args}`,
  UNKNOWN_SUBCOMMAND: (sub: string, container: string) =>
    `ERR unknown subcommand '${cString(sub)}'. Try ${container} HELP.`,
  WRONG_ARITY: (name: string) => `ERR wrong number of arguments for '${name}' command`,
  INVALID_CURSOR: 'ERR invalid cursor',
  CLIENT_NAME_SPACES: 'ERR Client names cannot contain spaces, newlines or special characters.',
  NO_SUCH_CLIENT: 'ERR No such client',
  UNKNOWN_CONFIG: (name: string) => `ERR Unknown option or number of arguments for CONFIG SET - '${cString(name)}'`,
  CONFIG_SET_FAILED: (name: string, reason: string) => `ERR CONFIG SET failed (possibly related to argument '${cString(name)}') - ${reason}`,
  CONFIG_IMMUTABLE: "can't set immutable config",
  CONFIG_DUPLICATE: 'duplicate parameter',
  NO_CONFIG_FILE: 'ERR The server is running without a config file',
  CONFIG_REWRITE_FAILED: (why: string) => `ERR Rewriting config file: ${why}`,
  NO_SHUTDOWN_IN_PROGRESS: 'ERR No shutdown in progress.',
  SUBCOMMAND_SYNTAX: (sub: string, container: string) =>
    `ERR unknown subcommand or wrong number of arguments for '${cString(sub)}'. Try ${container} HELP.`,
  UNKNOWN_CLIENT_TYPE: (type: string) => `ERR Unknown client type '${cString(type)}'`,
  INVALID_CLIENT_ID: 'ERR Invalid client ID',
  CLIENT_ID_POSITIVE: 'ERR client-id should be greater than 0',
  NO_SUCH_USER: (user: string) => `ERR No such user '${cString(user)}'`,
  UNRECOGNIZED_OPTION: (opt: string) => `ERR Unrecognized option '${cString(opt)}'`,
  CLIENT_ATTR_SPACES: (attr: string) => `ERR ${attr} cannot contain spaces, newlines or special characters.`,
  GETKEYS_INVALID_COMMAND: 'ERR Invalid command specified',
  GETKEYS_NO_KEYS: 'ERR The command has no key arguments',
  GETKEYS_BAD_ARITY: 'ERR Invalid number of arguments specified for command',
  INTERNAL: (cmd: string, message: string) => `ERR internal error running '${cmd}': ${message}`,
  PROTOCOL: (what: string) => `ERR Protocol error: ${what}`,
  // redis-server 7.0.15's text, its typo ("Setup a an") included
  DENIED_PROTECTED:
    "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.",
  // hashes and sets (t_hash.c, t_set.c)
  HASH_NOT_INTEGER: 'ERR hash value is not an integer',
  HASH_NOT_FLOAT: 'ERR hash value is not a float',
  NAN_OR_INFINITY_VALUE: 'ERR value is NaN or Infinity',
  OUT_OF_RANGE: 'ERR value is out of range',
  MUST_BE_POSITIVE: 'ERR value is out of range, must be positive',
  NUMKEYS_NOT_POSITIVE: 'ERR numkeys should be greater than 0',
  NUMKEYS_TOO_MANY: "ERR Number of keys can't be greater than number of args",
  LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
  // sorted sets and geo (zset.ts, geo.ts)
  ZADD_XX_AND_NX: 'ERR XX and NX options at the same time are not compatible',
  ZADD_GT_LT_NX: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  ZADD_INCR_PAIRS: 'ERR INCR option supports a single increment-element pair',
  SCORE_NAN: 'ERR resulting score is not a number (NaN)',
  MIN_MAX_NOT_FLOAT: 'ERR min or max is not a float',
  MIN_MAX_NOT_LEX: 'ERR min or max not valid string range item',
  ZRANGE_LIMIT_NEEDS_BY: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  ZRANGE_WITHSCORES_BYLEX: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  ZSETOP_NO_KEYS: (cmd: string) => `ERR at least 1 input key is needed for '${cmd}' command`,
  WEIGHT_NOT_FLOAT: 'ERR weight value is not a float',
  COUNT_NOT_POSITIVE: 'ERR count should be greater than 0',
  LONG_RANGE: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  GEO_INVALID_PAIR: (lon: string, lat: string) => `ERR invalid longitude,latitude pair ${lon},${lat}`,
  GEO_UNIT: 'ERR unsupported unit provided. please use M, KM, FT, MI',
  GEO_NO_MEMBER: 'ERR could not decode requested zset member',
  GEO_RADIUS_NEGATIVE: 'ERR radius cannot be negative',
  GEO_NEED_RADIUS: 'ERR need numeric radius',
  GEO_NEED_WIDTH: 'ERR need numeric width',
  GEO_NEED_HEIGHT: 'ERR need numeric height',
  GEO_BOX_NEGATIVE: 'ERR height or width cannot be negative',
  GEO_COUNT: 'ERR COUNT must be > 0',
  GEO_ANY_NEEDS_COUNT: 'ERR the ANY argument requires COUNT argument',
  GEO_ONE_FROM: (cmd: string) => `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${cmd}`,
  GEO_ONE_BY: (cmd: string) => `ERR exactly one of BYRADIUS and BYBOX can be specified for ${cmd}`,
  GEOSEARCHSTORE_OPTIONS: 'ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options',
  GEORADIUS_STORE_OPTIONS: 'ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options',
  // bitmaps (SETBIT, BITPOS, BITOP, BITFIELD), HyperLogLog and LCS
  BIT_OFFSET: 'ERR bit offset is not an integer or out of range',
  BIT_VALUE: 'ERR bit is not an integer or out of range',
  BITPOS_BIT: 'ERR The bit argument must be 1 or 0.',
  BITOP_NOT_ONE_KEY: 'ERR BITOP NOT must be called with a single source key.',
  BITFIELD_OVERFLOW_TYPE: 'ERR Invalid OVERFLOW type specified',
  BITFIELD_TYPE: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  BITFIELD_RO_GET_ONLY: 'ERR BITFIELD_RO only supports the GET subcommand',
  HLL_WRONGTYPE: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  HLL_CORRUPTED: 'INVALIDOBJ Corrupted HLL object detected',
  LCS_WRONGTYPE: 'ERR The specified keys must contain string values',
  LCS_LEN_AND_IDX: 'ERR If you want both the length and indexes, please just use IDX.',
  LCS_MEMORY: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  PFDEBUG_NO_KEY: 'ERR The specified key does not exist',
  PFDEBUG_NOT_SPARSE: 'ERR HLL encoding is not sparse',
  PFDEBUG_UNKNOWN: (sub: string) => `ERR Unknown PFDEBUG subcommand '${cString(sub)}'`,
} as const;

/** Protocol errors (the decoder's), without the `ERR Protocol error: ` prefix. */
export const ProtocolErr = {
  INVALID_MULTIBULK: 'invalid multibulk length',
  UNAUTH_MULTIBULK: 'unauthenticated multibulk length',
  INVALID_BULK: 'invalid bulk length',
  UNAUTH_BULK: 'unauthenticated bulk length',
  BIG_MBULK_COUNT: 'too big mbulk count string',
  BIG_BULK_COUNT: 'too big bulk count string',
  BIG_INLINE: 'too big inline request',
  UNBALANCED_QUOTES: 'unbalanced quotes in request',
  EXPECTED_DOLLAR: (got: string) => `expected '$', got '${got}'`,
} as const;
