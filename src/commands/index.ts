/*
 * Joins every family's rows into the command table.
 */
import { clientCommands } from './client-command.js';
import { commandCommands } from './command-command.js';
import { connectionCommands } from './connection.js';
import { keyspaceCommands } from './keyspace.js';
import { serverCommands } from './server.js';
import { stringCommands } from './string.js';
import { CommandTable } from './table.js';

export function buildCommandTable(): CommandTable {
  const table = new CommandTable();
  table.add(connectionCommands);
  table.add(stringCommands);
  table.add(keyspaceCommands);
  table.add(serverCommands);
  table.add(clientCommands);
  table.add(commandCommands);
  return table;
}
