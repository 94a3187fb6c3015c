/*
 * Joins every family's rows into the command table.
 */
import { bitmapCommands } from '../commands/bitmap.js';
import { hyperloglogCommands } from '../commands/hyperloglog.js';
import { lcsCommands } from '../commands/lcs.js';
import { clientCommands } from '../commands/client-command.js';
import { commandCommands } from '../commands/command-command.js';
import { connectionCommands } from '../commands/connection.js';
import { keyspaceCommands } from '../commands/keys.js';
import { serverCommands } from '../commands/admin.js';
import { stringCommands } from '../commands/string.js';
import { hashCommands } from '../commands/hash.js';
import { setCommands } from '../commands/set.js';
import { zsetCommands } from '../commands/zset.js';
import { geoCommands } from '../commands/geo.js';
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
  table.add(geoCommands);
  table.add(bitmapCommands);
  table.add(hyperloglogCommands);
  table.add(lcsCommands);
  return table;
}
