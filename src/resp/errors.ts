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
  // scripting and functions (EVAL, SCRIPT, FUNCTION, FCALL)
  NOSCRIPT: 'NOSCRIPT No matching script. Please use EVAL.',
  NUMKEYS_NEGATIVE: "ERR Number of keys can't be negative",
  NUMKEYS_TOO_BIG: "ERR Number of keys can't be greater than number of args",
  FCALL_BAD_NUMKEYS: 'ERR Bad number of keys provided',
  SCRIPT_FLUSH_OPTION: 'ERR SCRIPT FLUSH only support SYNC|ASYNC option',
  FUNCTION_FLUSH_OPTION: 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option',
  NOTBUSY: 'NOTBUSY No scripts in execution right now.',
  UNKILLABLE:
    'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
  BUSY_SCRIPT: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  BUSY_FUNCTION: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  SCRIPT_COMPILE: (detail: string) => `ERR Error compiling script (new function): ${detail}`,
  FUNCTION_NOT_FOUND: 'ERR Function not found',
  LIBRARY_NOT_FOUND: 'ERR Library not found',
  LIBRARY_EXISTS: (name: string) => `ERR Library '${name}' already exists`,
  FUNCTION_EXISTS: (name: string) => `ERR Function ${name} already exists`,
  MISSING_LIBRARY_METADATA: 'ERR Missing library metadata',
  LIBRARY_NAME_MISSING: 'ERR Library name was not given',
  INVALID_METADATA: (what: string) => `ERR Invalid metadata value given: ${what}`,
  ENGINE_NOT_FOUND: (name: string) => `ERR Engine '${name}' not found`,
  NO_FUNCTIONS_REGISTERED: 'ERR No functions registered',
  REGISTERING_FUNCTIONS: (why: string) => `ERR Error registering functions: ${why}`,
  LIBRARY_NAME_CHARS: 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
  RO_WITH_WRITE_FLAG: 'ERR Can not execute a script with write flag using *_ro command.',
  DUMP_PAYLOAD: 'ERR DUMP payload version or checksum are wrong',
  RESTORE_POLICY: 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
  UNKNOWN_SHEBANG_FLAG: (flag: string) => `ERR Unexpected flag in script shebang: ${flag}`,
  FUNCTION_UNKNOWN_OPTION: (opt: string) => `ERR Unknown option given: ${opt}`,
  FUNCTION_UNKNOWN_ARGUMENT: (arg: string) => `ERR Unknown argument ${arg}`,
  LIBRARY_NAME_ARGUMENT_MISSING: 'ERR library name argument was not given',
  COMPILING_FUNCTION: (detail: string) => `ERR Error compiling function: ${detail}`,
  UNKNOWN_SHEBANG_OPTION: (opt: string) => `ERR Unknown lua shebang option: ${opt}`,
  SCRIPT_CALL_NO_ARGS: 'ERR Please specify at least one argument for this redis lib call',
  SCRIPT_UNKNOWN_COMMAND: 'ERR Unknown Redis command called from script',
  SCRIPT_WRONG_ARITY: 'ERR Wrong number of args calling Redis command from script',
  SCRIPT_COMMAND_NOT_ALLOWED: 'ERR This Redis command is not allowed from script',
  SCRIPT_WRITE_IN_READONLY: 'ERR Write commands are not allowed from read-only scripts.',
  SCRIPT_GLOBAL_READ: (line: number, name: string) => `ERR user_script:${line}: Script attempted to access nonexistent global variable '${name}'`,
  SCRIPT_ARG_TYPE: 'ERR Lua redis lib command arguments must be strings or integers',
  SCRIPT_KILLED: (by: string) => `ERR Script killed by user with ${by} KILL...`,
  FUNCTION_LOAD_TIMEOUT: 'ERR Error registering functions: ERR FUNCTION LOAD timeout',
  SCRIPT_ENGINE_STOPPED: 'ERR Lua engine stopped unexpectedly',
  SCRIPT_OUT_OF_MEMORY: 'ERR not enough memory (a script has a 64 MB Lua heap)',
  UNKNOWN_SHEBANG_ENGINE: (line: string) => `ERR Unexpected engine in script shebang: ${line}`,
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
