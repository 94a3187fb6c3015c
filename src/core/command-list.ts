/*
 * Joins every family's rows into the command table.
 */
import { bitmapCommands } from '../commands/bitmap.js';
import { hyperloglogCommands } from '../commands/hyperloglog.js';
import { lcsCommands } from '../commands/lcs.js';
import { clientCommands } from '../commands/client-command.js';
import { commandCommands } from '../commands/command-command.js';
import { connectionCommands } from '../commands/connection.js';
import { diagnosticsCommands } from '../commands/diagnostics.js';
import { keyspaceCommands } from '../commands/keys.js';
import { serverCommands } from '../commands/admin.js';
import { stringCommands } from '../commands/string.js';
import { hashCommands } from '../commands/hash.js';
import { setCommands } from '../commands/set.js';
import { zsetCommands } from '../commands/zset.js';
import { zsetBlockingCommands } from '../commands/zset-blocking.js';
import { geoCommands } from '../commands/geo.js';
import { transactionCommands } from '../commands/transaction.js';
import { pubsubCommands } from '../commands/pubsub.js';
import { listCommands } from '../commands/list.js';
import { scriptingCommands } from '../commands/scripting.js';
import { functionCommands } from '../commands/functions.js';
import { namespaceCommands } from '../commands/namespaces.js';
import { typedCommands } from '../commands/typed.js';
import { sortCommands } from '../commands/sort.js';
import { casCommands } from '../commands/cas.js';
import { lockCommands } from '../commands/locks.js';
import { versionCommands } from '../commands/versions.js';
import { aclCommands } from '../commands/acl.js';
import { streamCommands } from '../commands/stream.js';
import { streamGroupCommands } from '../commands/stream-groups.js';
import { streamInfoCommands } from '../commands/stream-info.js';
import { CommandTable } from './table.js';

export function buildCommandTable(): CommandTable {
  const table = new CommandTable();
  table.add(connectionCommands);
  table.add(stringCommands);
  table.add(keyspaceCommands);
  table.add(serverCommands);
  table.add(clientCommands);
  table.add(commandCommands);
  table.add(hashCommands);
  table.add(setCommands);
  table.add(zsetCommands);
  table.add(zsetBlockingCommands);
  table.add(geoCommands);
  table.add(bitmapCommands);
  table.add(hyperloglogCommands);
  table.add(lcsCommands);
  table.add(diagnosticsCommands);
  table.add(transactionCommands);
  table.add(pubsubCommands);
  table.add(listCommands);
  table.add(scriptingCommands);
  table.add(functionCommands);
  table.add(namespaceCommands);
  table.add(typedCommands);
  table.add(sortCommands);
  table.add(casCommands);
  table.add(lockCommands);
  table.add(versionCommands);
  table.add(aclCommands);
  table.add([...streamCommands, ...streamGroupCommands, ...streamInfoCommands]);
  return table;
}
